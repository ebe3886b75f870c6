-- One recorded state of the OPD summaries ('katalog': the catalog files' SHA-256; 'registri').
select value from intervensi_state where key = $key
