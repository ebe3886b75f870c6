-- Per family with a verval result: the date and result of the latest one.
select id_keluarga, tanggal as terakhir, hasil as hasil_terakhir
from verval
qualify row_number() over (partition by id_keluarga order by tanggal desc, verval_id desc) = 1
