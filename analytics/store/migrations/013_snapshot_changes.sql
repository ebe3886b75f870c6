-- Who left and who entered between two snapshots, read from the intervals that ended or started
-- between them (interval_end, and person_interval by valid_from) instead of everyone on the list at
-- both dates. Shared by the named queries snapshot_diff and snapshot_diff_kinds.
-- A person on the list at date_from and not at date_to has an 'aktif' interval that ended inside
-- the span; one on the list at date_to and not at date_from has an 'aktif' interval that started
-- inside it and is still open at date_to. A move between kelurahan has both and is neither.
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
first_exit as (
    select s.person_key, arg_min(s.alasan, s.valid_from) as alasan
    from started s semi join left_list l using (person_key)
    where s.status = 'keluar'
    group by s.person_key
)
select l.person_key, l.kode_kelurahan, l.id_keluarga, 'keluar' as arus,
       coalesce(x.alasan, 'tidak_diketahui') as alasan
from left_list l
left join first_exit x using (person_key)
union all
select e.person_key, e.kode_kelurahan, e.id_keluarga,
       case when p.first_seen <= p_date_from then 'masuk_kembali' else 'masuk_baru' end,
       null
from entered e
join person p using (person_key);

-- The changes a role may see, with their area: DinsosPM ($semua) all; an OPD only people tied to
-- its records; area filters optional (null = all).
create or replace macro snapshot_changes_scoped(
    p_date_from, p_date_to, p_kode_kecamatan, p_kode_kelurahan, p_semua, p_kode_opd
) as table
select c.*, v.kecamatan, v.kelurahan, v.kode_kecamatan
from snapshot_changes(p_date_from, p_date_to) c
join v_area v using (kode_kelurahan)
where (p_kode_kecamatan is null or v.kode_kecamatan = p_kode_kecamatan)
  and (p_kode_kelurahan is null or c.kode_kelurahan = p_kode_kelurahan)
  and (p_semua
       or c.person_key in (
           select person_key from v_intervensi where kode_opd = p_kode_opd and person_key is not null)
       or c.id_keluarga in (
           select id_keluarga from v_intervensi where kode_opd = p_kode_opd and id_keluarga is not null));
