-- Issue 19: an exit the registry left without a reason takes the latest verification (verval) result,
-- never a guess. verval_reason() gives, per person (person_key set) and per family (person_key null,
-- keyed by id_keluarga), the latest result (by tanggal, then verval_id) and whether a graduasi result
-- with a complete checklist stands behind it (bukti). A person's own rows win over the family's; a
-- latest result 'masih_miskin_ekstrem' fills nothing. Both stats_flow and snapshot_changes (so
-- stats_flow_append and the Perubahan lists) use it, so every path gives the same reason.
create or replace macro verval_reason() as table
select person_key,
       case when person_key is null then id_keluarga end as id_keluarga,
       arg_max(hasil, (tanggal, verval_id)) as hasil,
       bool_or(hasil = 'graduasi' and coalesce(checklist_lengkap, false)) as bukti
from verval
group by person_key, case when person_key is null then id_keluarga end;

-- An exit's reason, its source and its proof from the registry's reason (alasan, null or
-- 'tidak_diketahui' when the file gave none) and the person's (p_*) and family's (k_*) verval rows.
create or replace macro exit_reason(alasan, p_hasil, k_hasil) as
    case when coalesce(alasan, 'tidak_diketahui') <> 'tidak_diketahui' then alasan
         when coalesce(p_hasil, k_hasil) <> 'masih_miskin_ekstrem' then coalesce(p_hasil, k_hasil)
         else 'tidak_diketahui' end;
create or replace macro exit_reason_source(alasan, p_hasil, k_hasil) as
    case when coalesce(alasan, 'tidak_diketahui') <> 'tidak_diketahui' then 'registri'
         when coalesce(p_hasil, k_hasil) <> 'masih_miskin_ekstrem' then 'verval' end;
create or replace macro exit_proven(reason, p_bukti, k_bukti) as
    case when reason = 'graduasi' then coalesce(p_bukti, false) or coalesce(k_bukti, false) end;

-- Who left and who entered between two snapshots (as 015), the exits with their reason filled from
-- verval where the registry gave none, its source (sumber_alasan: 'registri', 'verval' or null) and,
-- for graduasi, whether it is proven (terbukti).
create or replace macro snapshot_changes(p_date_from, p_date_to) as table
with ended as (
    select person_key, kode_kelurahan, id_keluarga
    from interval_end
    where valid_to > p_date_from and valid_to <= p_date_to
      and status = 'aktif' and valid_from <= p_date_from
),
started as (
    select person_key, valid_from, kode_kelurahan, id_keluarga, status, alasan,
           coalesce(valid_to, date '9999-12-31') as until
    from person_interval
    where valid_from > p_date_from and valid_from <= p_date_to
),
on_at_to as (
    select person_key, kode_kelurahan, id_keluarga from started where status = 'aktif' and until > p_date_to
),
left_list as (
    select * from ended anti join on_at_to using (person_key)
),
entered as (
    select * from on_at_to anti join ended using (person_key)
),
first_time as (
    -- first on any snapshot inside the span: person rows are added in first_seen order, so this
    -- reads a few row groups instead of joining every person (~100 ms at 5M people)
    select person_key from person where first_seen > p_date_from and first_seen <= p_date_to
),
first_exit as (
    select s.person_key, arg_min(s.alasan, s.valid_from) as alasan
    from started s semi join left_list l using (person_key)
    where s.status = 'keluar'
    group by s.person_key
),
vr as (
    select * from verval_reason()
),
exits as (
    select l.person_key, l.kode_kelurahan, l.id_keluarga, x.alasan,
           vp.hasil as p_hasil, vk.hasil as k_hasil, vp.bukti as p_bukti, vk.bukti as k_bukti
    from left_list l
    left join first_exit x using (person_key)
    left join vr vp on vp.person_key = l.person_key
    left join vr vk on vk.person_key is null and vk.id_keluarga = l.id_keluarga
)
select person_key, kode_kelurahan, id_keluarga, 'keluar' as arus,
       exit_reason(alasan, p_hasil, k_hasil) as alasan,
       exit_reason_source(alasan, p_hasil, k_hasil) as sumber_alasan,
       exit_proven(exit_reason(alasan, p_hasil, k_hasil), p_bukti, k_bukti) as terbukti
from exits
union all
select e.person_key, e.kode_kelurahan, e.id_keluarga,
       case when e.person_key in (select person_key from first_time) then 'masuk_baru' else 'masuk_kembali' end,
       null, null::varchar, null::boolean
from entered e;

-- Re-made so it is bound to the macro above (as 021).
create or replace macro snapshot_changes_scoped(
    p_date_from, p_date_to, p_kode_kecamatan, p_kode_kelurahan, p_semua, p_kode_opd, p_kode_wilayah
) as table
select c.*, v.kecamatan, v.kelurahan, v.kode_kecamatan
from snapshot_changes(p_date_from, p_date_to) c
join v_area v using (kode_kelurahan)
where (p_kode_kecamatan is null or v.kode_kecamatan = p_kode_kecamatan)
  and (p_kode_kelurahan is null or c.kode_kelurahan = p_kode_kelurahan)
  and (p_semua
       or p_kode_wilayah in (v.kode_kecamatan, c.kode_kelurahan)
       or c.person_key in (
           select person_key from v_intervensi where kode_opd = p_kode_opd and person_key is not null)
       or c.id_keluarga in (
           select id_keluarga from v_intervensi where kode_opd = p_kode_opd and id_keluarga is not null));
