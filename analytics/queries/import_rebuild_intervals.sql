-- General path (a date inserted before the latest, or a date replaced): expand the intervals to
-- one point per person and snapshot date, put the incoming snapshot in place of date $as_of,
-- and compress the points back into intervals (gaps and islands over the ordered dates).
create temp table rebuilt_interval as
with dates as (
    select as_of, row_number() over (order by as_of) as rn
    from snapshot
),
points as (
    select pi.person_key, d.rn, pi.id_keluarga, pi.kode_kelurahan, pi.desil, pi.status, pi.alasan
    from person_interval pi
    join dates d
      on d.as_of >= pi.valid_from
     and d.as_of < coalesce(pi.valid_to, date '9999-12-31')
    where d.as_of <> $as_of
    union all
    select i.person_key, d.rn, i.id_keluarga, i.kode_kelurahan, i.desil, i.status, i.alasan
    from incoming i
    join dates d on d.as_of = $as_of
),
grouped as (
    select
        *,
        rn - row_number() over (
            partition by person_key, id_keluarga, kode_kelurahan, desil, status, alasan
            order by rn
        ) as island
    from points
),
islands as (
    select person_key, id_keluarga, kode_kelurahan, desil, status, alasan,
           min(rn) as rn_from, max(rn) as rn_to
    from grouped
    group by person_key, id_keluarga, kode_kelurahan, desil, status, alasan, island
)
select
    s.person_key,
    f.as_of as valid_from,
    t.as_of as valid_to,
    s.id_keluarga,
    s.kode_kelurahan,
    s.desil,
    s.status,
    s.alasan
from islands s
join dates f on f.rn = s.rn_from
left join dates t on t.rn = s.rn_to + 1
