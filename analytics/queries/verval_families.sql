-- Every family the store holds (any snapshot) with its kelurahan: where most of its members were at
-- its latest interval start (ties to the lowest code), the rule area_stats counts families by. A
-- verval result is counted there.
with seen as (
    select id_keluarga, kode_kelurahan, valid_from, count(*) as n
    from person_interval
    group by all
)
select id_keluarga, kode_kelurahan
from seen
qualify row_number() over (partition by id_keluarga order by valid_from desc, n desc, kode_kelurahan) = 1
