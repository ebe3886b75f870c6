-- DTSEN import: the family id stored for each keyed No KK of an incoming file (registered as
-- `incoming_kk`); the first id when one card was tied to several.
select k.kk_key, min(k.id_keluarga) as id_keluarga
from keluarga_kk k
semi join incoming_kk i using (kk_key)
group by k.kk_key
