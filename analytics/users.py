"""Command line for accounts: python -m analytics.users {tambah,nonaktifkan,aktifkan,reset,daftar}.

Messages are in Bahasa Indonesia, or in English with --bahasa en (as in analytics.cli).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from analytics import config, i18n
from analytics.access import auth
from analytics.i18n import t
from analytics.ingest import inbox
from analytics.store import permissions

PROG = "python -m analytics.users"


def _password(args: argparse.Namespace) -> str:
    if args.kata_sandi_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(t("cli.password"))
    if first != getpass.getpass(t("cli.password_again")):
        raise auth.AuthError(t("cli.password_mismatch"))
    return first


def language(argv: list[str] | None, prog: str) -> str:
    """The --bahasa option (id or en, default id), read before the parser is built so that its help
    texts follow it too."""
    early = argparse.ArgumentParser(prog=prog, add_help=False)
    early.add_argument("--bahasa", choices=list(i18n.LANGUAGES), default=i18n.DEFAULT)
    return early.parse_known_args(argv)[0].bahasa


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=t("cli.users_description"))
    parser.add_argument("--bahasa", choices=list(i18n.LANGUAGES), default=i18n.DEFAULT, help=t("cli.bahasa"))
    sub = parser.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("tambah", help=t("cli.users_add"))
    add.add_argument("nama")
    add.add_argument("--peran", required=True, help=t("cli.users_role"))
    add.add_argument("--email", help=t("cli.users_email"))
    for name in ("nonaktifkan", "aktifkan", "reset"):
        p = sub.add_parser(name, help=t(f"cli.users_{name}"))
        p.add_argument("nama")
    for p in (add, sub.choices["reset"]):
        p.add_argument("--kata-sandi-stdin", action="store_true", help=t("cli.users_stdin"))
    sub.add_parser("daftar", help=t("cli.users_list"))
    return parser


def _run(args: argparse.Namespace) -> int:
    try:
        if args.cmd == "tambah":
            auth.add_user(args.nama, args.peran, _password(args), args.email)
        elif args.cmd == "reset":
            auth.reset_password(args.nama, _password(args))
        elif args.cmd in ("nonaktifkan", "aktifkan"):
            auth.set_active(args.nama, args.cmd == "aktifkan")
        else:
            for name, entry in sorted(auth.load_users().items()):
                state = t("cli.account_active") if entry.get("aktif") else t("cli.account_inactive")
                print(f"{name}\t{entry['peran']}\t{state}\t{entry.get('email') or ''}")
            return 0
    except auth.AuthError as exc:
        print(t("cli.failed", error=exc), file=sys.stderr)
        return 1
    print(t("cli.users_ok", cmd=args.cmd, name=args.nama, path=auth.users_path()))
    _log_change(args)
    return 0


CHANGES = {"nonaktifkan": "nonaktifkan", "aktifkan": "aktifkan", "reset": "atur ulang kata sandi"}


def _log_change(args: argparse.Namespace) -> None:
    """Audit the change in the store (or through the app's inbox when the app holds the store)."""
    detail = f"tambah, peran {args.peran}" if args.cmd == "tambah" else CHANGES[args.cmd]
    if problem := inbox.log_or_hand_over(
        config.db_path(), "pengguna", args.nama, f"baris perintah: {detail}"
    ):
        print(problem, file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Add, disable, enable, reset or list accounts in the accounts file."""
    permissions.private_umask()  # the accounts file and its folder are private
    with i18n.using(language(argv, PROG)):
        return _run(_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
