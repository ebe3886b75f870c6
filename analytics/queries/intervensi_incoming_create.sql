-- the records about to be matched: one file's ($berkas_id), or all (null)
create or replace temp table incoming_intervensi as
select * from intervensi where $berkas_id is null or berkas_id = $berkas_id
