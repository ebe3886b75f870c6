-- Split variant, statement 4 of 4: assignments still pending for the page's families.
select c.id_keluarga, string_agg(distinct i.kode_program, ', ' order by i.kode_program) as program_rencana
from intervensi i join intervensi_cocok c using (berkas_id, baris)
where i.status = 'rencana' and i.tanggal <= $as_of and list_contains($fams, c.id_keluarga)
group by c.id_keluarga
