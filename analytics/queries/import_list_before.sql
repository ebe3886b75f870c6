-- People on the list at the latest snapshot before an incoming snapshot's date.
with prev as (
    select max(as_of) as d from snapshot where as_of < $as_of
)
select count(*) as orang
from person_interval pi, prev
where pi.status = 'aktif'
  and pi.valid_from <= prev.d
  and coalesce(pi.valid_to, date '9999-12-31') > prev.d
