"""Command line: import a snapshot file, or build the demo store, with a progress bar.

Messages are in Bahasa Indonesia, or in English with --bahasa en (as in analytics.users). What the
import and audit logs store stays Indonesian either way.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from tqdm import tqdm

from analytics import (
    bootstrap,
    config,
    formatting,
    i18n,
    inbox,
    interventions,
    manifest,
    permissions,
    real_data,
    rebuild,
    registry,
)
from analytics.domain import flow_labels, reason_labels
from analytics.i18n import t
from analytics.store import Store, is_lock_error
from analytics.users import language

PROG = "python -m analytics.cli"
LEVELS = {"Galat": "cli.error", "Peringatan": "cli.warning"}  # issue level -> text key


def _bar(desc: str) -> tuple[tqdm, registry.Progress]:
    bar = tqdm(total=100, desc=desc, unit="%", bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}")

    def progress(fraction: float, message: str) -> None:
        bar.n = round(fraction * 100)
        bar.set_postfix_str(message)
        bar.refresh()

    return bar, progress


def _print_issues(issues: pd.DataFrame, limit: int) -> None:
    """The first validation issues, one line each, naming row, column, message and value."""
    for row in issues.head(limit).itertuples():
        args = {
            "level": t(LEVELS.get(row.tingkat, "cli.error")),
            "column": row.kolom or "-",
            "message": row.pesan,
            "value": row.nilai or "",
        }
        if row.baris is not pd.NA and row.baris is not None:
            print(f"  {t('cli.issue_row', row=row.baris, **args)}", file=sys.stderr)
        else:
            print(f"  {t('cli.issue', **args)}", file=sys.stderr)


def cmd_import(args: argparse.Namespace) -> int:
    """Import one snapshot file and print a summary (via the app's inbox when the app holds the store)."""
    if (refused := _no_secret(registry.ImportRefused)) is not None:
        return refused
    store = _open_for_import(args)
    if not isinstance(store, Store):
        return store
    bar, progress = _bar(t("cli.bar_import"))
    progress(0.0, t("berkas.reading", file=args.file.name))
    prepared = registry.prepare_file(
        store, args.file.read_bytes(), args.file.name, args.tanggal, args.pengguna
    )
    try:
        result = registry.commit(
            store, prepared, replace=args.ganti, user=args.pengguna, progress=progress, confirmed=args.yakin
        )
    except registry.ImportRefused as exc:
        bar.close()
        print(t("cli.refused", error=exc), file=sys.stderr)
        _print_issues(prepared.issues, args.max_pesan)
        store.close()
        return 2
    bar.close()
    done = "cli.snapshot_replaced" if result.replaced else "cli.snapshot_imported"
    seconds = formatting.number(result.seconds, 2)
    print(t(done, date=formatting.tanggal(result.as_of), file=result.file_name, seconds=seconds))
    people, families = formatting.number(result.people_active), formatting.number(result.families_active)
    print(f"  {t('cli.active', people=people, families=families, warnings=result.warnings)}")
    for row in result.changes.itertuples():
        n = formatting.number(row.orang)
        if row.arus == "keluar":
            print(f"  {t('cli.exit', label=reason_labels().get(row.alasan), n=n)}")
        else:
            print(f"  {t('cli.flow', label=flow_labels()[row.arus], n=n)}")
    store.close()
    return 0


def _no_secret(refusal: type[i18n.Refusal]) -> int | None:
    """Exit code 2 with the reason when a real file would be imported under the demo key."""
    try:
        real_data.import_secret(False, refusal)
    except refusal as exc:
        print(t("cli.refused", error=exc), file=sys.stderr)
        return 2
    return None


def cmd_secret(args: argparse.Namespace) -> int:
    """Write a new random NIK secret file (mode 0600); never overwrite one."""
    path = args.berkas or real_data.default_secret_path()
    try:
        real_data.write_secret(path)
    except real_data.SecretRefused as exc:
        print(t("cli.failed", error=exc), file=sys.stderr)
        return 1
    print(t("h2.secret_written", path=path.resolve()))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo store (into an empty store only)."""
    store = Store.open(args.db)
    if bootstrap.snapshot_count(store):
        print(t("cli.store_has_data"), file=sys.stderr)
        store.close()
        return 1
    started = time.perf_counter()
    bar, progress = _bar(t("cli.bar_demo"))
    n = bootstrap.build_demo(store, progress)
    bar.close()
    print(t("cli.demo_done", n=n, seconds=formatting.number(time.perf_counter() - started, 1)))
    store.close()
    return 0


def cmd_interventions(args: argparse.Namespace) -> int:
    """Import one OPD intervention file and print a summary."""
    if (refused := _no_secret(interventions.ImportRefused)) is not None:
        return refused
    store = Store.open(args.db)
    bar, progress = _bar(t("cli.bar_interventions"))
    progress(0.0, t("berkas.reading", file=args.file.name))
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
        print(t("cli.refused", error=exc), file=sys.stderr)
        _print_issues(issues, args.max_pesan)
        store.close()
        return 2
    bar.close()
    seconds = formatting.number(result.seconds, 2)
    print(t("cli.itv_done", opd=result.kode_opd, file=result.file_name, seconds=seconds))
    counts = {
        "rows": formatting.number(result.rows),
        "delivered": formatting.number(result.delivered),
        "planned": formatting.number(result.planned),
        "warnings": result.warnings,
    }
    print(f"  {t('cli.itv_rows', **counts)}")
    print(f"  {t('cli.itv_off_list', n=formatting.number(result.off_list))}")
    if result.replaced:
        print(f"  {t('cli.itv_replaced', files=', '.join(result.replaced))}")
    store.close()
    return 0


def _open_for_import(args: argparse.Namespace) -> Store | int:
    """The store, or an exit code after handing the file to the running app's inbox."""
    try:
        store = Store.open(args.db)
    except duckdb.Error as exc:
        if not is_lock_error(exc):
            raise
        ticket = inbox.submit(args.db, args.file, args.tanggal, args.ganti, args.pengguna, args.yakin)
        print(t("cli.handed_over", file=args.file.name, ticket=ticket))
        if args.tunggu <= 0:
            return 0
        outcome = inbox.wait(args.db, ticket, args.tunggu)
        if outcome is None:
            print(t("cli.not_yet", seconds=f"{args.tunggu:g}"))
            return 3
        # the outcome's message is what the app logged (Indonesian)
        status = t(f"cli.status_{outcome.status}")
        print(
            t(
                "cli.outcome",
                status=status,
                file=outcome.file_name,
                as_of=outcome.as_of,
                message=outcome.message,
            )
        )
        return 0 if outcome.status != "ditolak" else 2
    problems = manifest.check(store)
    if problems:
        store.close()
        print(t("cli.manifest_mismatch"), *problems[:10], file=sys.stderr, sep="\n")
        print(manifest.REBUILD_HINT, file=sys.stderr)
        return 4
    return store


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Rebuild the whole store from the raw archive."""
    bar, progress = _bar(t("cli.bar_rebuild"))
    try:
        n = rebuild.rebuild(args.db, progress)
    except rebuild.RebuildRefused as exc:
        bar.close()
        print(t("cli.refused", error=exc), file=sys.stderr)
        return 2
    bar.close()
    print(t("cli.rebuilt", db=args.db, n=n))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check the store against its manifest."""
    try:
        store = manifest.open_verified(args.db, wait_seconds=0)
    except manifest.StoreUnavailable as exc:
        print(t("cli.failed", error=exc), file=sys.stderr)
        return 4
    store.close()
    print(t("cli.store_ok", db=args.db))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=t("cli.description"))
    parser.add_argument("--bahasa", choices=list(i18n.LANGUAGES), default=i18n.DEFAULT, help=t("cli.bahasa"))
    parser.add_argument("--db", type=Path, default=config.db_path(), help=t("cli.db"))
    sub = parser.add_subparsers(dest="cmd", required=True)
    imp = sub.add_parser("impor", help=t("cli.import"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--tanggal", type=date.fromisoformat, required=True, help=t("cli.date"))
    imp.add_argument("--ganti", action="store_true", help=t("cli.replace"))
    imp.add_argument("--pengguna", default=None, help=t("cli.user"))
    imp.add_argument("--max-pesan", type=int, default=20, help=t("cli.max_messages"))
    imp.add_argument("--tunggu", type=float, default=0, help=t("cli.wait"))
    imp.add_argument("--yakin", action="store_true", help=t("h2.cli_confirm"))
    imp.set_defaults(func=cmd_import)
    itv = sub.add_parser("intervensi", help=t("cli.interventions"))
    itv.add_argument("file", type=Path)
    itv.add_argument("--opd", required=True, help=t("cli.opd"))
    same = itv.add_mutually_exclusive_group()
    same.add_argument("--tambah", action="store_true", help=t("cli.add_files"))
    same.add_argument("--ganti", action="store_true", help=t("cli.replace_files"))
    itv.add_argument("--pengguna", default=None, help=t("cli.user"))
    itv.add_argument("--max-pesan", type=int, default=20, help=t("cli.max_messages"))
    itv.set_defaults(func=cmd_interventions)
    sub.add_parser("demo", help=t("cli.demo")).set_defaults(func=cmd_demo)
    sub.add_parser("bangun-ulang", help=t("cli.rebuild")).set_defaults(func=cmd_rebuild)
    sub.add_parser("periksa", help=t("cli.check")).set_defaults(func=cmd_check)
    key = sub.add_parser("rahasia", help=t("h2.cli_secret"))
    key.add_argument("--berkas", type=Path, default=None, help=t("h2.cli_secret_file"))
    key.set_defaults(func=cmd_secret)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: python -m analytics.cli [--bahasa id|en] {impor,intervensi,demo,...} ..."""
    permissions.private_umask()  # every runtime file this process creates is 0600, its folders 0700
    with i18n.using(language(argv, PROG)):
        args = _parser().parse_args(argv)
        if args.cmd != "rahasia":
            permissions.secure(args.db)
        try:
            return args.func(args)
        except config.SecretUnreadable as exc:  # never a silent fallback to the demo key
            print(t("cli.failed", error=exc), file=sys.stderr)
            return 2


if __name__ == "__main__":
    sys.exit(main())
