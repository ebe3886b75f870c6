"""Command line: import a snapshot file, or build the demo store, with a progress bar.

Messages are in Bahasa Indonesia, or in English with --bahasa en (as in analytics.users). What the
import and audit logs store stays Indonesian either way.
"""

from __future__ import annotations

import argparse
import getpass
import hashlib
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
from tqdm import tqdm

from analytics import config, domain, formatting, i18n, measures
from analytics.access import real_data
from analytics.domain import flow_labels, reason_labels
from analytics.i18n import t
from analytics.ingest import bootstrap, formats, inbox, rebuild
from analytics.ingest.base import ImportRefused, Progress
from analytics.ingest.kinds import KINDS as IMPORTERS
from analytics.store import manifest, opening, permissions
from analytics.store.audit import log as audit_log
from analytics.store.db import Store
from analytics.store.holder import AppHolds, HeldByOther, open_store, os_user
from analytics.users import language

PROG = "python -m analytics.cli"
LOCK_WAIT = 30.0  # seconds an import waits for another command holding the store (--tunggu-kunci)
LEVELS = {"Galat": "cli.error", "Peringatan": "cli.warning"}  # issue level -> text key


def _bar(desc: str) -> tuple[tqdm, Progress]:
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
    if (refused := _no_secret(ImportRefused)) is not None:
        return refused
    store = _open_for_import(args, "registri")
    if not isinstance(store, Store):
        return store
    bar, progress = _bar(t("cli.bar_import"))
    data = args.file.read_bytes()
    try:
        result = IMPORTERS["registri"].import_bytes(
            store,
            data,
            args.file.name,
            as_of=args.tanggal,
            replace=args.ganti,
            user=args.pengguna,
            progress=progress,
            confirmed=args.yakin,
            format=args.format,
        )
    except ImportRefused as exc:
        bar.close()
        _audit(store, args, "impor_ditolak", data, exc.log_text)
        print(t("cli.refused", error=exc), file=sys.stderr)
        _print_issues(exc.issues if exc.issues is not None else pd.DataFrame(), args.max_pesan)
        store.close()
        return 2
    bar.close()
    action = "ganti" if result.replaced else "impor"
    _audit(store, args, action, data, f"snapshot {result.as_of}, {result.people_active} orang aktif")
    done = "cli.snapshot_replaced" if result.replaced else "cli.snapshot_imported"
    seconds = formatting.number(result.seconds, 2)
    print(t(done, date=formatting.tanggal(result.as_of), file=result.file_name, seconds=seconds))
    people, families = formatting.number(result.people_active), formatting.number(result.families_active)
    summary = t(
        "i15c.cli_summary",
        people_label=measures.label("orang_di_daftar"),
        people=people,
        families_label=measures.label("keluarga_di_daftar"),
        families=families,
        warnings=result.warnings,
    )
    print(f"  {summary}")
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
    if store.snapshot_count():
        print(t("cli.store_has_data"), file=sys.stderr)
        store.close()
        return 1
    started = time.perf_counter()
    bar, progress = _bar(t("cli.bar_demo"))
    n = bootstrap.build_demo(store, progress, origin="perintah demo")
    bar.close()
    print(t("cli.demo_done", n=n, seconds=formatting.number(time.perf_counter() - started, 1)))
    store.close()
    return 0


def cmd_interventions(args: argparse.Namespace) -> int:
    """Import one OPD intervention file and print a summary."""
    if (refused := _no_secret(ImportRefused)) is not None:
        return refused
    store = _open_for_import(args, "intervensi")
    if not isinstance(store, Store):
        return store
    bar, progress = _bar(t("cli.bar_interventions"))
    data = args.file.read_bytes()
    try:
        result = IMPORTERS["intervensi"].import_bytes(
            store,
            data,
            args.file.name,
            kode_opd=args.opd.upper(),
            mode=_mode(args),
            user=args.pengguna,
            progress=progress,
        )
    except ImportRefused as exc:
        bar.close()
        _audit(store, args, "impor_ditolak", data, f"intervensi {args.opd.upper()}: {exc.log_text}")
        print(t("cli.refused", error=exc), file=sys.stderr)
        _print_issues(exc.issues if exc.issues is not None else pd.DataFrame(), args.max_pesan)
        store.close()
        return 2
    bar.close()
    _audit(store, args, "impor", data, f"intervensi {result.kode_opd}: {result.rows} baris")
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


