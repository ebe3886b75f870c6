-- DinsosPM's extreme-poor flag on one family, if any: note, when and by whom.
select id_keluarga, catatan, ditandai_pada, ditandai_oleh
from keluarga_tanda
where id_keluarga = $id_keluarga
