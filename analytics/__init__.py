"""Nol Ekstrem analytics: everything that is not UI (store, import, queries, charts, formatting)."""
