-- Per snapshot x kelurahan: families on the list by the set of strategies
-- that reached them (all false = untouched). Reads the temp tables intervensi_onlist and _reach.
insert into intervensi_irisan
with fam as (
    select as_of, kode_kelurahan, id_keluarga, count(*) as orang
    from intervensi_onlist
    group by all
),
hit as (
    select distinct r.as_of, r.id_keluarga, p.strategi
    from intervensi_reach r
    join program p using (kode_program)
),
flags as (
    select
        f.as_of,
        f.kode_kelurahan,
        f.id_keluarga,
        f.orang,
        coalesce(bool_or(h.strategi = 'bantuan_pendapatan'), false) as bantuan_pendapatan,
        coalesce(bool_or(h.strategi = 'usaha_produktif'), false) as usaha_produktif,
        coalesce(bool_or(h.strategi = 'kantong_kemiskinan'), false) as kantong_kemiskinan
    from fam f
    left join hit h on h.as_of = f.as_of and h.id_keluarga = f.id_keluarga
    group by f.as_of, f.kode_kelurahan, f.id_keluarga, f.orang
)
select as_of, kode_kelurahan, bantuan_pendapatan, usaha_produktif, kantong_kemiskinan, count(*), sum(orang)
from flags
group by all
