select alias_kode, alias_nama, kode_kelurahan from kelurahan_alias
