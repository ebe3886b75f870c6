-- Remove DinsosPM's extreme-poor flag from one family (the audit log keeps that it was there).
delete from keluarga_tanda where id_keluarga = $id_keluarga
