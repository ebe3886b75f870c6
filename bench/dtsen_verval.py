"""Issue 19 timings on the demo store: the demo build (26 P3KE + 4 DTSEN files, verval sheets), one more
DTSEN ranking file (~10,000 rows, title rows, aliased headers) and one kelurahan verval sheet, whose
import recomputes every snapshot's flow summaries so unexplained exits take the results.

    .venv/bin/python -m bench.dtsen_verval [--runs 3]

Prints one line per step with the median and the range over the runs (each run on a fresh store copy).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from analytics.access.auth import User
from analytics.demo import dtsen as demo_dtsen
from analytics.demo import verval as demo_verval
from analytics.ingest import bootstrap, registry, verval, verval_template
from analytics.store import settings
from analytics.store.db import Store
from analytics.verval import status

NEXT = date(2026, 12, 31)


def _copy(db: Path, folder: Path) -> Path:
    target = folder / "salinan.duckdb"
    for suffix in ("", ".manifest.json"):
        shutil.copy(Path(str(db) + suffix), Path(str(target) + suffix))
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dtsen_verval")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench19-"))
    db = work / "demo.duckdb"
    started = time.perf_counter()
    store = Store.open(db)
    bootstrap.build_demo(store)
    store.close()
    took = time.perf_counter() - started
    print(f"demo build (26 P3KE + 4 DTSEN files, 27 OPD files, 5 verval sheets): {took:.1f} s")

    frames = demo_dtsen.generate_dtsen()
    ranking = work / "dtsen_2026-12-31.csv"
    demo_dtsen.write_csv(frames[max(frames)], ranking, NEXT)
    timings: dict[str, list[float]] = {"dtsen": [], "verval": []}
    for run in range(args.runs):
        folder = work / f"run{run}"
        folder.mkdir()
        store = Store.open(_copy(db, folder))
        t0 = time.perf_counter()
        registry.import_file(store, ranking, NEXT, user="bench", is_demo=True, confirmed=True)
        timings["dtsen"].append(time.perf_counter() - t0)
        per_kel = status.per_kelurahan(store).sort_values("keluarga", ascending=False)
        code = per_kel.iloc[0]["kode_kelurahan"]
        sheet = demo_verval.fill_sheet(
            verval_template.build(store, User("bench", "dinsos"), code), settings.today(), seed=900 + run
        )
        t0 = time.perf_counter()
        verval.IMPORTER.import_bytes(store, sheet, f"verval_{code}_{run}.xlsx", user="bench", is_demo=True)
        timings["verval"].append(time.perf_counter() - t0)
        store.close()
    rows = len(frames[max(frames)])
    for name, label in (
        ("dtsen", f"DTSEN ranking import ({rows:,} rows)"),
        ("verval", "verval sheet import"),
    ):
        values = timings[name]
        spread = f"min {min(values):.2f}, max {max(values):.2f}"
        print(f"{label}: median {statistics.median(values):.2f} s ({spread})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