def _mode(args: argparse.Namespace) -> str | None:
    return "ganti" if args.ganti else "tambah" if args.tambah else None


def _audit(store: Store, args: argparse.Namespace, action: str, data: bytes, detail: str) -> None:
    """Log a command-line import (or its refusal) under the OS user, with the file's SHA-256."""
    by = f"; pengguna {args.pengguna}" if args.pengguna else ""
    sha = hashlib.sha256(data).hexdigest()
    audit_log(store, os_user(), None, action, args.file.name, sha, f"baris perintah, {detail}{by}")


def cmd_verval(args: argparse.Namespace) -> int:
    """Import one kelurahan verval sheet (issue 19) and print how many results of each kind it held."""
    if (refused := _no_secret(ImportRefused)) is not None:
        return refused
    store = _open_for_import(args, "verval")
    if not isinstance(store, Store):
        return store
    bar, progress = _bar(t("cli19.bar_verval"))
    data = args.file.read_bytes()
    try:
        result = IMPORTERS["verval"].import_bytes(
            store, data, args.file.name, user=args.pengguna, progress=progress
        )
    except ImportRefused as exc:
        bar.close()
        _audit(store, args, "impor_ditolak", data, f"verval: {exc.log_text}")
        print(t("cli.refused", error=exc), file=sys.stderr)
        _print_issues(exc.issues if exc.issues is not None else pd.DataFrame(), args.max_pesan)
        store.close()
        return 2
    bar.close()
    _audit(store, args, "impor", data, f"verval: {result.rows} hasil")
    print(t("cli19.verval_done", file=result.file_name, n=formatting.number(result.rows)))
    labels = domain.verval_labels()
    for code, n in sorted(result.per_result.items(), key=lambda kv: -kv[1]):
        print(f"  {labels.get(code, code)}: {formatting.number(n)}")
    store.close()
    return 0


def _open_for_import(args: argparse.Namespace, kind: str) -> Store | int:
    """The store, or an exit code: after handing the file to the running app's inbox, or after
    waiting --tunggu-kunci seconds for another process that holds the store (then refused)."""
    try:
        store = open_store(args.db, args.tunggu_kunci, migrate=False)  # checked before migrating
    except AppHolds:
        return _hand_over(args, kind)
    except HeldByOther as exc:
        wait = formatting.number(args.tunggu_kunci)
        print(t("h3.store_held", db=args.db, holder=exc.holder, seconds=wait), file=sys.stderr)
        return 5
    except duckdb.Error as exc:
        print(t("cli.failed", error=exc), file=sys.stderr)
        return 4
    try:
        opening.verify_and_migrate(store)
    except manifest.StoreUnavailable as exc:
        store._con.close()
        print(
            t("cli.manifest_mismatch"),
            *manifest.differences_of(exc),
            file=sys.stderr,
            sep="\n",
        )
        print(manifest.REBUILD_HINT, file=sys.stderr)
        return 4
    except duckdb.Error as exc:
        store._con.close()
        print(
            t("cli.failed", error=t("h4.damaged", name=args.db.name, error=opening.short_error(exc))),
            file=sys.stderr,
        )
        return 4
    return store


