-- in_kel: the kelurahan of the shipped boundary file, registered by analytics.areas.ensure_loaded.
insert into kelurahan
select kode_kelurahan, nama, kode_kecamatan, luas_km2 from in_kel
