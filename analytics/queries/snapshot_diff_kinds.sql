-- How many people each kind of change (arus, alasan) between two snapshots holds, in the role's
-- scope and area filter: the choices offered above the snapshot_diff table.
select arus, alasan, count(*) as orang
from snapshot_changes_scoped($date_from, $date_to, $kode_kecamatan, $kode_kelurahan, $semua, $kode_opd, $kode_wilayah)
group by arus, alasan
order by arus, alasan
