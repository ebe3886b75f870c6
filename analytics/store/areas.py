"""Kecamatan and kelurahan of Kota Samarinda: loading the boundary files and resolving codes."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from contextlib import AbstractContextManager
from typing import Protocol

import duckdb
import pandas as pd

from analytics import config
from analytics.store.sql import run


class Store(Protocol):
    """What this module needs of analytics.store.db.Store, which loads the areas at open (so this
    module does not import the store back)."""

    def query(self, name: str, **params: object) -> pd.DataFrame: ...

    def transaction(
        self, touches: tuple[str, ...] | None = None
    ) -> AbstractContextManager[duckdb.DuckDBPyConnection]: ...


CITY_PREFIX = "6472"
EXPECTED_KECAMATAN = 10
EXPECTED_KELURAHAN = 59


def normalise_name(name: object) -> str:
    """A name reduced to lower-case letters and digits, for matching spelling variants."""
    return re.sub(r"[^0-9a-z]", "", str(name or "").lower())


def dotted(code: str) -> str:
    """A 10-digit kelurahan code or 6-digit kecamatan code written with Kemendagri dots."""
    if len(code) == 10:
        return f"{code[:2]}.{code[2:4]}.{code[4:6]}.{code[6:]}"
    if len(code) == 6:
        return f"{code[:2]}.{code[2:4]}.{code[4:6]}"
    return code


def digits_only(code: object) -> str:
    """A code with dots, spaces and other separators removed (full-width digits read as ASCII)."""
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", str(code or "")))


def read_boundaries(level: str) -> dict:
    """The GeoJSON FeatureCollection for 'kecamatan' or 'kelurahan'."""
    path = config.geo_dir() / f"samarinda_{level}.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def area_tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(kecamatan, kelurahan, alias) tables built from the shipped files."""
    kec = pd.DataFrame(
        [
            {
                "kode_kecamatan": f["properties"]["kode_kecamatan"],
                "nama": f["properties"]["kecamatan"],
                "luas_km2": f["properties"]["luas_km2_geom"],
            }
            for f in read_boundaries("kecamatan")["features"]
        ]
    )
    kel = pd.DataFrame(
        [
            {
                "kode_kelurahan": f["properties"]["kode_kelurahan"],
                "nama": f["properties"]["kelurahan"],
                "kode_kecamatan": f["properties"]["kode_kecamatan"],
                "luas_km2": f["properties"]["luas_km2_geom"],
            }
            for f in read_boundaries("kelurahan")["features"]
        ]
    )
    with open(config.geo_dir().parent / "kelurahan_alias.csv", encoding="utf-8") as fh:
        alias = pd.DataFrame(list(csv.DictReader(fh)))
    alias["alias_kode"] = alias["alias_kode"].map(lambda c: dotted(digits_only(c)) or None)
    return kec, kel, alias


def ensure_loaded(store: Store) -> None:
    """Load the areas into the store when they are missing or differ from the shipped files."""
    kec, kel, alias = area_tables()
    stored = store.query("areas_counts").iloc[0]
    if tuple(stored) == (len(kec), len(kel), len(alias)):
        return
    with store.transaction(touches=()) as cur:  # shipped files, not covered by the manifest
        cur.register("in_kec", kec)
        cur.register("in_kel", kel)
        cur.register("in_alias", alias)
        for name in ("alias", "kelurahan", "kecamatan"):
            run(cur, f"areas_delete_{name}")
        for name in ("kecamatan", "kelurahan", "alias"):
            run(cur, f"areas_insert_{name}")


def _rows(store: Store, name: str) -> list[tuple]:
    """A named query's rows as tuples, SQL NULL as None."""
    df = store.query(name).astype(object)
    return list(df.where(df.notna(), None).itertuples(index=False, name=None))


class AreaResolver:
    """Maps raw Kode Kemdagri values (digits or dotted, current or older) to current codes."""

    def __init__(self, store: Store) -> None:
        kel, alias = _rows(store, "areas_kelurahan_names"), _rows(store, "areas_aliases")
        self.names = {code: name for code, name in kel}
        self.by_code = {digits_only(code): code for code, _ in kel}
        self.by_code.update({digits_only(a): k for a, _, k in alias if a})
        self.name_ok = {(code, normalise_name(name)) for code, name in kel}
        self.name_ok |= {(k, normalise_name(n)) for _, n, k in alias if n}

    def resolve(self, raw: object) -> tuple[str | None, str | None]:
        """(current dotted code, None) or (None, reason) for one raw code."""
        code = digits_only(raw)
        if not code:
            return None, "kosong"
        if not code.startswith(CITY_PREFIX):
            return None, "luar_kota"
        if code in self.by_code:
            return self.by_code[code], None
        return None, "tidak_dikenal"

    def name_matches(self, code: str, name: object) -> bool:
        """Whether a kelurahan name is the current name or a known variant for that code."""
        return (code, normalise_name(name)) in self.name_ok
