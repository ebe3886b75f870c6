-- Issue 14: the masked NIK (first 6 + last 4 digits), the exact birth date and the sex gave back every
-- full NIK (digits 7-12 are DDMMYY of birth, day + 40 for women). Keep the birth year only, and show
-- the 6-digit area code only (analytics.privacy.mask_nik): ~365 days x 10,000 serials stay unknown.
-- The archive's Parquet files are rewritten the same way when the store is opened (archive.upgrade).
create table person_new (
    person_key varchar not null,
    nik_masked varchar not null,
    nama varchar,
    jenis_kelamin varchar,
    tahun_lahir smallint,
    alamat varchar,
    id_individu varchar,
    first_seen date
);
insert into person_new
select person_key, left(nik_masked, 6) || repeat('*', 10), nama, jenis_kelamin, year(tanggal_lahir)::smallint,
       alamat, id_individu, first_seen
from person;
drop table person;
alter table person_new rename to person;

update intervensi set nik_masked = left(nik_masked, 6) || repeat('*', 10) where nik_masked is not null;
