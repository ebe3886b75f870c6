-- An earlier verval file with this SHA-256: who imported it and when.
select file_name, dicatat_pada, dicatat_oleh
from verval
where sha256 = $sha256
order by dicatat_pada
limit 1
