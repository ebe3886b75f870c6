-- Families on the list at $as_of with no verval result dated in [$since, $today], in the role's scope
-- ($semua every family; $kode_wilayah a kecamatan or kelurahan; nothing else), with their last result.
-- The oldest member on the list stands for the family; names only if $tampil_nama.
with listed as (
    select pi.id_keluarga, pi.kode_kelurahan, pi.person_key, p.nama, p.nik_masked, p.tahun_lahir
    from person_interval pi
    join person p using (person_key)
    where pi.status = 'aktif'
      and pi.valid_from <= $as_of
      and coalesce(pi.valid_to, date '9999-12-31') > $as_of
),
home as (
    -- one kelurahan per family: the one holding most of its members on the list, ties to the lowest
    -- code (the rule area_stats counts families by)
    select id_keluarga, kode_kelurahan
    from (select id_keluarga, kode_kelurahan, count(*) as n from listed group by all)
    qualify row_number() over (partition by id_keluarga order by n desc, kode_kelurahan) = 1
),
fam as (
    select id_keluarga, h.kode_kelurahan, nama, nik_masked, count(*) over (partition by id_keluarga) as anggota
    from listed
    join home h using (id_keluarga)
    qualify row_number() over (partition by id_keluarga order by tahun_lahir nulls last, nik_masked, nama, person_key) = 1
),
last_result as (
    select id_keluarga, tanggal as terakhir, hasil as hasil_terakhir,
           max(tanggal) filter (where tanggal between $since and $today) over (partition by id_keluarga) as jendela
    from verval
    qualify row_number() over (partition by id_keluarga order by tanggal desc, verval_id desc) = 1
)
select f.id_keluarga, a.kecamatan, a.kelurahan, f.kode_kelurahan,
       case when $tampil_nama then f.nama end as nama, f.nik_masked, f.anggota,
       r.terakhir, r.hasil_terakhir
from fam f
join v_area a using (kode_kelurahan)
left join last_result r using (id_keluarga)
where r.jendela is null
  and $tampil_nama
  and ($semua or ($kode_wilayah is not null and $kode_wilayah in (a.kode_kecamatan, a.kode_kelurahan)))
order by a.kode_kecamatan, f.kode_kelurahan, f.id_keluarga
