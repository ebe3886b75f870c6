-- What the import of snapshot $as_of recorded against the snapshot before it (read back from
-- flow_stats, which equals import_preview: tests/test_import.py checks it).
select arus, alasan, sum(orang)::bigint as orang
from flow_stats
where as_of = $as_of
group by arus, alasan
order by arus, alasan
