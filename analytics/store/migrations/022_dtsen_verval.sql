-- Issue 19: DTSEN snapshots continue the P3KE series, verification (verval) results stand behind exits,
-- Written to run again over a store that has it (tests/test_integrity.py replays migrations from 016).
-- and a graduation counts as proven only with its checklist.

-- The source format a snapshot was read with (data/formats/<name>.toml): 'p3ke_individu',
-- 'dtsen_desil', 'dtsen_nama'. Time charts mark the date the source changed.
alter table snapshot add column if not exists sumber varchar default 'p3ke_individu';

-- No KK is protected like NIK: only its keyed hash (same secret as the NIK key) and a masked form are
-- stored, tied to the family id the list uses (P3KE ID Keluarga, or one made from the keyed No KK).
create table if not exists keluarga_kk (
    kk_key varchar not null,
    kk_masked varchar not null,
    id_keluarga varchar not null,
    first_seen date not null
);

-- Families DinsosPM flags as extreme-poor: on the list in a DTSEN snapshot whatever their desil.
-- A flag removed is deleted; both are in the audit log.
create table if not exists keluarga_tanda (
    id_keluarga varchar not null,
    catatan varchar,
    ditandai_pada timestamp not null,
    ditandai_oleh varchar not null
);

-- Families and people per desil (1-10) per kelurahan in a DTSEN file, counted over the whole file
-- (not only those on the list): the map's desil distribution. Aggregates only, no person.
create table if not exists desil_area (
    as_of date not null,
    kode_kelurahan varchar not null,
    desil smallint not null,
    keluarga integer not null,
    orang integer not null
);

-- Verification results (verval), per family (person_key null) or per person.
-- hasil: analytics.domain.VERVAL_RESULTS. dasar: 'ba_muskel' (berita acara of the musyawarah
-- kelurahan) or 'sptjm'. checklist: JSON {dimension code: true|false} from data/graduasi.csv, for
-- a graduasi result; checklist_lengkap: every dimension met (null for other results).
-- sumber: 'berkas' (a per-kelurahan sheet, file_name/sha256 set) or 'profil' (entered on the profile).
create sequence if not exists verval_id_seq;
create table if not exists verval (
    verval_id integer primary key default nextval('verval_id_seq'),
    id_keluarga varchar not null,
    person_key varchar,
    kode_kelurahan varchar not null,
    hasil varchar not null,
    tanggal date not null,
    dasar varchar not null,
    nomor_dasar varchar not null,
    tanggal_dasar date,
    petugas varchar not null,
    checklist varchar,
    checklist_lengkap boolean,
    sumber varchar not null,
    file_name varchar,
    sha256 varchar,
    dicatat_pada timestamp not null,
    dicatat_oleh varchar not null
);

-- Where an exit's reason came from: 'registri' (the snapshot file said so), 'verval' (a verification
-- result filled an exit the file left without a reason), null (still unknown). terbukti: for a
-- graduasi exit, whether a verval graduasi result with a complete checklist stands behind it.
alter table flow_stats add column if not exists sumber_alasan varchar;
alter table flow_stats add column if not exists terbukti boolean;
