-- Per record date x OPD x programme x kelurahan of the record: planned and delivered rows and rupiah,
-- and beneficiaries appearing for the first time in the programme.
insert into intervensi_harian
with ranked as (
    select
        *,
        row_number() over (partition by kode_program, penerima order by tanggal, berkas_id, baris) = 1
            as pertama
    from v_intervensi
)
select
    tanggal,
    kode_opd,
    kode_program,
    kode_kelurahan,
    count(*) filter (where status = 'rencana'),
    count(*) filter (where status = 'tersalur'),
    coalesce(sum(nilai) filter (where status = 'rencana'), 0),
    coalesce(sum(nilai) filter (where status = 'tersalur'), 0),
    count(*) filter (where pertama)
from ranked
group by all
