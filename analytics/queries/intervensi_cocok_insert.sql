insert into intervensi_cocok select * from intervensi_matched
