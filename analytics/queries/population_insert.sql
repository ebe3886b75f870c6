-- Validated population rows (registered as `incoming`) replace stored rows for the same area and year.
insert or replace into population
select kode_wilayah, tingkat, tahun, penduduk, sumber, $sha256
from incoming
