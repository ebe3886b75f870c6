-- DTSEN import: the people of an incoming file (keys registered as `incoming_keys`) already stored,
-- with their details and their latest state before $as_of (family, kelurahan, status, reason).
with latest as (
    select pi.person_key, pi.id_keluarga, pi.kode_kelurahan, pi.status, pi.alasan,
           row_number() over (partition by pi.person_key order by pi.valid_from desc) as rn
    from person_interval pi
    semi join incoming_keys k using (person_key)
    where pi.valid_from < $as_of
)
select p.person_key, p.nama, p.jenis_kelamin, p.tahun_lahir, p.alamat, p.id_individu,
       l.id_keluarga, l.kode_kelurahan, l.status, l.alasan
from person p
semi join incoming_keys k using (person_key)
left join latest l on l.person_key = p.person_key and l.rn = 1
