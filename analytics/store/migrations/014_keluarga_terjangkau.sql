-- Per snapshot: the families on the list that a delivered intervention had reached by then (the
-- rule of queries/intervensi_reach.sql, whose temp table this keeps). The untouched-families list
-- anti-joins it instead of matching every person on the list with every delivery on each page
-- view (822 ms a page at 5M people). Maintained by interventions.refresh in the import
-- transaction, like intervensi_irisan; filled here once from the records already matched.
create table intervensi_keluarga_terjangkau (
    as_of date not null,
    id_keluarga varchar not null
);

insert into intervensi_keluarga_terjangkau
with onlist as (
    select d.as_of, pi.person_key, pi.id_keluarga
    from snapshot d
    join person_interval pi
      on pi.status = 'aktif'
     and pi.valid_from <= d.as_of
     and coalesce(pi.valid_to, date '9999-12-31') > d.as_of
),
first_person as (
    select person_key, min(tanggal) as pertama
    from v_intervensi
    where status = 'tersalur' and satuan = 'orang'
    group by person_key
),
first_family as (
    select id_keluarga, min(tanggal) as pertama
    from v_intervensi
    where status = 'tersalur' and satuan = 'keluarga' and id_keluarga is not null
    group by id_keluarga
)
select distinct as_of, id_keluarga
from (
    select o.as_of, o.id_keluarga
    from onlist o
    join first_person f on f.person_key = o.person_key and f.pertama <= o.as_of
    union all
    select o.as_of, o.id_keluarga
    from onlist o
    join first_family f on f.id_keluarga = o.id_keluarga and f.pertama <= o.as_of
)
order by as_of, id_keluarga;
