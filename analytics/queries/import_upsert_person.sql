-- Latest personal details per person from the incoming snapshot (registered as `incoming`).
insert into person
select person_key, nik_masked, nama, jenis_kelamin, tanggal_lahir, alamat, id_individu
from incoming
on conflict (person_key) do update set
    nik_masked = excluded.nik_masked,
    nama = excluded.nama,
    jenis_kelamin = excluded.jenis_kelamin,
    tanggal_lahir = excluded.tanggal_lahir,
    alamat = excluded.alamat,
    id_individu = excluded.id_individu
