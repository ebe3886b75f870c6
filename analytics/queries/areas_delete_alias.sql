delete from kelurahan_alias
