-- Verification and graduation up to $as_of: exits (people) by graduation proven or not (flow_stats'
-- terbukti: a verval graduasi result with its checklist met stands behind it), desil naik (never
-- graduation), exits whose reason a verification gave; and the families on the list at $as_of that
-- have a verval result dated in the $months months up to $as_of (setting verval_months).
with flows as (
    select
        coalesce(sum(orang) filter (where alasan = 'graduasi' and terbukti), 0) as graduasi_terbukti,
        coalesce(sum(orang) filter (where alasan = 'graduasi' and not coalesce(terbukti, false)), 0)
            as graduasi_tanpa_bukti,
        coalesce(sum(orang) filter (where alasan = 'desil_naik'), 0) as desil_naik,
        coalesce(sum(orang) filter (where sumber_alasan = 'verval'), 0) as dari_verval,
        coalesce(sum(orang) filter (where alasan = 'tidak_diketahui'), 0) as tidak_diketahui,
        coalesce(sum(orang), 0) as keluar
    from flow_stats
    where arus = 'keluar' and as_of <= $as_of
),
on_list as (
    select distinct id_keluarga
    from person_interval
    where status = 'aktif' and valid_from <= $as_of and coalesce(valid_to, date '9999-12-31') > $as_of
),
checked as (
    select distinct id_keluarga from verval where tanggal > ($as_of::date - to_months($months::integer))::date and tanggal <= $as_of
)
select f.*,
       (select count(*) from on_list)::integer as keluarga_di_daftar,
       (select count(*) from on_list semi join checked using (id_keluarga))::integer as keluarga_diverifikasi
from flows f
