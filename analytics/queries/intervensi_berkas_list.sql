-- The stored OPD files, newest first.
select
    o.singkatan as opd,
    b.source_file,
    b.periode_dari,
    b.periode_sampai,
    b.row_count,
    b.imported_at,
    b.imported_by,
    b.is_demo
from intervensi_berkas b
join opd o using (kode_opd)
order by b.imported_at desc, b.berkas_id desc
