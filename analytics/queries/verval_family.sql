-- Every verval result of the family $id_keluarga, newest first (the profile's verification history).
select v.tanggal, v.hasil, v.dasar, v.nomor_dasar, v.tanggal_dasar, v.petugas, v.checklist,
       v.checklist_lengkap, p.nik_masked, v.sumber, v.file_name, v.dicatat_pada, v.dicatat_oleh
from verval v
left join person p using (person_key)
where v.id_keluarga = $id_keluarga
order by v.tanggal desc, v.verval_id desc
