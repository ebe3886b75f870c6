select count(distinct penerima) from intervensi_cocok where berkas_id = $berkas_id and not di_daftar
