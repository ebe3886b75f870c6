select kode_opd, nama from opd order by urutan
