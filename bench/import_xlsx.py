"""Time the import of the 9,032-row baseline as a P3KE-style .xlsx into an empty store.

Run: .venv/bin/python -m bench.import_xlsx [--runs 3]
Prints one line per run and the median; the file is written once by the demo generator.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from analytics.demo import snapshots
from analytics.ingest import registry
from analytics.store.db import Store


def main() -> None:
    """Write the baseline xlsx, then import it into a fresh store `runs` times."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("NOL_EKSTREM_SECRET", "nol-ekstrem-bench-synthetic-data-only")  # not the demo key
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        baseline_date = snapshots.DEMO_DATES[0]
        path = folder / "p3ke_baseline.xlsx"
        snapshots.write_xlsx(snapshots.generate_snapshots()[baseline_date], path)
        print(f"{path.name}: {path.stat().st_size / 1e6:.2f} MB")
        timings = []
        for run in range(args.runs):
            store = Store.open(folder / f"run{run}.duckdb")
            started = time.perf_counter()
            result = registry.import_file(store, path, baseline_date, user="bench")
            timings.append(time.perf_counter() - started)
            store.close()
            print(
                f"run {run + 1}: {timings[-1]:.2f} s, {result.people_active} people, "
                f"{result.families_active} families"
            )
        print(f"median import of a {result.people_active}-row xlsx: {statistics.median(timings):.2f} s")


if __name__ == "__main__":
    main()
