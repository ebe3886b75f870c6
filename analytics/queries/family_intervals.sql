-- Every interval on the snapshots of the members of the family $id_keluarga (in this family or
-- another), oldest first: the on/off dates and reasons of the profile are read from them. With each
-- interval the latest verval result of its person (p_hasil, p_bukti) and of its family (k_hasil,
-- k_bukti), from which an exit the registry left unexplained takes its reason (migration 025).
with vr as (
    select * from verval_reason()
)
select pi.person_key, pi.valid_from, pi.valid_to, pi.id_keluarga, pi.status, pi.alasan, a.kelurahan,
       vp.hasil as p_hasil, vk.hasil as k_hasil, vp.bukti as p_bukti, vk.bukti as k_bukti
from person_interval pi
left join v_area a using (kode_kelurahan)
left join vr vp on vp.person_key = pi.person_key
left join vr vk on vk.person_key is null and vk.id_keluarga = pi.id_keluarga
where pi.person_key in (select person_key from person_interval where id_keluarga = $id_keluarga)
order by pi.person_key, pi.valid_from
