-- People and families on the list at $as_of.
select coalesce(sum(orang_aktif), 0) as orang, coalesce(sum(keluarga_aktif), 0) as keluarga
from area_stats
where as_of = $as_of
