-- Every family the store holds (any snapshot) with the kelurahan of its latest interval: the families
-- a verification result may name, and where each result is counted.
select id_keluarga, arg_max(kode_kelurahan, valid_from) as kode_kelurahan
from person_interval
group by id_keluarga
