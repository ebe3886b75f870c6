-- Families whose members on the list at $as_of live in more than one kelurahan: one row per family
-- x kelurahan with the members there, and whether the family is counted there (the rule of
-- stats_area: most members, ties to the lowest kelurahan code).
with members as (
    select pi.id_keluarga, pi.kode_kelurahan, count(*) as anggota
    from person_interval pi
    where pi.status = 'aktif'
      and pi.valid_from <= $as_of
      and coalesce(pi.valid_to, date '9999-12-31') > $as_of
    group by all
),
split as (
    select id_keluarga from members group by id_keluarga having count(*) > 1
),
ranked as (
    select m.*,
           row_number() over (partition by m.id_keluarga order by m.anggota desc, m.kode_kelurahan) = 1
               as dihitung
    from members m
    semi join split using (id_keluarga)
)
select r.id_keluarga, r.kode_kelurahan, k.nama as kelurahan, r.anggota::integer as anggota, r.dihitung
from ranked r
left join kelurahan k using (kode_kelurahan)
order by r.id_keluarga, r.kode_kelurahan
