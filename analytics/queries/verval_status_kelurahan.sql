-- Per kelurahan with families on the list at $as_of: those families, how many of them have a verval
-- result dated in [$since, $today], and the latest result date of any of them.
with active as (
    select pi.id_keluarga, pi.kode_kelurahan, pi.person_key
    from person_interval pi
    where pi.status = 'aktif'
      and pi.valid_from <= $as_of
      and coalesce(pi.valid_to, date '9999-12-31') > $as_of
),
listed as (
    -- one kelurahan per family: the one holding most of its members on the list, ties to the lowest
    -- code (the rule area_stats counts families by)
    select id_keluarga, kode_kelurahan
    from (select id_keluarga, kode_kelurahan, count(*) as n from active group by all)
    qualify row_number() over (partition by id_keluarga order by n desc, kode_kelurahan) = 1
),
checked as (
    select id_keluarga, max(tanggal) filter (where tanggal between $since and $today) as dalam_jendela,
           max(tanggal) as terakhir
    from verval
    group by id_keluarga
)
select a.kode_kecamatan, a.kecamatan, l.kode_kelurahan, a.kelurahan,
       count(*) as keluarga,
       count(c.dalam_jendela) as terverifikasi,
       max(c.terakhir) as terakhir
from listed l
left join checked c using (id_keluarga)
left join v_area a using (kode_kelurahan)
group by all
order by a.kode_kecamatan, l.kode_kelurahan
