"""The store: the DuckDB file (db), its schema migrations, named SQL (sql, over analytics/queries),
and what lies beside it: areas and boundaries, settings, the OPD catalogue files, the manifest, the raw
archive, crash-safe writes, file modes and who holds the store. Imports nothing above it."""
