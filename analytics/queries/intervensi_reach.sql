-- Temp table: per snapshot x programme, the people on the list reached by a delivery on or before
-- that snapshot. A per-person delivery reaches the person; a per-family one reaches every member
-- on the list at the snapshot.
create or replace temp table intervensi_reach as
with first_person as (
    select kode_opd, kode_program, person_key, min(tanggal) as pertama
    from v_intervensi
    where status = 'tersalur' and satuan = 'orang'
    group by all
),
first_family as (
    select kode_opd, kode_program, id_keluarga, min(tanggal) as pertama
    from v_intervensi
    where status = 'tersalur' and satuan = 'keluarga' and id_keluarga is not null
    group by all
)
select o.as_of, f.kode_opd, f.kode_program, o.person_key, o.id_keluarga, o.kode_kelurahan
from intervensi_onlist o
join first_person f on f.person_key = o.person_key and f.pertama <= o.as_of
union
select o.as_of, f.kode_opd, f.kode_program, o.person_key, o.id_keluarga, o.kode_kelurahan
from intervensi_onlist o
join first_family f on f.id_keluarga = o.id_keluarga and f.pertama <= o.as_of
