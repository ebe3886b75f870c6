-- What an incoming snapshot would change against the latest snapshot before its date. An exit the
-- file leaves without a reason takes the latest verval result, as flow_stats will (migration 025).
with prev as (
    select max(as_of) as d from snapshot where as_of < $as_of
),
prev_active as (
    select pi.person_key, pi.id_keluarga
    from person_interval pi, prev
    where pi.status = 'aktif'
      and pi.valid_from <= prev.d
      and coalesce(pi.valid_to, date '9999-12-31') > prev.d
),
seen as (
    select distinct person_key from person_interval where valid_from < $as_of
),
vr as (
    select * from verval_reason()
)
select 'keluar' as arus, exit_reason(i.alasan, vp.hasil, vk.hasil) as alasan, count(*) as orang
from prev_active p
left join incoming i using (person_key)
left join vr vp on vp.person_key = p.person_key
left join vr vk on vk.person_key is null and vk.id_keluarga = p.id_keluarga
where i.person_key is null or i.status = 'keluar'
group by all
union all
select case when s.person_key is null then 'masuk_baru' else 'masuk_kembali' end, null, count(*)
from incoming i
left join prev_active p using (person_key)
left join seen s using (person_key)
where i.status = 'aktif' and p.person_key is null
group by all
