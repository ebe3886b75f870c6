-- Per OPD: the latest record date on or before $as_of (any status, and deliveries only), how many
-- days before $as_of that was, how many files the OPD sent and when the latest one was received.
with h as (
    select
        kode_opd,
        max(tanggal) as data_terakhir,
        max(tanggal) filter (where baris_tersalur > 0) as salur_terakhir
    from intervensi_harian
    where tanggal <= $as_of
    group by kode_opd
),
b as (
    select kode_opd, count(*) as berkas, max(imported_at) as diterima_terakhir
    from intervensi_berkas
    group by kode_opd
)
select
    o.kode_opd,
    o.nama,
    o.singkatan,
    h.data_terakhir,
    h.salur_terakhir,
    date_diff('day', h.data_terakhir, $as_of::date) as hari_sejak_data,
    coalesce(b.berkas, 0) as berkas,
    b.diterima_terakhir
from opd o
left join h using (kode_opd)
left join b using (kode_opd)
order by o.urutan
