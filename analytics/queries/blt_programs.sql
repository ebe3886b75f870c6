-- Cash programmes (income support with a rupiah amount): the ones a budget can be computed for.
select
    p.kode_program, p.nama, p.kode_opd, o.singkatan, p.strategi, p.satuan, p.nilai, p.bulan,
    p.sumber_dana, p.mulai, p.selesai
from program p
join opd o using (kode_opd)
where p.strategi = 'bantuan_pendapatan' and p.nilai > 0
order by p.kode_program
