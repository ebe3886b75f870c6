select kode_kelurahan, kelurahan, kode_kecamatan, kecamatan
from v_area
order by kode_kelurahan
