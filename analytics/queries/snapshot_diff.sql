-- Who left and who entered between two snapshots, one page at a time ($limit null = all rows), with
-- reason and area and the number of rows in all pages (total). Role scope is bound: $semua
-- (DinsosPM) sees all; else only people tied to $kode_opd's records or living in the area
-- $kode_wilayah; names only if $tampil_nama.
-- An exit's reason may come from verval (sumber_alasan, terbukti: migration 025).
-- $arus / $alasan pick one kind of change (null = all).
-- The page is cut before masked NIKs and names are looked up, so only its rows join person.
with page as (
    select c.*, count(*) over () as total
    from snapshot_changes_scoped($date_from, $date_to, $kode_kecamatan, $kode_kelurahan, $semua, $kode_opd, $kode_wilayah) c
    where ($arus is null or c.arus = $arus)
      and ($alasan is null or c.alasan = $alasan)
    order by c.arus, c.alasan, c.kecamatan, c.kelurahan, c.person_key
    limit $limit offset $offset
)
select
    g.arus,
    g.alasan,
    g.sumber_alasan,
    g.terbukti,
    p.nik_masked,
    case when $tampil_nama then p.nama end as nama,
    g.kecamatan,
    g.kelurahan,
    g.kode_kecamatan,
    g.kode_kelurahan,
    g.total
from page g
join person p using (person_key)
order by g.arus, g.alasan, g.kecamatan, g.kelurahan, g.person_key
