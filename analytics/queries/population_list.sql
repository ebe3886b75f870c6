-- Stored population rows with the area names, newest year first.
select
    p.tahun,
    p.tingkat,
    p.kode_wilayah,
    coalesce(kel.kelurahan, kec.nama) as nama,
    coalesce(kel.kecamatan, kec.nama) as kecamatan,
    p.penduduk,
    p.sumber,
    f.file_name,
    f.imported_at
from population p
left join v_area kel on kel.kode_kelurahan = p.kode_wilayah
left join kecamatan kec on kec.kode_kecamatan = p.kode_wilayah
left join population_file f using (sha256)
order by p.tahun desc, p.kode_wilayah
