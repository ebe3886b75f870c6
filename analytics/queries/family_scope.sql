-- Whether the role may open the family $id_keluarga (one row, may_see), by the rule of family_search:
-- DinsosPM ($semua) every family on the store; an OPD a family tied to its records; a camat or lurah
-- ($kode_wilayah) a family with a member listed in the area; nothing without
-- named access ($tampil_nama false). A family the store does not hold is never visible.
select $tampil_nama
   and exists (select 1 from person_interval where id_keluarga = $id_keluarga)
   and ($semua
        or $id_keluarga in (
            select id_keluarga from v_intervensi where kode_opd = $kode_opd and id_keluarga is not null)
        or exists (
            select 1
            from person_interval pi
            join v_intervensi v on v.person_key = pi.person_key
            where pi.id_keluarga = $id_keluarga and v.kode_opd = $kode_opd)
        or ($kode_wilayah is not null and $id_keluarga in (select pi.id_keluarga
                from person_interval pi
                join v_area a using (kode_kelurahan)
                where $kode_wilayah in (a.kode_kecamatan, a.kode_kelurahan)))) as may_see
