-- Per kelurahan with families on the list at $as_of: those families, how many of them have a verval
-- result dated in [$since, $today], and the latest result date of any of them.
with listed as (
    select distinct id_keluarga, kode_kelurahan
    from person_interval
    where status = 'aktif'
      and valid_from <= $as_of
      and coalesce(valid_to, date '9999-12-31') > $as_of
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
