"""Why the untouched-families page misses 10 ms at city scale: the named query against simpler designs.

Run on a store built by bench.run (city tier):
    .venv/bin/python -m bench.run --tier city --folder /tmp/bcity
    .venv/bin/python -m bench.untouched_variants --folder /tmp/bcity [--runs 40]

Prints two markdown tables:
1. Median and p95 ms of one page (100 families, DinsosPM's view, latest snapshot) for
   - the named query `intervensi_untouched_families` as the page runs it (`store.query`);
   - `bench/variants/untouched_lean.sql`: the same plan without views, OPD scope or fallback;
   - `bench/variants/untouched_one_pass.sql`: one pass over everyone on the list, no placement;
   - the four `bench/variants/split_*.sql` statements in one read transaction (placement, page,
     members, pending), joined in pandas;
   each checked to return the same families, members and totals as the named query on three pages.
2. Where the named query's time goes, from DuckDB's own profiler (a separate read-only connection,
   since the app's connection locks its configuration).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from analytics.store.db import Store, load_query
from bench.run import PAGE, timed

VARIANTS = Path(__file__).parent / "variants"
COLUMNS = ["id_keluarga", "kelurahan", "anggota", "desil", "nik_masked", "nama", "program_rencana", "total"]


def variant(name: str) -> str:
    return (VARIANTS / f"{name}.sql").read_text(encoding="utf-8")


def named_params(as_of: date, offset: int) -> dict:
    """The named query's parameters for one page of DinsosPM's view (every record, names shown)."""
    return {
        "as_of": as_of,
        "limit": PAGE,
        "offset": offset,
        "semua": True,
        "kode_opd": None,
        "tampil_nama": True,
    }


def named(store: Store, as_of: date, offset: int) -> pd.DataFrame:
    return store.query("intervensi_untouched_families", **named_params(as_of, offset))


def single(store: Store, sql: str, as_of: date, offset: int) -> pd.DataFrame:
    with store.cursor() as cur:
        return cur.execute(sql, {"as_of": as_of, "limit": PAGE, "offset": offset, "tampil_nama": True}).df()


def split(store: Store, as_of: date, offset: int) -> pd.DataFrame:
    """Four plain statements in one read transaction; pandas joins them."""
    with store.read(), store.cursor() as cur:
        placed = cur.execute(variant("split_placement"), {"as_of": as_of}).df()
        placed["before"] = placed["n"].cumsum() - placed["n"]
        wanted = placed[(placed["before"] < offset + PAGE) & (placed["before"] + placed["n"] > offset)]
        kel = wanted["kode_kelurahan"].tolist()
        page = cur.execute(
            variant("split_page"),
            {"as_of": as_of, "kel": kel, "limit": PAGE, "offset": offset - int(wanted["before"].min())},
        ).df()
        fams = page["id_keluarga"].tolist()
        members = cur.execute(
            variant("split_members"), {"as_of": as_of, "kel": kel, "fams": fams, "tampil_nama": True}
        ).df()
        pending = cur.execute(variant("split_pending"), {"as_of": as_of, "fams": fams}).df()
    out = page.merge(members, on=["id_keluarga", "kode_kelurahan"])
    out = out.merge(pending, on="id_keluarga", how="left")
    out = out.merge(placed[["kode_kelurahan", "kelurahan"]], on="kode_kelurahan")
    out["total"] = int(placed["n"].sum())
    return out


def same(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """Same families in the same order with the same members, programmes and total."""
    cols = [c for c in COLUMNS if c in a and c in b]
    left = a[cols].astype(str).reset_index(drop=True)
    right = b[cols].astype(str).reset_index(drop=True)
    return left.equals(right)


def profile(db: Path, as_of: date) -> dict[str, float]:
    """DuckDB's profiler breakdown (ms) of the named query, on a read-only copy of the store."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        con = duckdb.connect(str(db), read_only=True)
        try:
            sql = load_query("intervensi_untouched_families")
            params = named_params(as_of, 0)
            for _ in range(3):
                con.execute(sql, params).df()
            con.execute("pragma enable_profiling = 'json'")
            con.execute("set profiling_mode = 'detailed'")
            con.execute(f"set profiling_output = '{out}'")
            runs = []
            for _ in range(9):
                con.execute(sql, params).df()
                runs.append(json.loads(out.read_text()))
            con.execute("pragma disable_profiling")
        finally:
            con.close()

    def med(get: Callable[[dict], float]) -> float:
        return statistics.median(get(r) for r in runs) * 1000

    return {
        "total (profiler)": med(lambda r: r["query"]["total_time"]),
        "planner (binding)": med(lambda r: r["planner"]["total_time"]),
        "optimizer": med(lambda r: r["optimizer"]["total_time"]),
        "physical planner": med(lambda r: r["physical_planner"]["total_time"]),
        "execution CPU (all threads)": med(lambda r: r["query"]["cpu_time"]),
    }


def compare(db: Path, runs: int) -> tuple[date, int, list[tuple[str, float, float, bool]]]:
    """(snapshot, untouched families, [(design, median ms, p95 ms, same rows as the named query)])."""
    store = Store.open(db)
    try:
        as_of = store.scalar("select max(as_of) from snapshot")
        total = int(named(store, as_of, 0)["total"].iloc[0])
        offsets = [0, total // 2, max(0, total - PAGE // 2)]
        lean, one_pass = variant("untouched_lean"), variant("untouched_one_pass")
        designs: dict[str, Callable[[int], pd.DataFrame]] = {
            "named query (as the page runs it)": lambda o: named(store, as_of, o),
            "lean: no views, DinsosPM only": lambda o: single(store, lean, as_of, o),
            "one pass over the list": lambda o: single(store, one_pass, as_of, o),
            "four plain statements, one read transaction": lambda o: split(store, as_of, o),
        }
        rows = []
        for label, fn in designs.items():
            ok = all(same(named(store, as_of, o), fn(o)) for o in offsets)
            median, p95, _mb, _result = timed(lambda fn=fn: fn(0), runs)
            rows.append((label, median, p95, ok))
        return as_of, total, rows
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.untouched_variants", description=__doc__)
    parser.add_argument("--folder", type=Path, required=True, help="a folder bench.run built (bench.duckdb)")
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    db = args.folder / "bench.duckdb"
    as_of, total, rows = compare(db, args.runs)
    print(f"Store {db}, snapshot {as_of}, {total:,} untouched families, pages of {PAGE}, {args.runs} runs\n")
    print("| design | median ms | p95 ms | same rows as the named query (3 pages) |")
    print("|---|---:|---:|---|")
    for label, median, p95, ok in rows:
        print(f"| {label} | {median:.1f} | {p95:.1f} | {'yes' if ok else 'NO'} |")
    print("\n| named query, DuckDB profiler (median of 9) | ms |\n|---|---:|")
    for label, ms in profile(db, as_of).items():
        print(f"| {label} | {ms:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
