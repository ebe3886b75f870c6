-- Match intervention records (the relation incoming_intervensi) to the list: the beneficiary unit,
-- their family and kelurahan, whether they were ever on the list and whether they were on it at the
-- record's date. A person's family is taken at the record date, else from their latest interval.
with rec as (
    select r.berkas_id, r.baris, r.tanggal, r.person_key, r.id_keluarga_berkas, p.satuan
    from incoming_intervensi r
    join program p using (kode_program)
),
person_hit as (
    select
        r.berkas_id,
        r.baris,
        pi.id_keluarga,
        pi.kode_kelurahan,
        pi.status = 'aktif'
            and pi.valid_from <= r.tanggal
            and coalesce(pi.valid_to, date '9999-12-31') > r.tanggal as aktif,
        row_number() over (
            partition by r.berkas_id, r.baris
            order by (pi.valid_from <= r.tanggal
                      and coalesce(pi.valid_to, date '9999-12-31') > r.tanggal) desc,
                     pi.valid_from desc
        ) as rn
    from rec r
    join person_interval pi on pi.person_key = r.person_key
),
person_at as (
    select * exclude (rn) from person_hit where rn = 1
),
family_rec as (
    select r.berkas_id, r.baris, r.tanggal, coalesce(r.id_keluarga_berkas, p.id_keluarga) as id_keluarga
    from rec r
    left join person_at p using (berkas_id, baris)
    where r.satuan = 'keluarga'
),
family_hit as (
    select
        f.berkas_id,
        f.baris,
        pi.kode_kelurahan,
        pi.status = 'aktif'
            and pi.valid_from <= f.tanggal
            and coalesce(pi.valid_to, date '9999-12-31') > f.tanggal as aktif,
        pi.valid_from
    from family_rec f
    join person_interval pi on pi.id_keluarga = f.id_keluarga
),
family_at as (
    select berkas_id, baris, bool_or(aktif) as aktif, arg_max(kode_kelurahan, (aktif::int, valid_from)) as kode_kelurahan
    from family_hit
    group by berkas_id, baris
)
select
    r.berkas_id,
    r.baris,
    case
        when r.satuan = 'orang' then r.person_key
        else coalesce(f.id_keluarga, 'NIK:' || r.person_key)
    end as penerima,
    case when r.satuan = 'orang' then p.id_keluarga else f.id_keluarga end as id_keluarga,
    case when r.satuan = 'orang' then p.kode_kelurahan else fa.kode_kelurahan end as kode_kelurahan,
    case when r.satuan = 'orang' then p.berkas_id is not null else fa.berkas_id is not null end
        as pernah_di_daftar,
    coalesce(case when r.satuan = 'orang' then p.aktif else fa.aktif end, false) as di_daftar
from rec r
left join person_at p using (berkas_id, baris)
left join family_rec f using (berkas_id, baris)
left join family_at fa using (berkas_id, baris)
