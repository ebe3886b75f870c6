-- People not stored yet, first seen in the snapshot of $as_of. person has no key index (migration
-- 011): inserting only absent keys is what keeps person_key unique.
insert into person
select i.person_key, i.nik_masked, i.nama, i.jenis_kelamin, i.tahun_lahir, i.alamat, i.id_individu, $as_of
from incoming i
anti join person p using (person_key)
