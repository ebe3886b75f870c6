-- DinsosPM flags one family as extreme-poor: on the list in a DTSEN snapshot whatever its desil.
insert into keluarga_tanda (id_keluarga, catatan, ditandai_pada, ditandai_oleh)
values ($id_keluarga, $catatan, $ditandai_pada, $ditandai_oleh)
