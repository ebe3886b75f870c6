-- Families and people per kelurahan x desil of a DTSEN file (registered as `incoming_desil_area`).
insert into desil_area (as_of, kode_kelurahan, desil, keluarga, orang)
select $as_of, kode_kelurahan, desil, keluarga, orang from incoming_desil_area
