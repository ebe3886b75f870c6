-- Per snapshot x kelurahan: families on the list, and those any intervention has reached
-- (the same summary the Intervensi OPD page reads).
select
    as_of,
    kode_kelurahan,
    sum(keluarga) as keluarga_irisan,
    sum(keluarga) filter (where bantuan_pendapatan or usaha_produktif or kantong_kemiskinan)
        as keluarga_terjangkau
from intervensi_irisan
group by as_of, kode_kelurahan
