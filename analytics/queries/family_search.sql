-- The families a search finds, at most $cap of them, with the number found in all (total). One of
-- $person_key (the keyed hash of a full NIK), $id_keluarga or $nama (a name fragment, any case) is
-- set, the others are null. The whole store is searched, not the rows a page shows. Role scope is
-- bound: DinsosPM ($semua) finds every family; an OPD only families tied to its records (the rule of
-- snapshot_changes_scoped); a camat or lurah ($kode_wilayah) only families with a member listed in
-- the area; names only if $tampil_nama, and nothing at all without named access.
-- Families on the list now come first; only the $cap shown are described (members, kelurahan), so a
-- common name costs one pass over the store, not one per family found.
with matched as (
    select person_key
    from person
    where person_key = $person_key
       or ($nama is not null and contains(lower(nama), lower($nama)))
),
hits as (
    select pi.id_keluarga, bool_or(pi.status = 'aktif' and pi.valid_to is null) as sekarang
    from person_interval pi
    where pi.person_key in (select person_key from matched)
       or ($id_keluarga is not null and upper(pi.id_keluarga) = upper($id_keluarga))
    group by pi.id_keluarga
),
scoped as (
    select h.*
    from hits h
    where $tampil_nama
      and ($semua
           or h.id_keluarga in (
               select id_keluarga from v_intervensi where kode_opd = $kode_opd and id_keluarga is not null)
           or h.id_keluarga in (
               select pi.id_keluarga
               from person_interval pi
               join v_intervensi v on v.person_key = pi.person_key
               where v.kode_opd = $kode_opd)
           or ($kode_wilayah is not null and h.id_keluarga in (select pi.id_keluarga
                from person_interval pi
                join v_area a using (kode_kelurahan)
                where $kode_wilayah in (a.kode_kecamatan, a.kode_kelurahan))))
),
page as (
    select id_keluarga, count(*) over () as total
    from scoped
    order by sekarang desc, id_keluarga
    limit $cap
),
latest as (
    -- each member's last interval in the family: where they live and whether they are on the list now
    select pi.id_keluarga, pi.person_key, pi.kode_kelurahan,
           pi.status = 'aktif' and pi.valid_to is null as di_daftar
    from person_interval pi
    where pi.id_keluarga in (select id_keluarga from page)
    qualify row_number() over (partition by pi.id_keluarga, pi.person_key order by pi.valid_from desc) = 1
),
families as (
    select l.id_keluarga,
           mode(l.kode_kelurahan order by l.kode_kelurahan) as kode_kelurahan,
           count(*) as anggota,
           bool_or(l.di_daftar) as di_daftar,
           case when $tampil_nama then string_agg(p.nama, ', ' order by p.nama)
                filter (where p.person_key in (select person_key from matched)) end as cocok
    from latest l
    join person p using (person_key)
    group by l.id_keluarga
)
select f.id_keluarga, f.anggota, f.di_daftar, f.cocok, a.kelurahan, a.kecamatan, g.total
from families f
join page g using (id_keluarga)
left join v_area a using (kode_kelurahan)
order by f.di_daftar desc, a.kecamatan, a.kelurahan, f.id_keluarga
