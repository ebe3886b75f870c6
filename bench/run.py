"""The scale benchmark: synthetic registries through the real importer, page queries against pandas.

Run: .venv/bin/python -m bench.run --tier city|1m|5m [--months 36] [--runs 5] [--folder DIR]
Prints one markdown table (see bench/README.md for what each column means).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.ingest import interventions, registry
from analytics.store.db import Store
from bench.synth import Registry, write_csv

TIERS = {"city": 9_032, "1m": 1_000_000, "5m": 5_000_000}
# name -> (target median ms, kind); aggregate page queries and named-record queries.
AGGREGATE, RECORD = "agregat", "per orang"
ITV_HEADER = ["NIK", "ID Keluarga P3KE", "Kode Program", "Tanggal", "Nilai (Rp)", "Status", "Keterangan"]
# (OPD, programme, unit, share of people on the list reached in a month); inside the programmes' periods.
CAMPAIGNS = [
    ("DINSOSPM", "BLT-2023", "orang", 0.004, date(2023, 1, 1), date(2023, 12, 31)),
    ("DISKOPUKM", "UEP", "orang", 0.002, date(2023, 1, 1), date(2024, 12, 31)),
    ("DISPERKIM", "BEDAH-RUMAH", "keluarga", 0.001, date(2023, 1, 1), date(2024, 12, 31)),
]


@dataclass
class Built:
    """A store built by the benchmark, with what the pandas baseline needs."""

    store: Store
    dates: list[date]
    parquet: list[Path]
    itv_files: list[tuple[str, Path]]
    import_seconds: list[float] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    itv_seconds: list[float] = field(default_factory=list)


def _itv_rows(df: pd.DataFrame, rng: np.random.Generator, program: str, unit: str, share: float, day: date):
    on = df[df["Status"] == "Aktif"]
    pick = on.sample(n=max(1, int(len(on) * share)), random_state=int(rng.integers(1 << 31)))
    if unit == "keluarga":
        pick = pick.drop_duplicates("ID Keluarga P3KE")
        return [["", f, program, day.isoformat(), "", "Tersalur", ""] for f in pick["ID Keluarga P3KE"]]
    return [[n, "", program, day.isoformat(), "", "Tersalur", ""] for n in pick["NIK"]]


def save(built: Built, folder: Path) -> None:
    """Record what was built, so that --reuse can time the queries again without rebuilding."""
    state = {
        "dates": [d.isoformat() for d in built.dates],
        "parquet": [str(p) for p in built.parquet],
        "itv_files": [[o, str(p)] for o, p in built.itv_files],
        "import_seconds": built.import_seconds,
        "rows": built.rows,
        "itv_seconds": built.itv_seconds,
    }
    (folder / "bench.json").write_text(json.dumps(state, indent=1))


def load(folder: Path) -> Built:
    """A store built earlier by this script in folder (its import timings are the recorded ones)."""
    state = json.loads((folder / "bench.json").read_text())
    return Built(
        Store.open(folder / "bench.duckdb"),
        [date.fromisoformat(d) for d in state["dates"]],
        [Path(p) for p in state["parquet"]],
        [(o, Path(p)) for o, p in state["itv_files"]],
        state["import_seconds"],
        state["rows"],
        state["itv_seconds"],
    )


BENCH_SECRET = "nol-ekstrem-bench-synthetic-data-only"


def build(
    people: int, months: int, folder: Path, log: Callable[[str], None] = print, keep_parquet: bool = True
) -> Built:
    """Generate the registry month by month and import every snapshot and OPD file into a new store."""
    # synthetic people, but not the demo build: imports refuse the public demo key, so a fixed bench key
    os.environ.setdefault("NOL_EKSTREM_SECRET", BENCH_SECRET)
    store = Store.open(folder / "bench.duckdb")
    store.reopens = True  # it goes on to time the pages, as the long-running app does
    rng = np.random.default_rng(5)
    built = Built(store, [], [], [])
    for i, (as_of, df) in enumerate(Registry(people, months=months, seed=1).snapshots()):
        path = write_csv(df, folder / f"p3ke_{as_of}.csv")
        keep = folder / f"p3ke_{as_of}.parquet"  # the pandas baseline reads these
        if keep_parquet:
            df.to_parquet(keep, index=False)
        started = time.perf_counter()
        registry.import_file(store, path, as_of, user="bench")
        built.import_seconds.append(time.perf_counter() - started)
        built.rows.append(len(df))
        built.dates.append(as_of)
        if keep_parquet:
            built.parquet.append(keep)
        path.unlink()
        for opd, program, unit, share, start, end in CAMPAIGNS:
            day = as_of.replace(day=15)
            if not start <= day <= end:
                continue
            itv = folder / f"itv_{opd}_{as_of}.csv"
            with open(itv, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(ITV_HEADER)
                w.writerows(_itv_rows(df, rng, program, unit, share, day))
            started = time.perf_counter()
            interventions.import_file(store, itv, opd, user="bench")
            built.itv_seconds.append(time.perf_counter() - started)
            built.itv_files.append((opd, itv))
        log(f"{i + 1}/{months} {as_of}: {len(df):,} baris, impor {built.import_seconds[-1]:.2f} s")
    save(built, folder)
    return built


PAGE = 100  # rows per page of a named-record table (analytics.ui.PAGE_ROWS)


def page_calls(dates: list[date]) -> dict[str, tuple[str, dict, str]]:
    """Every query the pages run: label -> (named query, parameters, kind).

    Named-record lists are paged in SQL: the page asks for one page of rows plus their total.
    """
    d0, d1, dn = dates[0], dates[1], dates[-1]
    dinsos = {"semua": True, "kode_opd": None, "kode_wilayah": None, "tampil_nama": True}  # every record
    area = {"kode_kecamatan": None, "kode_kelurahan": None}
    diff = {"date_from": d0, "date_to": d1, **area}
    return {
        "burndown_series": ("burndown_series", area, AGGREGATE),
        "kecamatan_series": ("kecamatan_series", {}, AGGREGATE),
        "waterfall_flows": ("waterfall_flows", {"date_from": d0, "date_to": dn, **area}, AGGREGATE),
        "map_area_values (kecamatan+kelurahan)": ("map_area_values", {}, AGGREGATE),
        "opd_coverage": ("opd_coverage", {"as_of": dn}, AGGREGATE),
        "opd_coverage_kecamatan": ("opd_coverage_kecamatan", {"as_of": dn}, AGGREGATE),
        "intervensi_untouched_kecamatan": ("intervensi_untouched_kecamatan", {"as_of": dn}, AGGREGATE),
        "snapshot_diff_kinds": (
            "snapshot_diff_kinds",
            {**diff, "semua": True, "kode_opd": None, "kode_wilayah": None},
            AGGREGATE,
        ),
        "intervensi_untouched_families (1 page)": (
            "intervensi_untouched_families",
            {"as_of": dn, "limit": PAGE, "offset": 0, **dinsos},
            RECORD,
        ),
        "snapshot_diff (1 page)": (
            "snapshot_diff",
            {**diff, "arus": None, "alasan": None, "limit": PAGE, "offset": 0, **dinsos},
            RECORD,
        ),
    }


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float, float, object]:
    """(median ms, p95 ms, peak traced MB, last result) over runs calls after one warm-up."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    times.sort()
    p95 = times[min(len(times) - 1, int(np.ceil(0.95 * len(times))) - 1)]
    return statistics.median(times), p95, peak, result


