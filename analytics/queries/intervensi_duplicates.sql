-- Incoming records (relation `incoming`) that repeat a stored record of the same OPD exactly:
-- same beneficiary, programme, date and status.
select i.baris, b.source_file, s.baris as baris_tersimpan
from incoming i
join intervensi s
  on s.kode_opd = $kode_opd
 and s.kode_program = i.kode_program
 and s.tanggal = i.tanggal
 and s.status = i.status
 and coalesce(s.person_key, 'KEL:' || s.id_keluarga_berkas)
     = coalesce(i.person_key, 'KEL:' || i.id_keluarga_berkas)
join intervensi_berkas b on b.berkas_id = s.berkas_id
order by i.baris
