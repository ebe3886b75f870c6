-- Latest personal details from the incoming snapshot (registered as `incoming`), for people already
-- stored whose details changed. New people are added by import_insert_person.
update person p set
    nik_masked = i.nik_masked,
    nama = i.nama,
    jenis_kelamin = i.jenis_kelamin,
    tahun_lahir = i.tahun_lahir,
    alamat = i.alamat,
    id_individu = i.id_individu
from incoming i
where p.person_key = i.person_key
  and (p.nik_masked is distinct from i.nik_masked
       or p.nama is distinct from i.nama
       or p.jenis_kelamin is distinct from i.jenis_kelamin
       or p.tahun_lahir is distinct from i.tahun_lahir
       or p.alamat is distinct from i.alamat
       or p.id_individu is distinct from i.id_individu)
