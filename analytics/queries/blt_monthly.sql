-- One programme's records on or before $as_of by month: new beneficiaries, deliveries and rupiah.
select
    date_trunc('month', tanggal)::date as bulan,
    sum(penerima_baru) as penerima_baru,
    sum(baris_tersalur) as baris_tersalur,
    sum(nilai_tersalur) as nilai_tersalur
from intervensi_harian
where kode_program = $kode_program and tanggal <= $as_of
group by 1
order by 1
