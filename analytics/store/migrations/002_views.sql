-- Views that queries read, so the storage layout can change without touching pages.
create or replace view v_area as
select
    kel.kode_kelurahan,
    kel.nama as kelurahan,
    kel.kode_kecamatan,
    kec.nama as kecamatan
from kelurahan kel
join kecamatan kec using (kode_kecamatan);

create or replace view v_snapshot as
select
    snapshot_id,
    as_of,
    source_file,
    sha256,
    imported_at,
    imported_by,
    row_count,
    people_active,
    families_active,
    is_demo,
    as_of = (select min(as_of) from snapshot) as is_baseline
from snapshot;