def _hand_over(args: argparse.Namespace, kind: str) -> int:
    """Give the file to the app holding the store; wait --tunggu seconds for its outcome."""
    if kind == "registri":
        ticket = inbox.submit(
            args.db,
            args.file,
            args.tanggal,
            args.ganti,
            args.pengguna,
            confirmed=args.yakin,
            format=args.format,
        )
    elif kind == "verval":
        ticket = inbox.submit(args.db, args.file, user=args.pengguna, kind=kind)
    else:
        ticket = inbox.submit(
            args.db, args.file, user=args.pengguna, kind=kind, kode_opd=args.opd.upper(), mode=_mode(args)
        )
    print(t("cli.handed_over", file=args.file.name, ticket=ticket))
    if args.tunggu <= 0:
        return 0
    outcome = inbox.wait(args.db, ticket, args.tunggu)
    if outcome is None:
        print(t("cli.not_yet", seconds=f"{args.tunggu:g}"))
        return 3
    # the outcome's message is what the app logged (Indonesian)
    status = t(f"cli.status_{outcome.status}")
    if kind == "registri":
        text = t(
            "cli.outcome", status=status, file=outcome.file_name, as_of=outcome.as_of, message=outcome.message
        )
    elif kind == "verval":
        text = t("cli19.outcome_verval", status=status, file=outcome.file_name, message=outcome.message)
    else:
        text = t(
            "h3.outcome_itv",
            status=status,
            file=outcome.file_name,
            opd=outcome.kode_opd,
            message=outcome.message,
        )
    print(text)
    return 0 if outcome.status != "ditolak" else 2


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Rebuild the whole store from the raw archive."""
    bar, progress = _bar(t("cli.bar_rebuild"))
    try:
        n = rebuild.rebuild(args.db, progress, accept_loss=args.terima_kehilangan_log)
    except rebuild.RebuildRefused as exc:
        bar.close()
        print(t("cli.refused", error=exc), file=sys.stderr)
        return 2
    bar.close()
    print(t("cli.rebuilt", db=args.db, n=n))
    detail = f"baris perintah: {n} impor dari arsip diputar ulang"
    if problem := inbox.log_or_hand_over(args.db, "bangun_ulang", None, detail):
        print(problem, file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Check the store against its manifest (every table, and the audit chain against its anchor),
    and report inbox items waiting over an hour; with --terima, accept the store as it is (audited)."""
    if args.terima:
        try:
            store = opening.adopt(args.db, args.pengguna or getpass.getuser())
        except manifest.StoreUnavailable as exc:
            print(t("cli.failed", error=exc), file=sys.stderr)
            return 4
        store.close()
        print(t("h4.accepted", db=args.db))
        return 0
    waiting = inbox.stale(args.db)
    for ticket, age in waiting:
        hours = formatting.number(age / 3600, 1)
        print(
            t("h3.stale_item", ticket=ticket, hours=hours, folder=inbox.folder_for(args.db)), file=sys.stderr
        )
    try:
        store = opening.open_verified(args.db, wait_seconds=0)
    except manifest.StoreUnavailable as exc:
        print(t("cli.failed", error=exc), file=sys.stderr)
        return 4
    store.close()
    print(t("cli.store_ok", db=args.db))
    return 6 if waiting else 0


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
    imp.add_argument("--yakin", action="store_true", help=t("h2.cli_confirm").replace("%", "%%"))
    imp.add_argument(
        "--format", choices=sorted(formats.of_kind("registri")), default=None, help=t("a19.cli_format")
    )
    itv = sub.add_parser("intervensi", help=t("cli.interventions"))
    itv.add_argument("file", type=Path)
    itv.add_argument("--opd", required=True, help=t("cli.opd"))
    same = itv.add_mutually_exclusive_group()
    same.add_argument("--tambah", action="store_true", help=t("cli.add_files"))
    same.add_argument("--ganti", action="store_true", help=t("cli.replace_files"))
    itv.add_argument("--pengguna", default=None, help=t("cli.user"))
    itv.add_argument("--max-pesan", type=int, default=20, help=t("cli.max_messages"))
    vv = sub.add_parser("verval", help=t("cli19.verval"))
    vv.add_argument("file", type=Path)
    vv.add_argument("--pengguna", default=None, help=t("cli.user"))
    vv.add_argument("--max-pesan", type=int, default=20, help=t("cli.max_messages"))
    vv.set_defaults(func=cmd_verval)
    for p in (imp, itv, vv):
        p.add_argument("--tunggu", type=float, default=0, help=t("cli.wait"))
        p.add_argument("--tunggu-kunci", type=float, default=LOCK_WAIT, help=t("h3.lock_wait"))
    imp.set_defaults(func=cmd_import)
    itv.set_defaults(func=cmd_interventions)
    sub.add_parser("demo", help=t("cli.demo")).set_defaults(func=cmd_demo)
    again = sub.add_parser("bangun-ulang", help=t("cli.rebuild"))
    again.add_argument("--terima-kehilangan-log", action="store_true", help=t("h4.accept_loss"))
    again.set_defaults(func=cmd_rebuild)
    check = sub.add_parser("periksa", help=t("cli.check"))
    check.add_argument("--terima", action="store_true", help=t("h4.accept"))
    check.add_argument("--pengguna", default=None, help=t("cli.user"))
    check.set_defaults(func=cmd_check)
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
