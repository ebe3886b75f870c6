delete from intervensi_cocok where berkas_id = $berkas_id
