delete from intervensi_berkas where berkas_id = $berkas_id
