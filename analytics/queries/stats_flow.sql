-- Per snapshot x kelurahan: who left since the previous snapshot (by reason), who entered,
-- and who moved between kelurahan inside the city. An exit the registry left without a reason takes
-- the latest verval result (macros of migration 025, as snapshot_changes), with its source and proof.
insert into flow_stats (
    as_of, prev_as_of, kode_kelurahan, arus, alasan, dari_baseline, orang, sumber_alasan, terbukti
)
with base as (
    select min(as_of) as d from snapshot
),
baseline as (
    select pi.person_key
    from person_interval pi, base
    where pi.status = 'aktif'
      and pi.valid_from <= base.d
      and coalesce(pi.valid_to, date '9999-12-31') > base.d
),
pairs as (
    select as_of, prev
    from (select as_of, lag(as_of) over (order by as_of) as prev from snapshot)
    where prev is not null and as_of >= $from_date
),
prev_active as (
    select p.as_of, p.prev, pi.person_key, pi.kode_kelurahan, pi.id_keluarga
    from pairs p
    join person_interval pi
      on pi.status = 'aktif'
     and pi.valid_from <= p.prev
     and coalesce(pi.valid_to, date '9999-12-31') > p.prev
),
cur_state as (
    select p.as_of, p.prev, pi.person_key, pi.kode_kelurahan, pi.status, pi.alasan
    from pairs p
    join person_interval pi
      on pi.valid_from <= p.as_of
     and coalesce(pi.valid_to, date '9999-12-31') > p.as_of
),
first_seen as (
    select person_key, min(valid_from) as first_from
    from person_interval
    group by person_key
),
vr as (
    select * from verval_reason()
),
exits as (
    select pa.as_of, pa.prev, pa.kode_kelurahan, pa.person_key, c.alasan,
           vp.hasil as p_hasil, vk.hasil as k_hasil, vp.bukti as p_bukti, vk.bukti as k_bukti
    from prev_active pa
    left join cur_state c on c.as_of = pa.as_of and c.person_key = pa.person_key
    left join vr vp on vp.person_key = pa.person_key
    left join vr vk on vk.person_key is null and vk.id_keluarga = pa.id_keluarga
    where c.person_key is null or c.status = 'keluar'
),
moves as (
    select as_of, prev, kode_kelurahan, 'keluar' as arus,
           exit_reason(alasan, p_hasil, k_hasil) as alasan, person_key,
           exit_reason_source(alasan, p_hasil, k_hasil) as sumber_alasan,
           exit_proven(exit_reason(alasan, p_hasil, k_hasil), p_bukti, k_bukti) as terbukti
    from exits
    union all
    select c.as_of, c.prev, c.kode_kelurahan,
           case when f.first_from < c.as_of then 'masuk_kembali' else 'masuk_baru' end,
           null, c.person_key, null, null
    from cur_state c
    join first_seen f using (person_key)
    left join prev_active pa on pa.as_of = c.as_of and pa.person_key = c.person_key
    where c.status = 'aktif' and pa.person_key is null
    union all
    -- moves between kelurahan inside the city: out of the old one, into the new one
    select pa.as_of, pa.prev, side.kode_kelurahan, side.arus, null, pa.person_key, null, null
    from prev_active pa
    join cur_state c on c.as_of = pa.as_of and c.person_key = pa.person_key
    cross join lateral (
        select pa.kode_kelurahan as kode_kelurahan, 'mutasi_keluar' as arus
        union all
        select c.kode_kelurahan, 'mutasi_masuk'
    ) side
    where c.status = 'aktif' and c.kode_kelurahan <> pa.kode_kelurahan
)
select m.as_of, m.prev, m.kode_kelurahan, m.arus, m.alasan, b.person_key is not null, count(*),
       m.sumber_alasan, m.terbukti
from moves m
left join baseline b using (person_key)
group by all
