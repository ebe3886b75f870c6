-- Population per area and year, imported from a table such as BPS "Kota Samarinda Dalam Angka".
-- Used only as the denominator of "per 1.000 penduduk"; no figures ship with the app.
create table population_file (
    sha256 varchar primary key,
    file_name varchar not null,
    imported_at timestamp not null,
    imported_by varchar not null,
    row_count integer not null
);

create table population (
    kode_wilayah varchar not null,  -- dotted kecamatan (64.72.05) or kelurahan (64.72.05.1004) code
    tingkat varchar not null,       -- 'kecamatan' or 'kelurahan'
    tahun integer not null,
    penduduk integer not null,
    sumber varchar not null,
    sha256 varchar not null,        -- the population_file the row came from
    primary key (kode_wilayah, tahun)
);
