-- The members of the family $id_keluarga (everyone who was ever in it on any snapshot), each with the
-- last interval they had in it: kelurahan, desil and whether they are on the list now. Masked NIK
-- only; names only if $tampil_nama.
with latest as (
    select pi.person_key, pi.kode_kelurahan, pi.desil, pi.status = 'aktif' and pi.valid_to is null as di_daftar
    from person_interval pi
    where pi.id_keluarga = $id_keluarga
    qualify row_number() over (partition by pi.person_key order by pi.valid_from desc) = 1
)
select l.person_key, p.nik_masked,
       case when $tampil_nama then p.nama end as nama,
       p.jenis_kelamin, p.tahun_lahir, l.desil, l.di_daftar, l.kode_kelurahan, a.kelurahan, a.kecamatan
from latest l
join person p using (person_key)
left join v_area a using (kode_kelurahan)
order by l.di_daftar desc, p.tahun_lahir, p.nik_masked, l.person_key