# --- the pandas baseline: what a user would write against the snapshot files -------------------


def load_snapshots(paths: list[Path], dates: list[date]) -> pd.DataFrame:
    """Every snapshot file in one frame, with its date."""
    cols = ["ID Keluarga P3KE", "Kode Kemdagri", "NIK", "Status", "Alasan Keluar"]
    frames = [pd.read_parquet(p, columns=cols).assign(as_of=d) for p, d in zip(paths, dates, strict=True)]
    return pd.concat(frames, ignore_index=True)


def load_interventions(files: list[tuple[str, Path]]) -> pd.DataFrame:
    """Every OPD file in one frame."""
    frames = [pd.read_csv(p, dtype=str, keep_default_na=False).assign(kode_opd=o) for o, p in files]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*ITV_HEADER, "kode_opd"])


def pandas_questions(snap: pd.DataFrame, itv: pd.DataFrame, dates: list[date]) -> dict[str, Callable]:
    """The same questions as page_calls, in plain pandas (keys match)."""
    d0, d1, dn = dates[0], dates[1], dates[-1]
    active = lambda: snap[snap["Status"] == "Aktif"]  # noqa: E731

    def on(d: date) -> pd.DataFrame:
        s = snap[snap["as_of"] == d]
        return s[s["Status"] == "Aktif"]

    def burndown() -> pd.Series:
        return active().groupby("as_of").size()

    def kecamatan() -> pd.Series:
        a = active()
        return a.groupby(["as_of", a["Kode Kemdagri"].str[:6]]).size()

    def waterfall() -> pd.Series:
        out = {"keluar": 0, "masuk": 0}
        prev = set(on(d0)["NIK"])
        for d in dates[1:]:
            cur = set(on(d)["NIK"])
            out["keluar"] += len(prev - cur)
            out["masuk"] += len(cur - prev)
            prev = cur
        return pd.Series(out)

    def map_values() -> tuple[pd.Series, pd.Series]:
        last = on(dn)
        return last.groupby("Kode Kemdagri").size(), last.groupby(last["Kode Kemdagri"].str[:6]).size()

    def reached(last: pd.DataFrame) -> pd.DataFrame:
        by_nik = last.merge(itv[itv["NIK"] != ""][["NIK", "kode_opd"]], on="NIK")
        by_fam = last.merge(
            itv[itv["ID Keluarga P3KE"] != ""][["ID Keluarga P3KE", "kode_opd"]], on="ID Keluarga P3KE"
        )
        return pd.concat([by_nik, by_fam])

    def coverage() -> pd.Series:
        return reached(on(dn)).groupby("kode_opd")["NIK"].nunique()

    def coverage_kec() -> pd.Series:
        r = reached(on(dn))
        return r.groupby(["kode_opd", r["Kode Kemdagri"].str[:6]])["NIK"].nunique()

    def untouched(last: pd.DataFrame) -> pd.DataFrame:
        touched = set(reached(last)["ID Keluarga P3KE"])
        return last[~last["ID Keluarga P3KE"].isin(touched)]

    def untouched_kec() -> pd.Series:
        u = untouched(on(dn))
        return u.groupby(u["Kode Kemdagri"].str[:6])["ID Keluarga P3KE"].nunique()

    def untouched_families() -> pd.DataFrame:
        return untouched(on(dn))

    def diff() -> pd.DataFrame:
        a, b = on(d0), on(d1)
        left = a[~a["NIK"].isin(b["NIK"])].assign(arus="keluar")
        entered = b[~b["NIK"].isin(a["NIK"])].assign(arus="masuk")
        return pd.concat([left, entered])

    def diff_kinds() -> pd.Series:
        return diff().groupby("arus").size()

    return {
        "burndown_series": burndown,
        "kecamatan_series": kecamatan,
        "waterfall_flows": waterfall,
        "map_area_values (kecamatan+kelurahan)": map_values,
        "opd_coverage": coverage,
        "opd_coverage_kecamatan": coverage_kec,
        "intervensi_untouched_kecamatan": untouched_kec,
        "snapshot_diff_kinds": diff_kinds,
        "intervensi_untouched_families (1 page)": untouched_families,
        "snapshot_diff (1 page)": diff,
    }


