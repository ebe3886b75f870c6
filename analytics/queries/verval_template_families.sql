-- The families on the list at $as_of counted in kelurahan $kode_kelurahan (see home), one row each,
-- for the verval sheet: the oldest member on the list stands for the family (the store keeps no head-of-family mark), with
-- the masked NIK and address; members on the list; the last verification result's date.
with members as (
    select pi.id_keluarga, pi.kode_kelurahan, pi.person_key, p.nama, p.nik_masked, p.alamat, p.tahun_lahir
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
    from (select id_keluarga, kode_kelurahan, count(*) as n from members group by all)
    qualify row_number() over (partition by id_keluarga order by n desc, kode_kelurahan) = 1
),
head as (
    select id_keluarga, nama, nik_masked, alamat
    from members
    where id_keluarga in (select id_keluarga from home where kode_kelurahan = $kode_kelurahan)
    qualify row_number() over (partition by id_keluarga order by tahun_lahir nulls last, nik_masked, nama, person_key) = 1
),
size as (
    select id_keluarga, count(*) as anggota from members group by id_keluarga
),
last_check as (
    select id_keluarga, max(tanggal) as terakhir from verval group by id_keluarga
)
select h.id_keluarga, h.nama, h.nik_masked, h.alamat, s.anggota, l.terakhir
from head h
join size s using (id_keluarga)
left join last_check l using (id_keluarga)
order by h.id_keluarga
