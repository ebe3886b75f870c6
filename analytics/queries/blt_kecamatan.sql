-- One programme's beneficiaries and rupiah delivered on or before $as_of per kecamatan (all ten, plus
-- a row for beneficiaries whose area is unknown because they were never on the list).
with h as (
    select a.kode_kecamatan, sum(h.penerima_baru) as penerima, sum(h.nilai_tersalur) as nilai_tersalur
    from intervensi_harian h
    left join v_area a using (kode_kelurahan)
    where h.kode_program = $kode_program and h.tanggal <= $as_of
    group by 1
)
select k.kode_kecamatan, k.nama as kecamatan, coalesce(h.penerima, 0) as penerima,
       coalesce(h.nilai_tersalur, 0) as nilai_tersalur
from kecamatan k
left join h using (kode_kecamatan)
union all
select null, null, penerima, nilai_tersalur
from h
where kode_kecamatan is null
order by kode_kecamatan nulls last
