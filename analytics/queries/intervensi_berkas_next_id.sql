select nextval('intervensi_berkas_id_seq')
