-- in_kec: the kecamatan of the shipped boundary file, registered by analytics.areas.ensure_loaded.
insert into kecamatan
select kode_kecamatan, nama, luas_km2 from in_kec
