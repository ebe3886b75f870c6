-- Who left and who entered between two snapshots, with reason and area. Role scope is bound:
-- $semua (DinsosPM) sees all; else only people tied to $kode_opd's records; names only if $tampil_nama.
with at_from as (
    select person_key, kode_kelurahan, id_keluarga
    from person_interval
    where status = 'aktif'
      and valid_from <= $date_from
      and coalesce(valid_to, date '9999-12-31') > $date_from
),
at_to as (
    select person_key, kode_kelurahan, id_keluarga
    from person_interval
    where status = 'aktif'
      and valid_from <= $date_to
      and coalesce(valid_to, date '9999-12-31') > $date_to
),
left_list as (
    select f.* from at_from f anti join at_to t using (person_key)
),
entered as (
    select t.* from at_to t anti join at_from f using (person_key)
),
first_exit as (
    select person_key, arg_min(alasan, valid_from) as alasan
    from person_interval
    where status = 'keluar' and valid_from > $date_from and valid_from <= $date_to
      and person_key in (select person_key from left_list)
    group by person_key
),
first_seen as (
    -- only for those who entered: new if first seen after date_from, else re-entered
    select person_key, min(valid_from) as first_from
    from person_interval
    where person_key in (select person_key from entered)
    group by person_key
),
changes as (
    select l.person_key, l.kode_kelurahan, l.id_keluarga, 'keluar' as arus,
           coalesce(x.alasan, 'tidak_diketahui') as alasan
    from left_list l
    left join first_exit x using (person_key)
    union all
    select e.person_key, e.kode_kelurahan, e.id_keluarga,
           case when s.first_from <= $date_from then 'masuk_kembali' else 'masuk_baru' end,
           null
    from entered e
    join first_seen s using (person_key)
)
select
    c.arus,
    c.alasan,
    p.nik_masked,
    case when $tampil_nama then p.nama end as nama,
    v.kecamatan,
    v.kelurahan,
    v.kode_kecamatan,
    c.kode_kelurahan
from changes c
join person p using (person_key)
join v_area v using (kode_kelurahan)
where ($kode_kecamatan is null or v.kode_kecamatan = $kode_kecamatan)
  and ($semua or c.person_key in (
          select person_key from v_intervensi where kode_opd = $kode_opd and person_key is not null
      ) or c.id_keluarga in (
          select id_keluarga from v_intervensi where kode_opd = $kode_opd and id_keluarga is not null
      ))
  and ($kode_kelurahan is null or c.kode_kelurahan = $kode_kelurahan)
order by c.arus, c.alasan, v.kecamatan, v.kelurahan, p.nik_masked
