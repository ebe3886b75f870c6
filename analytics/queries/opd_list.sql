select kode_opd, nama, singkatan, urutan, di_berkas
from opd
order by urutan
