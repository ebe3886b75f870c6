-- Every interval on the snapshots of the members of the family $id_keluarga (in this family or
-- another), oldest first: the on/off dates and reasons of the profile are read from them.
select pi.person_key, pi.valid_from, pi.valid_to, pi.id_keluarga, pi.status, pi.alasan, a.kelurahan
from person_interval pi
left join v_area a using (kode_kelurahan)
where pi.person_key in (select person_key from person_interval where id_keluarga = $id_keluarga)
order by pi.person_key, pi.valid_from
