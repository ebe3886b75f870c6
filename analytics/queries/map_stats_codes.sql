-- How many distinct area codes and rows area_stats holds (the denominator of the join check).
select count(distinct kode_kelurahan) as kode, count(*) as baris
from area_stats
