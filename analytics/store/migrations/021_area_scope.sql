-- The changes a role may see gain the area scope of a camat or lurah: p_kode_wilayah, a dotted
-- kecamatan or kelurahan code (null for every other role), keeps only people of that area.
-- Otherwise as 013: DinsosPM (p_semua) all; an OPD only people tied to its records; area filters
-- optional (null = all).
create or replace macro snapshot_changes_scoped(
    p_date_from, p_date_to, p_kode_kecamatan, p_kode_kelurahan, p_semua, p_kode_opd, p_kode_wilayah
) as table
select c.*, v.kecamatan, v.kelurahan, v.kode_kecamatan
from snapshot_changes(p_date_from, p_date_to) c
join v_area v using (kode_kelurahan)
where (p_kode_kecamatan is null or v.kode_kecamatan = p_kode_kecamatan)
  and (p_kode_kelurahan is null or c.kode_kelurahan = p_kode_kelurahan)
  and (p_semua
       or p_kode_wilayah in (v.kode_kecamatan, c.kode_kelurahan)
       or c.person_key in (
           select person_key from v_intervensi where kode_opd = p_kode_opd and person_key is not null)
       or c.id_keluarga in (
           select id_keluarga from v_intervensi where kode_opd = p_kode_opd and id_keluarga is not null));
