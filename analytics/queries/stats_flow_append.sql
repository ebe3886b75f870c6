-- Append path: flow_stats for the new latest snapshot $as_of against the one before it ($prev_as_of),
-- the same rows stats_flow gives, read from the intervals this import closed and opened (the
-- macro snapshot_changes and interval_end) instead of everyone on the list at both dates and every
-- person's first date (4.6 s at 5M people). Baseline membership ($base: the first snapshot) is
-- looked up for the people who changed only. Exit reasons filled from verval as in stats_flow.
insert into flow_stats (
    as_of, prev_as_of, kode_kelurahan, arus, alasan, dari_baseline, orang, sumber_alasan, terbukti
)
with changes as (
    select person_key, kode_kelurahan, arus, alasan, sumber_alasan, terbukti
    from snapshot_changes($prev_as_of, $as_of)
),
moves as (
    select e.person_key, e.kode_kelurahan as dari, s.kode_kelurahan as ke
    from interval_end e
    join person_interval s on s.person_key = e.person_key
    where e.valid_to = $as_of and e.valid_from <= $prev_as_of and e.status = 'aktif'
      and s.valid_from = $as_of and s.status = 'aktif'
      and s.kode_kelurahan <> e.kode_kelurahan
),
moved as (
    select person_key, kode_kelurahan, arus, alasan, sumber_alasan, terbukti from changes
    union all
    select person_key, dari, 'mutasi_keluar', null, null, null from moves
    union all
    select person_key, ke, 'mutasi_masuk', null, null, null from moves
),
baseline as (
    select pi.person_key
    from person_interval pi
    where pi.status = 'aktif'
      and pi.valid_from <= $base
      and coalesce(pi.valid_to, date '9999-12-31') > $base
      and pi.person_key in (select person_key from moved)
)
select $as_of, $prev_as_of, m.kode_kelurahan, m.arus, m.alasan, b.person_key is not null, count(*),
       m.sumber_alasan, m.terbukti
from moved m
left join baseline b using (person_key)
group by all
