-- Beneficiaries who were not on the list on the date of a record made on or before $as_of: one row
-- per OPD, programme and beneficiary (their first such record), with why and how many such records.
-- Role scope is bound: $semua (all), else only $kode_opd's records or those in the area
-- $kode_wilayah (a dotted kecamatan or kelurahan code); names only when $tampil_nama.
with first_person as (
    select person_key, min(valid_from) as masuk from person_interval where status = 'aktif' group by all
),
first_family as (
    select id_keluarga, min(valid_from) as masuk from person_interval where status = 'aktif' group by all
),
off as (
    select
        v.*,
        row_number() over (partition by kode_opd, kode_program, penerima order by tanggal, berkas_id, baris) as rn,
        count(*) over (partition by kode_opd, kode_program, penerima) as catatan_luar
    from v_intervensi v
    where not di_daftar and tanggal <= $as_of
)
select
    o.kode_opd,
    d.singkatan as opd,
    o.kode_program,
    o.tanggal,
    o.status,
    o.nilai,
    o.catatan_luar,
    o.nik_masked,
    coalesce(o.id_keluarga_berkas, o.id_keluarga) as id_keluarga,
    case when $tampil_nama then coalesce(o.nama_berkas, p.nama) end as nama,
    a.kecamatan,
    a.kelurahan,
    case
        when not o.pernah_di_daftar then 'tidak_pernah'
        when (case when o.satuan = 'orang' then fp.masuk else ff.masuk end) > o.tanggal then 'belum_masuk'
        else 'sudah_keluar'
    end as alasan,
    b.source_file
from off o
join opd d using (kode_opd)
join intervensi_berkas b using (berkas_id)
left join person p using (person_key)
left join v_area a using (kode_kelurahan)
left join first_person fp on fp.person_key = o.person_key
left join first_family ff on ff.id_keluarga = o.id_keluarga
where o.rn = 1
  and ($semua or o.kode_opd = $kode_opd -- named records: DinsosPM all, an OPD its own,
       or $kode_wilayah in (a.kode_kecamatan, a.kode_kelurahan)) -- a camat or lurah their area
order by d.urutan, o.kode_program, o.tanggal, o.baris
