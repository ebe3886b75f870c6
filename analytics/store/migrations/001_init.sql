-- Areas: Kemendagri codes are the join keys, names are for display only.
create table kecamatan (
    kode_kecamatan varchar primary key,
    nama varchar not null,
    luas_km2 double
);

create table kelurahan (
    kode_kelurahan varchar primary key,
    nama varchar not null,
    kode_kecamatan varchar not null,
    luas_km2 double
);

-- Older codes and name spellings that map to a current kelurahan.
create table kelurahan_alias (
    alias_kode varchar,
    alias_nama varchar,
    kode_kelurahan varchar not null,
    catatan varchar
);

create table setting (
    key varchar primary key,
    value varchar not null
);

create sequence snapshot_id_seq;

create table snapshot (
    snapshot_id integer primary key default nextval('snapshot_id_seq'),
    as_of date not null unique,
    source_file varchar not null,
    sha256 varchar not null unique,
    imported_at timestamp not null,
    imported_by varchar not null,
    row_count integer not null,
    people_active integer not null,
    families_active integer not null,
    is_demo boolean not null default false
);

-- Latest personal details per person; the key is an HMAC of the NIK, the raw NIK is never stored.
create table person (
    person_key varchar primary key,
    nik_masked varchar not null,
    nama varchar,
    jenis_kelamin varchar,
    tanggal_lahir date,
    alamat varchar,
    id_individu varchar
);

-- Validity intervals (SCD2) over snapshot dates: [valid_from, valid_to), valid_to null = still open.
-- status 'aktif' = on the list; 'keluar' = listed in that snapshot as having left, with alasan.
create table person_interval (
    person_key varchar not null,
    valid_from date not null,
    valid_to date,
    id_keluarga varchar not null,
    kode_kelurahan varchar not null,
    desil smallint,
    status varchar not null,
    alasan varchar
);

-- Per snapshot x kelurahan counts, maintained inside each import's transaction.
create table area_stats (
    as_of date not null,
    kode_kelurahan varchar not null,
    orang_aktif integer not null,
    keluarga_aktif integer not null,
    orang_sisa_baseline integer not null,
    keluarga_sisa_baseline integer not null,
    orang_baru integer not null
);

-- Per snapshot x kelurahan x flow counts: exits by reason, new entrants, re-entries.
create table flow_stats (
    as_of date not null,
    prev_as_of date not null,
    kode_kelurahan varchar not null,
    arus varchar not null,
    alasan varchar,
    dari_baseline boolean not null,
    orang integer not null
);

create sequence import_log_id_seq;

create table import_log (
    log_id integer primary key default nextval('import_log_id_seq'),
    logged_at timestamp not null,
    kind varchar not null,
    file_name varchar not null,
    sha256 varchar,
    as_of date,
    outcome varchar not null,
    message varchar,
    row_count integer,
    user_name varchar not null
);
