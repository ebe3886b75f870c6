-- Keyed No KK first seen in the incoming snapshot of $as_of, tied to the family id the list uses
-- (never the raw number: kk_key is its keyed hash, kk_masked its masked form).
insert into keluarga_kk (kk_key, kk_masked, id_keluarga, first_seen)
select i.kk_key, any_value(i.kk_masked), min(i.id_keluarga), $as_of
from incoming i
where i.kk_key is not null
  and i.kk_key not in (select kk_key from keluarga_kk)
group by i.kk_key
