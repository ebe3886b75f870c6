"""Time the meeting pack: building each kind (pdf, html, xlsx) for the demo store's default meeting.

Run: .venv/bin/python -m bench.pack [--db PATH] [--runs 5] [--kinds pdf,html,xlsx] [--profile]

The default meeting is the one the Rapat page opens with (latest snapshot against the one a quarter
before it), as DinsosPM. Without --db the demo store is built once in a temporary folder (untimed).
The first build of each kind in this process is reported on its own ("cold": the browser that renders
the charts starts, fonts load); median and p95 are over the --runs builds after it. --profile prints
the cProfile top 25 (cumulative) of one warm PDF build. Target (issue 17): PDF ≤ 4 s from click.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import tempfile
import time
from pathlib import Path

from analytics import pack
from analytics.access.auth import User
from analytics.meeting import agenda
from analytics.store.db import Store
from bench.startup import build_demo

TARGET_S = {"pdf": 4.0}


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank (the largest value for fewer than 20 runs)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered) + 0.5) - 1))]


def default_meeting(db: Path):
    """The Rapat page's default meeting on the store at db, as DinsosPM."""
    store = Store.open(db)
    try:
        dates = list(store.query("snapshot_list")["as_of"].dt.date)
        prev = agenda.default_previous(dates)
        return agenda.build(store, prev, dates[-1], User("dinsos1", "dinsos"))
    finally:
        store.close()


def timed(meeting, kind: str) -> float:
    start = time.perf_counter()
    pack.build(meeting, kind, "dinsos")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an existing store (default: build the demo store)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--kinds", default="pdf,html,xlsx")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "demo.duckdb"
            print(f"building the demo store in {tmp} ({build_demo(db):.0f} s)")
        meeting = default_meeting(db)
        print(f"meeting {meeting.prev} → {meeting.cur}, {len(meeting.findings)} findings, {args.runs} runs")
        print()
        print("| pack | cold (s) | median (s) | p95 (s) | target |")
        print("|---|---:|---:|---:|---|")
        for kind in args.kinds.split(","):
            cold = timed(meeting, kind)
            warm = [timed(meeting, kind) for _ in range(args.runs)]
            target = f"≤ {TARGET_S[kind]:.1f} s" if kind in TARGET_S else ""
            print(f"| {kind} | {cold:.2f} | {statistics.median(warm):.2f} | {p95(warm):.2f} | {target} |")
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(pack.build, meeting, "pdf", "dinsos")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
