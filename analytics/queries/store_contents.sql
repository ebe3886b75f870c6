-- snapshots, snapshots not from the demo build, OPD files not from it, population files
select
    (select count(*) from snapshot),
    (select count(*) from snapshot where not is_demo),
    (select count(*) from intervensi_berkas where not is_demo),
    (select count(*) from population_file)
