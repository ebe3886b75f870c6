-- The families DinsosPM flagged as extreme-poor (on the list in a DTSEN snapshot whatever their desil).
select distinct id_keluarga from keluarga_tanda order by id_keluarga
