-- Families counted once each, in one kelurahan (the one holding most of its members on the list,
-- ties to the lowest code): recompute every snapshot's area_stats with that rule.
delete from area_stats;

-- Families (measures keluarga_di_daftar, keluarga_sisa_daftar_awal): one family = one ID Keluarga,
-- counted in ONE kelurahan per date: the kelurahan where most of its members on the list are, ties
-- to the lowest kelurahan code (the store keeps no head-of-family field). Area counts then sum to
-- the city's distinct ID Keluarga.
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
    select as_of from snapshot where true
),
active as (
    select d.as_of, pi.person_key, pi.id_keluarga, pi.kode_kelurahan
    from dates d
    join person_interval pi
      on pi.status = 'aktif'
     and pi.valid_from <= d.as_of
     and coalesce(pi.valid_to, date '9999-12-31') > d.as_of
),
joined as (
    select a.as_of, a.person_key, a.id_keluarga, a.kode_kelurahan,
           b.person_key as base_key, b.id_keluarga as base_keluarga
    from active a
    left join baseline b using (person_key)
),
family_home as (
    select as_of, kode_kelurahan, count(*) as keluarga
    from (
        select as_of, id_keluarga, kode_kelurahan,
               row_number() over (
                   partition by as_of, id_keluarga order by count(*) desc, kode_kelurahan
               ) as rn
        from joined
        group by as_of, id_keluarga, kode_kelurahan
    )
    where rn = 1
    group by all
),
base_family_home as (
    select as_of, kode_kelurahan, count(*) as keluarga
    from (
        select as_of, base_keluarga, kode_kelurahan,
               row_number() over (
                   partition by as_of, base_keluarga order by count(*) desc, kode_kelurahan
               ) as rn
        from joined
        where base_key is not null
        group by as_of, base_keluarga, kode_kelurahan
    )
    where rn = 1
    group by all
),
people as (
    select as_of, kode_kelurahan,
           count(*) as orang_aktif,
           count(base_key) as orang_sisa_baseline
    from joined
    group by all
)
select
    p.as_of,
    p.kode_kelurahan,
    p.orang_aktif,
    coalesce(fh.keluarga, 0) as keluarga_aktif,
    p.orang_sisa_baseline,
    coalesce(bh.keluarga, 0) as keluarga_sisa_baseline,
    p.orang_aktif - p.orang_sisa_baseline as orang_baru
from people p
left join family_home fh using (as_of, kode_kelurahan)
left join base_family_home bh using (as_of, kode_kelurahan)

