-- The catalog files (registered as in_opd and in_program) replace the stored catalog. Entries gone
-- from the files but still referenced by records stay, marked di_berkas = false.
create or replace temp table old_opd as select * from opd;
create or replace temp table old_program as select * from program;
delete from opd;
delete from program;
insert into opd select kode_opd, nama, singkatan, urutan, true from in_opd;
insert into program select *, true from in_program;
insert into program select * replace (false as di_berkas) from old_program o
where o.kode_program not in (select kode_program from in_program)
  and o.kode_program in (select kode_program from intervensi);
insert into opd select * replace (false as di_berkas) from old_opd o
where o.kode_opd not in (select kode_opd from in_opd)
  and o.kode_opd in (select kode_opd from program);
