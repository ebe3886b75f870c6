-- the records of one OPD file (registered as `incoming`)
insert into intervensi
select $berkas_id, baris, $kode_opd, kode_program, tanggal, status, nilai, person_key, nik_masked, id_keluarga_berkas, nama_berkas, catatan
from incoming
