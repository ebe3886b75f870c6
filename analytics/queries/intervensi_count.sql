select count(*) from intervensi