# --- the run ---------------------------------------------------------------------------------------


@dataclass
class Measured:
    """Everything the table reports for one tier."""

    people: int
    months: int
    import_seconds: list[float]
    rows: list[int]
    itv_seconds: list[float]
    store_mb: float
    archive_mb: float
    pandas_load_s: float
    pandas_load_mb: float
    store: dict[str, tuple[float, float, float, str]]
    pandas: dict[str, tuple[float, float, float]]
    results: dict[str, object]
    pandas_results: dict[str, object]


def _size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def measure(
    people: int,
    months: int,
    runs: int,
    folder: Path,
    log: Callable[[str], None] = print,
    *,
    with_pandas: bool = True,
    reuse: bool = False,
) -> Measured:
    """Build the store (or reuse one built before), then time every page query and, unless told
    not to, its pandas equivalent in the same process."""
    os.environ.setdefault("NOL_EKSTREM_MAX_UPLOAD_MB", "100000")  # the upload limit is for the page
    if reuse and (folder / "bench.json").exists():
        built = load(folder)
        log(f"memakai store yang sudah dibangun di {folder}")
    else:
        built = build(people, months, folder, log, keep_parquet=with_pandas)
    store = built.store
    store.checkpoint()
    store_mb = _size_mb(store.path)
    archive_mb = _size_mb(store.archive_dir)
    timings, results = {}, {}
    for label, (name, params, kind) in page_calls(built.dates).items():
        med, p95, mb, res = timed(lambda n=name, p=params: store.query(n, **p), runs)
        timings[label], results[label] = (med, p95, mb, kind), res
        log(f"store {label}: {med:.1f} ms")
    measured = Measured(
        people,
        months,
        built.import_seconds,
        built.rows,
        built.itv_seconds,
        store_mb,
        archive_mb,
        0.0,
        0.0,
        timings,
        {},
        results,
        {},
    )
    if not with_pandas or not built.parquet:
        store.close()
        return measured
    tracemalloc.start()
    started = time.perf_counter()
    snap = load_snapshots(built.parquet, built.dates)
    itv = load_interventions(built.itv_files)
    load_s = time.perf_counter() - started
    traced = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    # Arrow-backed strings live outside tracemalloc's view: count what the frames hold as well.
    held = (snap.memory_usage(deep=True).sum() + itv.memory_usage(deep=True).sum()) / 1e6
    load_mb = max(traced, held)
    log(f"pandas load: {load_s:.1f} s, {load_mb:.0f} MB")
    ptimes, presults = {}, {}
    for label, fn in pandas_questions(snap, itv, built.dates).items():
        med, p95, mb, res = timed(fn, runs)
        ptimes[label], presults[label] = (med, p95, mb), res
        log(f"pandas {label}: {med:.1f} ms")
    store.close()
    return replace(
        measured, pandas_load_s=load_s, pandas_load_mb=load_mb, pandas=ptimes, pandas_results=presults
    )


