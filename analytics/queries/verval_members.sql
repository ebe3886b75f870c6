-- The families each keyed NIK of a verval file was ever a member of (incoming_keys: person_key).
select distinct pi.person_key, pi.id_keluarga
from person_interval pi
where pi.person_key in (select person_key from incoming_keys)
