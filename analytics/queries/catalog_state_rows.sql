select * from intervensi_state where key = 'katalog'
