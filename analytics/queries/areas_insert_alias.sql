-- in_alias: data/kelurahan_alias.csv, registered by analytics.areas.ensure_loaded.
insert into kelurahan_alias
select alias_kode, nullif(alias_nama, ''), kode_kelurahan, catatan from in_alias
