select file_name, imported_at, imported_by, row_count
from population_file
where sha256 = $sha256
