"""Command line: import a snapshot file, or build the demo store, with a progress bar."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from analytics import bootstrap, config, formatting, registry
from analytics.domain import FLOW_LABELS, REASON_LABELS
from analytics.store import Store


def _bar(desc: str) -> tuple[tqdm, registry.Progress]:
    bar = tqdm(total=100, desc=desc, unit="%", bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}")

    def progress(fraction: float, message: str) -> None:
        bar.n = round(fraction * 100)
        bar.set_postfix_str(message)
        bar.refresh()

    return bar, progress


def cmd_import(args: argparse.Namespace) -> int:
    """Import one snapshot file and print a summary."""
    store = Store.open(args.db)
    bar, progress = _bar("Impor")
    progress(0.0, f"Membaca {args.file.name}")
    prepared = registry.prepare_file(
        store, args.file.read_bytes(), args.file.name, args.tanggal, args.pengguna
    )
    try:
        result = registry.commit(store, prepared, replace=args.ganti, user=args.pengguna, progress=progress)
    except registry.ImportRefused as exc:
        bar.close()
        print(f"DITOLAK: {exc}", file=sys.stderr)
        for row in prepared.issues.head(args.max_pesan).itertuples():
            baris = f"baris {row.baris}, " if row.baris is not pd.NA and row.baris is not None else ""
            print(
                f"  {row.tingkat}: {baris}kolom {row.kolom or '-'}: {row.pesan} [{row.nilai or ''}]",
                file=sys.stderr,
            )
        store.close()
        return 2
    bar.close()
    print(
        f"Snapshot {formatting.tanggal(result.as_of)} {'diganti' if result.replaced else 'diimpor'} "
        f"dari {result.file_name} dalam {formatting.number(result.seconds, 2)} detik"
    )
    print(
        f"  Aktif: {formatting.number(result.people_active)} orang, "
        f"{formatting.number(result.families_active)} keluarga; {result.warnings} peringatan"
    )
    for row in result.changes.itertuples():
        label = REASON_LABELS.get(row.alasan) if row.arus == "keluar" else FLOW_LABELS[row.arus]
        print(f"  {'Keluar: ' if row.arus == 'keluar' else ''}{label}: {formatting.number(row.orang)}")
    store.close()
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo store (into an empty store only)."""
    store = Store.open(args.db)
    if bootstrap.snapshot_count(store):
        print("Store sudah berisi snapshot; data contoh tidak dimuat.", file=sys.stderr)
        store.close()
        return 1
    started = time.perf_counter()
    bar, progress = _bar("Data contoh")
    n = bootstrap.build_demo(store, progress)
    bar.close()
    print(f"{n} snapshot contoh dimuat dalam {formatting.number(time.perf_counter() - started, 1)} detik")
    store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: python -m analytics.cli {impor,demo} ..."""
    parser = argparse.ArgumentParser(prog="python -m analytics.cli", description="Nol Ekstrem: impor data")
    parser.add_argument("--db", type=Path, default=config.db_path(), help="berkas store DuckDB")
    sub = parser.add_subparsers(dest="cmd", required=True)
    imp = sub.add_parser("impor", help="impor satu berkas snapshot P3KE (.xlsx/.csv)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--tanggal", type=date.fromisoformat, required=True, help="tanggal snapshot, YYYY-MM-DD")
    imp.add_argument("--ganti", action="store_true", help="ganti snapshot yang sudah ada pada tanggal itu")
    imp.add_argument("--pengguna", default=None, help="nama pengimpor untuk log")
    imp.add_argument("--max-pesan", type=int, default=20, help="jumlah pesan validasi yang dicetak")
    imp.set_defaults(func=cmd_import)
    demo = sub.add_parser("demo", help="bangun store data contoh")
    demo.set_defaults(func=cmd_demo)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
