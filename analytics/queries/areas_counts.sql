-- How many kecamatan, kelurahan and alias rows the store holds (analytics.areas.ensure_loaded
-- compares them with the shipped files).
select
    (select count(*) from kecamatan) as kecamatan,
    (select count(*) from kelurahan) as kelurahan,
    (select count(*) from kelurahan_alias) as alias
