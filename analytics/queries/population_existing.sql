-- Stored rows that an incoming file (registered as `incoming`) would replace.
select p.kode_wilayah, p.tahun, p.penduduk, i.penduduk as penduduk_baru
from population p
join incoming i using (kode_wilayah, tahun)
order by p.tahun, p.kode_wilayah
