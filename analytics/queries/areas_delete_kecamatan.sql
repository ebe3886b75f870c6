delete from kecamatan
