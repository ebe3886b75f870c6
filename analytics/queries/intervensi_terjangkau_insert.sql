-- Per snapshot: the families on the list reached by a delivery (read from the temp table
-- intervensi_reach), in date order so that a page's as_of filter skips the other snapshots.
insert into intervensi_keluarga_terjangkau
select distinct as_of, id_keluarga
from intervensi_reach
order by as_of, id_keluarga
