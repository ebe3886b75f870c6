-- OPD interventions: the agencies and their programmes (loaded from data/opd.csv and
-- data/program.csv by analytics.interventions.ensure_catalog), the files each OPD sends, their
-- records, how each record matches the list, and summaries maintained in the import transaction.

create table opd (
    kode_opd varchar not null,
    nama varchar not null,
    singkatan varchar not null,
    urutan integer not null,
    di_berkas boolean not null -- false: no longer in data/opd.csv but still referenced by records
);

-- strategi: bantuan_pendapatan | usaha_produktif | kantong_kemiskinan; satuan: orang | keluarga.
-- nilai is rupiah per unit per month, paid for `bulan` months between mulai and selesai.
create table program (
    kode_program varchar not null,
    kode_opd varchar not null,
    nama varchar not null,
    strategi varchar not null,
    satuan varchar not null,
    nilai bigint not null,
    bulan integer not null,
    sumber_dana varchar not null,
    mulai date,
    selesai date,
    di_berkas boolean not null
);

create sequence intervensi_berkas_id_seq;

-- One row per imported OPD file; the period is the first and last record date in the file.
create table intervensi_berkas (
    berkas_id integer primary key default nextval('intervensi_berkas_id_seq'),
    kode_opd varchar not null,
    source_file varchar not null,
    sha256 varchar not null,
    periode_dari date not null,
    periode_sampai date not null,
    imported_at timestamp not null,
    imported_by varchar not null,
    row_count integer not null,
    is_demo boolean not null default false
);

-- One row per record of an OPD file; person_key is the keyed NIK hash (the raw NIK is never stored).
create table intervensi (
    berkas_id integer not null,
    baris integer not null, -- the row number in the source file, as Excel shows it
    kode_opd varchar not null,
    kode_program varchar not null,
    tanggal date not null,
    status varchar not null, -- rencana | tersalur
    nilai bigint not null,
    person_key varchar,
    nik_masked varchar,
    id_keluarga_berkas varchar, -- as the file gave it
    nama_berkas varchar, -- as the file gave it; shown only when names may be shown
    catatan varchar
);

-- How each record matches the list, recomputed whenever the list or the catalog changes.
-- penerima: the beneficiary unit (person_key for per-person programmes, the family otherwise).
create table intervensi_cocok (
    berkas_id integer not null,
    baris integer not null,
    penerima varchar not null,
    id_keluarga varchar,
    kode_kelurahan varchar, -- on the list at the record date, else last known, else null
    pernah_di_daftar boolean not null,
    di_daftar boolean not null -- on the list at the record date
);

-- Per snapshot x OPD x programme x kelurahan. kode_program '*' = any programme of the OPD;
-- kode_opd '*' = any OPD. Reached counts place people and families by their kelurahan on the list
-- at as_of; the other columns place a beneficiary by the kelurahan of the record (null = unknown).
create table intervensi_stats (
    as_of date not null,
    kode_opd varchar not null,
    kode_program varchar not null,
    kode_kelurahan varchar,
    orang_terjangkau integer not null, -- on the list at as_of and delivered to on or before as_of
    keluarga_terjangkau integer not null,
    penerima integer not null, -- beneficiaries with any record on or before as_of
    penugasan_belum_tersalur integer not null, -- (beneficiary, programme) planned, not delivered, still listed
    penerima_luar_daftar integer not null, -- beneficiaries with a record made while not on the list
    nilai_tersalur bigint not null
);

-- Per snapshot x kelurahan: families on the list by which strategies have reached them.
create table intervensi_irisan (
    as_of date not null,
    kode_kelurahan varchar not null,
    bantuan_pendapatan boolean not null,
    usaha_produktif boolean not null,
    kantong_kemiskinan boolean not null,
    keluarga integer not null,
    orang integer not null
);

-- Per record date x OPD x programme x kelurahan of the record: rows, rupiah and new beneficiaries.
create table intervensi_harian (
    tanggal date not null,
    kode_opd varchar not null,
    kode_program varchar not null,
    kode_kelurahan varchar,
    baris_rencana integer not null,
    baris_tersalur integer not null,
    nilai_rencana bigint not null,
    nilai_tersalur bigint not null,
    penerima_baru integer not null -- beneficiaries whose first record of the programme is this one
);

-- What the summaries were computed from (the list's snapshots and the catalog file).
create table intervensi_state (
    key varchar primary key,
    value varchar not null
);

create or replace view v_intervensi as
select
    i.*,
    c.penerima,
    c.id_keluarga,
    c.kode_kelurahan,
    c.pernah_di_daftar,
    c.di_daftar,
    p.strategi,
    p.satuan
from intervensi i
join intervensi_cocok c using (berkas_id, baris)
join program p using (kode_program);
