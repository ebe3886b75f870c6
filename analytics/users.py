"""Command line for accounts: python -m analytics.users {tambah,nonaktifkan,aktifkan,reset,daftar}."""

from __future__ import annotations

import argparse
import getpass
import sys

from analytics import auth


def _password(args: argparse.Namespace) -> str:
    if args.kata_sandi_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Kata sandi: ")
    if first != getpass.getpass("Ulangi kata sandi: "):
        raise auth.AuthError("Kedua kata sandi tidak sama.")
    return first


def main(argv: list[str] | None = None) -> int:
    """Add, disable, enable, reset or list accounts in the accounts file."""
    parser = argparse.ArgumentParser(prog="python -m analytics.users", description="Kelola akun Nol Ekstrem")
    sub = parser.add_subparsers(dest="cmd", required=True)
    add = sub.add_parser("tambah", help="buat akun")
    add.add_argument("nama")
    add.add_argument("--peran", required=True, help="walikota, dinsos, admin atau opd:<kode>")
    add.add_argument("--email", help="e-mail untuk masuk lewat OIDC, bila dipakai")
    for name in ("nonaktifkan", "aktifkan", "reset"):
        p = sub.add_parser(name, help=f"{name} akun")
        p.add_argument("nama")
    for p in (add, sub.choices["reset"]):
        p.add_argument("--kata-sandi-stdin", action="store_true", help="baca kata sandi dari stdin")
    sub.add_parser("daftar", help="tampilkan akun")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "tambah":
            auth.add_user(args.nama, args.peran, _password(args), args.email)
        elif args.cmd == "reset":
            auth.reset_password(args.nama, _password(args))
        elif args.cmd in ("nonaktifkan", "aktifkan"):
            auth.set_active(args.nama, args.cmd == "aktifkan")
        else:
            for name, entry in sorted(auth.load_users().items()):
                state = "aktif" if entry.get("aktif") else "nonaktif"
                print(f"{name}\t{entry['peran']}\t{state}\t{entry.get('email') or ''}")
            return 0
    except auth.AuthError as exc:
        print(f"GAGAL: {exc}", file=sys.stderr)
        return 1
    print(f"OK: {args.cmd} {args.nama} ({auth.users_path()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
