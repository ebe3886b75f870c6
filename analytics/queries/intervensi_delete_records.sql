delete from intervensi where berkas_id = $berkas_id
