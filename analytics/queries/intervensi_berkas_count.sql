select count(*) as n from intervensi_berkas
