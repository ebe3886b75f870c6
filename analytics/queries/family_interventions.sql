-- Every OPD record for the family $id_keluarga or one of its members, with the OPD and programme as
-- the catalog names them and the programme's amount and months (for BLT months and what is planned).
with members as (
    select distinct person_key from person_interval where id_keluarga = $id_keluarga
)
select v.kode_opd, o.singkatan as opd, v.kode_program, p.nama as program, v.strategi, v.satuan,
       p.nilai as nilai_program, p.bulan as bulan_program, p.mulai, p.selesai,
       v.tanggal, v.status, v.nilai, v.nik_masked, v.person_key
from v_intervensi v
join program p on p.kode_program = v.kode_program
left join (select kode_opd, any_value(singkatan) as singkatan from opd group by kode_opd) o
  on o.kode_opd = v.kode_opd
where v.id_keluarga = $id_keluarga
   or v.person_key in (select person_key from members)
order by o.singkatan, v.kode_program, v.tanggal, v.status
