"""What every import kind shares: one refusal type, one import-log line, one NIK-key check, and the
`Importer` protocol the registry, intervention and population importers implement."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol, runtime_checkable

import duckdb
import pandas as pd

from analytics import i18n
from analytics.ingest.issues import ISSUE_COLUMNS, import_failure
from analytics.store import archive, privacy
from analytics.store.db import Store, no_progress, run

Progress = Callable[[float, str], None]
FINGERPRINT_KEY = "nik_key_fingerprint"  # setting: the fingerprint of the NIK key the store was keyed with


class ImportRefused(i18n.Refusal):
    """The import was refused; the message is for the user, in the current language.

    `log_text` is the same message in Indonesian, for the import and audit logs (one language).
    `issues` is the checked file's report when the refusal came after the file was read (set by
    `import_bytes`, for the command line to print).
    """

    issues: pd.DataFrame | None = None


def refusing_with_issues(prepared: Any, commit: Callable[[], Any]) -> Any:
    """commit(), and any ImportRefused it raises carries the checked file's issues."""
    try:
        return commit()
    except ImportRefused as exc:
        exc.issues = prepared.issues
        raise


def log_line(
    cur: duckdb.DuckDBPyConnection,
    kind: str,
    prepared: Any,
    outcome: str,
    message: str,
    user: str,
    as_of: date | None = None,
) -> None:
    """Write one import_log row on the caller's cursor (inside its transaction)."""
    run(
        cur,
        "import_log_insert",
        logged_at=datetime.now(),
        kind=kind,
        file_name=prepared.file_name,
        sha256=prepared.sha256,
        as_of=as_of,
        outcome=outcome,
        message=message,
        row_count=prepared.row_count,
        user_name=user,
    )


def log_import(
    store: Store, kind: str, prepared: Any, outcome: str, message: str, user: str, as_of: date | None = None
) -> None:
    """Append one line to the import log (its own small transaction)."""
    with store.transaction() as cur:
        log_line(cur, kind, prepared, outcome, message, user, as_of)


def log_invalid(
    store: Store, kind: str, prepared: Any, user: str, *, prefix: str = "", as_of: date | None = None
) -> None:
    """Log a file refused by validation, naming its first error (the import log keeps Indonesian)."""
    first = prepared.errors.iloc[0]
    where = f"baris {first['baris']}, " if pd.notna(first["baris"]) else ""
    pesan = prepared.indonesian(first["pesan"])
    message = f"{prefix}{len(prepared.errors)} galat validasi; pertama: {where}{pesan}"
    log_import(store, kind, prepared, "ditolak", message, user, as_of)


def unexpected_failure(
    store: Store,
    kind: str,
    prepared: Any,
    user: str,
    exc: Exception,
    staged: archive.Staged | None = None,
    as_of: date | None = None,
) -> ImportRefused:
    """The refusal for an import that failed unexpectedly and was rolled back: the file staged for
    the archive is dropped (a failed COMMIT leaves it pending) and the failure is logged, naming the
    error's type, never a traceback."""
    if staged is not None:
        staged.discard()
    log = lambda text: log_import(store, kind, prepared, "ditolak", text, user, as_of)  # noqa: E731
    return import_failure(ImportRefused, prepared.file_name, exc, log)


def check_key(store: Store, secret: bytes, refused_key: str) -> None:
    """Refuse (text `refused_key`) when the store was keyed with another NIK key than `secret`."""
    stored = store.query("setting_value", key=FINGERPRINT_KEY)
    if not stored.empty and stored.iloc[0, 0] and stored.iloc[0, 0] != privacy.secret_fingerprint(secret):
        raise ImportRefused.keyed(refused_key)


def record_key(cur: duckdb.DuckDBPyConnection, secret: bytes) -> None:
    """Record the NIK key's fingerprint in the caller's transaction."""
    run(cur, "setting_put", key=FINGERPRINT_KEY, value=privacy.secret_fingerprint(secret))


@runtime_checkable
class Importer(Protocol):
    """One import kind. Options differ per kind and pass through as keywords: the registry's
    prepare takes `as_of` and its commit `replace` and `confirmed`; the intervention importer's
    prepare takes `kode_opd` and its commit `mode`; population takes none."""

    kind: str  # the import_log and archive kind ('registri', 'intervensi', 'penduduk')
    prepare_options: tuple[str, ...]  # the keyword options prepare takes (the rest go to commit)

    def prepare(
        self, store: Store, data: bytes, file_name: str, *, user: str | None = None, **options: Any
    ) -> Any:
        """Read and validate a file (a Prepared*); a refused file is logged with why."""

    def preview(self, store: Store, prepared: Any) -> pd.DataFrame:
        """What committing the checked file would change, as a table for the user."""

    def commit(
        self,
        store: Store,
        prepared: Any,
        *,
        user: str | None = None,
        progress: Progress = ...,
        imported_at: datetime | None = None,
        **options: Any,
    ) -> Any:
        """Import a checked file in one transaction and archive it; raise ImportRefused."""

    def import_bytes(
        self,
        store: Store,
        data: bytes,
        file_name: str,
        *,
        user: str | None = None,
        progress: Progress = ...,
        **options: Any,
    ) -> Any:
        """prepare + commit: the one call of the CLI and the inbox (options split between the two)."""

    def replay(self, store: Store, meta: archive.Meta, rows: pd.DataFrame) -> None:
        """Commit an archived file again (rebuild), keeping its time, user and choices."""

    def ticket(self, spec: dict) -> dict:
        """The commit/prepare options an inbox ticket carries, validated; ValueError (Indonesian) if not."""

    def outcome(self, result: Any) -> tuple[str, str, str, str]:
        """(status 'diimpor'|'diganti', as_of text, kode_opd, Indonesian message) of a commit's result,
        for the inbox."""


def issues_of(meta: archive.Meta) -> pd.DataFrame:
    """The validation warnings an archived file carries, as an issues table."""
    issues = pd.DataFrame(json.loads(meta.warnings), columns=ISSUE_COLUMNS)
    issues["baris"] = issues["baris"].astype("Int64")
    return issues


class ImporterBase:
    """The `import_bytes` every kind shares: prepare, then commit, with the keyword options split by
    name (`prepare_options` go to prepare only, `shared_options` to both, the rest to commit)."""

    prepare_options: tuple[str, ...] = ()
    shared_options: tuple[str, ...] = ()

    def import_bytes(
        self,
        store: Store,
        data: bytes,
        file_name: str,
        *,
        user: str | None = None,
        progress: Progress = no_progress,
        **options: Any,
    ) -> Any:
        progress(0.0, i18n.t("berkas.reading", file=file_name))
        for_prepare = self.prepare_options + self.shared_options
        prepared = self.prepare(  # type: ignore[attr-defined]
            store, data, file_name, user=user, **{k: v for k, v in options.items() if k in for_prepare}
        )
        for_commit = {k: v for k, v in options.items() if k not in self.prepare_options}
        return refusing_with_issues(
            prepared,
            lambda: self.commit(store, prepared, user=user, progress=progress, **for_commit),  # type: ignore[attr-defined]
        )
