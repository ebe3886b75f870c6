"""The catalog of OPDs and programmes: the editable files data/opd.csv and data/program.csv, read and
checked. Reads files only; analytics.ingest.interventions loads them into the store (the write side) and
analytics.opd.coverage compares them with what is loaded (the read side).
"""

from __future__ import annotations

import csv
import hashlib
import os
from datetime import date
from pathlib import Path

import pandas as pd

from analytics import config
from analytics.domain import STRATEGIES, UNITS
from analytics.i18n import t


class CatalogError(ValueError):
    """data/opd.csv or data/program.csv cannot be used; the message names file, row and column."""


def catalog_paths() -> tuple[Path, Path]:
    """The editable catalog files: opd.csv and program.csv in NOL_EKSTREM_KATALOG (default data/)."""
    folder = Path(os.environ.get("NOL_EKSTREM_KATALOG", config.ROOT / "data"))
    return folder / "opd.csv", folder / "program.csv"


def _rows(path: Path, needed: list[str]) -> list[tuple[int, dict[str, str]]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in needed if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogError(
                t("impor_intervensi.catalog_columns", file=path.name, columns=", ".join(missing))
            )
        return [(i + 2, {k: (v or "").strip() for k, v in row.items()}) for i, row in enumerate(reader)]


def read_catalog(opd_path: Path, program_path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Validate and read the OPD and programme files; raise CatalogError naming file, row and column."""
    opd_rows = _rows(opd_path, ["kode_opd", "nama_opd", "singkatan"])
    seen: set[str] = set()
    opd = []
    for line, row in opd_rows:
        code = row["kode_opd"].upper()
        if not code or not row["nama_opd"] or code in seen:
            raise CatalogError(t("impor_intervensi.catalog_opd", file=opd_path.name, row=line))
        seen.add(code)
        opd.append((code, row["nama_opd"], row["singkatan"] or code, len(opd) + 1))
    cols = ["kode_program", "kode_opd", "nama_program", "strategi", "satuan", "nilai", "bulan"]
    cols += ["sumber_dana", "mulai", "selesai"]
    programs, codes = [], set()

    def bad(line: int, col: str, value: str, why: str, **why_args: object) -> CatalogError:
        reason = t(f"impor_intervensi.catalog_{why}", **why_args)
        cell = {"file": program_path.name, "row": line, "column": col, "value": value}
        return CatalogError(t("impor_intervensi.catalog_cell", why=reason, **cell))

    for line, row in _rows(program_path, cols):
        code, owner = row["kode_program"].upper(), row["kode_opd"].upper()
        if not code or code in codes:
            raise bad(line, "kode_program", code, "code")
        if owner not in seen:
            raise bad(line, "kode_opd", owner, "owner", file=opd_path.name)
        if row["strategi"] not in STRATEGIES:
            raise bad(line, "strategi", row["strategi"], "strategy", choices=", ".join(STRATEGIES))
        if row["satuan"] not in UNITS:
            raise bad(line, "satuan", row["satuan"], "unit")
        if not row["nilai"].isdigit():
            raise bad(line, "nilai", row["nilai"], "amount")
        if not row["bulan"].isdigit() or int(row["bulan"]) < 1:
            raise bad(line, "bulan", row["bulan"], "months")
        try:
            start = date.fromisoformat(row["mulai"]) if row["mulai"] else None
            end = date.fromisoformat(row["selesai"]) if row["selesai"] else None
        except ValueError as exc:
            raise bad(line, "mulai/selesai", f"{row['mulai']}/{row['selesai']}", "date") from exc
        if (start is None) != (end is None) or (start and end and end < start):
            raise bad(line, "mulai/selesai", f"{row['mulai']}/{row['selesai']}", "period")
        codes.add(code)
        programs.append(
            (code, owner, row["nama_program"] or code, row["strategi"], row["satuan"], int(row["nilai"]))
            + (int(row["bulan"]), row["sumber_dana"] or "-", start, end)
        )
    opd_df = pd.DataFrame(opd, columns=["kode_opd", "nama", "singkatan", "urutan"])
    prog_cols = ["kode_program", "kode_opd", "nama", "strategi", "satuan", "nilai", "bulan", "sumber_dana"]
    prog_df = pd.DataFrame(programs, columns=[*prog_cols, "mulai", "selesai"])
    return opd_df, prog_df


def catalog_sha(paths: tuple[Path, Path] | None = None) -> str:
    """The SHA-256 of both catalog files as they are now (what the store records when it loads them)."""
    opd_path, program_path = paths or catalog_paths()
    return hashlib.sha256(opd_path.read_bytes() + b"\0" + program_path.read_bytes()).hexdigest()
