-- every committed import's file hash (the archive keeps these and drops staged leftovers)
select sha256 from snapshot union select sha256 from intervensi_berkas union select sha256 from population_file
