-- Per snapshot x kelurahan: on the list now, and how many of the baseline remain.
insert into area_stats
with base as (
    select min(as_of) as d from snapshot
),
baseline as (
    select pi.person_key, pi.id_keluarga
    from person_interval pi, base
    where pi.status = 'aktif'
      and pi.valid_from <= base.d
      and coalesce(pi.valid_to, date '9999-12-31') > base.d
),
dates as (
    select as_of from snapshot where as_of >= $from_date
),
active as (
    select d.as_of, pi.person_key, pi.id_keluarga, pi.kode_kelurahan
    from dates d
    join person_interval pi
      on pi.status = 'aktif'
     and pi.valid_from <= d.as_of
     and coalesce(pi.valid_to, date '9999-12-31') > d.as_of
)
select
    a.as_of,
    a.kode_kelurahan,
    count(*) as orang_aktif,
    count(distinct a.id_keluarga) as keluarga_aktif,
    count(b.person_key) as orang_sisa_baseline,
    count(distinct b.id_keluarga) as keluarga_sisa_baseline,
    count(*) - count(b.person_key) as orang_baru
from active a
left join baseline b using (person_key)
group by a.as_of, a.kode_kelurahan