def table(m: Measured) -> str:
    """The markdown report: imports, sizes, and one row per page query with the pandas ratios."""
    imp = np.array(m.import_seconds)
    rows = np.array(m.rows)
    lines = [
        f"**{m.people:,} people × {m.months} snapshots** — import per snapshot: median "
        f"{np.median(imp):.2f} s, max {imp.max():.2f} s (largest file {rows.max():,} rows, "
        f"{np.median(rows / imp):,.0f} rows/s median); OPD files: {len(m.itv_seconds)}, median "
        f"{np.median(m.itv_seconds) if m.itv_seconds else 0:.2f} s; store {m.store_mb:,.0f} MB, "
        f"archive {m.archive_mb:,.0f} MB; "
        + (
            f"pandas load of all snapshots {m.pandas_load_s:.1f} s, {m.pandas_load_mb:,.0f} MB."
            if m.pandas
            else "pandas baseline not run (--no-pandas)."
        ),
        "",
        "| query | kind | store median ms | store p95 ms | store MB | pandas median ms | pandas p95 ms "
        "| pandas MB (+load) | × faster | × less memory |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, (med, p95, mb, kind) in m.store.items():
        if label not in m.pandas:
            lines.append(f"| {label} | {kind} | {med:.1f} | {p95:.1f} | {mb:.1f} | – | – | – | – | – |")
            continue
        pmed, pp95, pmb = m.pandas[label]
        held = pmb + m.pandas_load_mb
        lines.append(
            f"| {label} | {kind} | {med:.1f} | {p95:.1f} | {mb:.1f} | {pmed:,.1f} | {pp95:,.1f} | "
            f"{held:,.0f} | {pmed / med:,.0f} | {held / max(mb, 0.01):,.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run one tier and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--tier", choices=sorted(TIERS), default="city")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--folder", type=Path, help="keep the store here (default: a temporary folder)")
    parser.add_argument(
        "--no-pandas",
        action="store_true",
        help="skip the pandas baseline (it needs ~4 GB per million people)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="time the queries on the store built before in --folder"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        m = measure(
            TIERS[args.tier], args.months, args.runs, folder, with_pandas=not args.no_pandas, reuse=args.reuse
        )
    print(table(m))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
