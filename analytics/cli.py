"""Command line: import a snapshot file, or build the demo store, with a progress bar."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from tqdm import tqdm

from analytics import bootstrap, config, formatting, inbox, interventions, manifest, rebuild, registry
from analytics.domain import flow_labels, reason_labels
from analytics.store import Store, is_lock_error


def _bar(desc: str) -> tuple[tqdm, registry.Progress]:
    bar = tqdm(total=100, desc=desc, unit="%", bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}")

    def progress(fraction: float, message: str) -> None:
        bar.n = round(fraction * 100)
        bar.set_postfix_str(message)
        bar.refresh()

    return bar, progress


def cmd_import(args: argparse.Namespace) -> int:
    """Import one snapshot file and print a summary (via the app's inbox when the app holds the store)."""
    store = _open_for_import(args)
    if not isinstance(store, Store):
        return store
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
        label = reason_labels().get(row.alasan) if row.arus == "keluar" else flow_labels()[row.arus]
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


def cmd_interventions(args: argparse.Namespace) -> int:
    """Import one OPD intervention file and print a summary."""
    store = Store.open(args.db)
    bar, progress = _bar("Intervensi")
    progress(0.0, f"Membaca {args.file.name}")
    mode = "ganti" if args.ganti else "tambah" if args.tambah else None
    issues = pd.DataFrame()
    try:
        prepared = interventions.prepare_file(
            store, args.file.read_bytes(), args.file.name, args.opd.upper(), args.pengguna
        )
        issues = prepared.issues
        result = interventions.commit(store, prepared, mode=mode, user=args.pengguna, progress=progress)
    except interventions.ImportRefused as exc:
        bar.close()
        print(f"DITOLAK: {exc}", file=sys.stderr)
        for row in issues.head(args.max_pesan).itertuples():
            baris = f"baris {row.baris}, " if row.baris is not pd.NA and row.baris is not None else ""
            print(
                f"  {row.tingkat}: {baris}kolom {row.kolom or '-'}: {row.pesan} [{row.nilai or ''}]",
                file=sys.stderr,
            )
        store.close()
        return 2
    bar.close()
    print(
        f"Intervensi {result.kode_opd} diimpor dari {result.file_name} dalam "
        f"{formatting.number(result.seconds, 2)} detik"
    )
    print(
        f"  {formatting.number(result.rows)} baris: {formatting.number(result.delivered)} tersalur, "
        f"{formatting.number(result.planned)} rencana; {result.warnings} peringatan"
    )
    print(f"  Penerima di luar daftar P3KE (ditandai, tetap disimpan): {formatting.number(result.off_list)}")
    if result.replaced:
        print(f"  Mengganti berkas: {', '.join(result.replaced)}")
    store.close()
    return 0


def _open_for_import(args: argparse.Namespace) -> Store | int:
    """The store, or an exit code after handing the file to the running app's inbox."""
    try:
        store = Store.open(args.db)
    except duckdb.Error as exc:
        if not is_lock_error(exc):
            raise
        ticket = inbox.submit(args.db, args.file, args.tanggal, args.ganti, args.pengguna)
        print(
            f"Store sedang dibuka aplikasi; {args.file.name} diserahkan ke kotak masuk aplikasi "
            f"(tiket {ticket}) dan diimpor pada pemuatan halaman berikutnya."
        )
        if args.tunggu <= 0:
            return 0
        outcome = inbox.wait(args.db, ticket, args.tunggu)
        if outcome is None:
            print(f"Belum diimpor setelah {args.tunggu:g} detik; tiket tetap menunggu di kotak masuk.")
            return 3
        print(f"{outcome.status.upper()}: {outcome.file_name}, snapshot {outcome.as_of}: {outcome.message}")
        return 0 if outcome.status != "ditolak" else 2
    problems = manifest.check(store)
    if problems:
        store.close()
        print("DITOLAK: store tidak cocok dengan manifestnya:", *problems[:10], file=sys.stderr, sep="\n")
        print(manifest.REBUILD_HINT, file=sys.stderr)
        return 4
    return store


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Rebuild the whole store from the raw archive."""
    bar, progress = _bar("Bangun ulang")
    try:
        n = rebuild.rebuild(args.db, progress)
    except rebuild.RebuildRefused as exc:
        bar.close()
        print(f"DITOLAK: {exc}", file=sys.stderr)
        return 2
    bar.close()
    print(f"Store {args.db} dibangun ulang dari {n} impor di arsip; manifest ditulis ulang.")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check the store against its manifest."""
    try:
        store = manifest.open_verified(args.db, wait_seconds=0)
    except manifest.StoreUnavailable as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 4
    store.close()
    print(f"Store {args.db} cocok dengan manifestnya.")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: python -m analytics.cli {impor,intervensi,demo} ..."""
    parser = argparse.ArgumentParser(prog="python -m analytics.cli", description="Nol Ekstrem: impor data")
    parser.add_argument("--db", type=Path, default=config.db_path(), help="berkas store DuckDB")
    sub = parser.add_subparsers(dest="cmd", required=True)
    imp = sub.add_parser("impor", help="impor satu berkas snapshot P3KE (.xlsx/.csv)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--tanggal", type=date.fromisoformat, required=True, help="tanggal snapshot, YYYY-MM-DD")
    imp.add_argument("--ganti", action="store_true", help="ganti snapshot yang sudah ada pada tanggal itu")
    imp.add_argument("--pengguna", default=None, help="nama pengimpor untuk log")
    imp.add_argument("--max-pesan", type=int, default=20, help="jumlah pesan validasi yang dicetak")
    imp.add_argument(
        "--tunggu", type=float, default=0, help="bila aplikasi memegang store: detik menunggu hasil impor"
    )
    imp.set_defaults(func=cmd_import)
    itv = sub.add_parser("intervensi", help="impor satu berkas intervensi OPD (.xlsx/.csv)")
    itv.add_argument("file", type=Path)
    itv.add_argument("--opd", required=True, help="kode OPD pengirim, mis. DINSOSPM (lihat data/opd.csv)")
    same = itv.add_mutually_exclusive_group()
    same.add_argument(
        "--tambah", action="store_true", help="tambahkan ke berkas OPD ini yang periodenya tumpang tindih"
    )
    same.add_argument(
        "--ganti", action="store_true", help="ganti berkas OPD ini yang periodenya tumpang tindih"
    )
    itv.add_argument("--pengguna", default=None, help="nama pengimpor untuk log")
    itv.add_argument("--max-pesan", type=int, default=20, help="jumlah pesan validasi yang dicetak")
    itv.set_defaults(func=cmd_interventions)
    demo = sub.add_parser("demo", help="bangun store data contoh")
    demo.set_defaults(func=cmd_demo)
    sub.add_parser("bangun-ulang", help="bangun ulang store dari arsip impor").set_defaults(func=cmd_rebuild)
    sub.add_parser("periksa", help="periksa store terhadap manifestnya").set_defaults(func=cmd_check)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
