"""Time each page's script run on the demo store (server side, warm, median of N AppTest runs).

Run: .venv/bin/python -m bench.pages [--runs 5] [--db PATH]
Builds the demo store first when PATH does not exist (that build time is printed too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

PAGES = ["ringkasan.py", "burndown.py", "perubahan.py", "peta.py", "intervensi_opd.py", "data_impor.py"]


def main() -> None:
    """Build or open the demo store, sign in as DinsosPM and time every page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="nol-bench-"))
    db = args.db or folder / "demo.duckdb"
    os.environ.update(
        NOL_EKSTREM_DB=str(db),
        NOL_EKSTREM_DATA_DIR=str(db.parent),
        NOL_EKSTREM_USERS=str(folder / "pengguna.json"),
    )
    from streamlit.testing.v1 import AppTest

    from analytics.access import auth
    from analytics.ingest import bootstrap
    from analytics.store.db import Store

    if not db.exists():
        started = time.perf_counter()
        store = Store.open(db)
        bootstrap.build_demo(store)
        store.close()
        print(f"demo store built in {time.perf_counter() - started:.1f} s")
    auth.add_user("bench", "dinsos", "bench-password")
    root = Path(__file__).resolve().parents[1]
    print("| page | median s | min s | max s |\n|---|---|---|---|")
    for page in PAGES:
        times = []
        for _ in range(args.runs + 1):  # the first run warms caches and is not counted
            at = AppTest.from_file(str(root / "pages" / page), default_timeout=300)
            at.session_state["nol_sesi"] = auth.session_token(auth.User("bench", "dinsos"))
            started = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - started)
            if at.exception:
                raise SystemExit(f"{page}: {at.exception[0].message}")
        runs = times[1:]
        print(f"| {page} | {statistics.median(runs):.2f} | {min(runs):.2f} | {max(runs):.2f} |")


if __name__ == "__main__":
    main()
