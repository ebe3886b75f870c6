-- What an OPD file would add, per programme: rows by status, beneficiaries and those not on the list
-- at the record's date. Reads the relations incoming_intervensi and incoming_match.
select
    i.kode_program,
    count(*) as baris,
    count(*) filter (where i.status = 'tersalur') as tersalur,
    count(*) filter (where i.status = 'rencana') as rencana,
    count(distinct m.penerima) as penerima,
    count(distinct m.penerima) filter (where not m.di_daftar) as luar_daftar,
    sum(i.nilai) filter (where i.status = 'tersalur') as nilai_tersalur
from incoming_intervensi i
join incoming_match m using (berkas_id, baris)
group by i.kode_program
order by i.kode_program
