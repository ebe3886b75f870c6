-- Families (and their members) on the list at $as_of by the combination of strategies that reached them.
select
    bantuan_pendapatan,
    usaha_produktif,
    kantong_kemiskinan,
    sum(keluarga) as keluarga,
    sum(orang) as orang
from intervensi_irisan
where as_of = $as_of
group by all
order by all
