select kode_kecamatan, nama as kecamatan
from kecamatan
order by kode_kecamatan
