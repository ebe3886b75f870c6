-- The primary key on person(person_key) kept an ART index of ~100 MB per million people (a third of
-- the store at 1M x 36) and was only used by the import's upsert. Uniqueness is kept by the import
-- instead (analytics/queries/import_insert_person.sql inserts only keys not yet stored) and checked
-- by tests/test_properties.py.
create table person_new (
    person_key varchar not null,
    nik_masked varchar not null,
    nama varchar,
    jenis_kelamin varchar,
    tanggal_lahir date,
    alamat varchar,
    id_individu varchar
);
insert into person_new select person_key, nik_masked, nama, jenis_kelamin, tanggal_lahir, alamat, id_individu
from person;
drop table person;
alter table person_new rename to person;
