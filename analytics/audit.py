"""The audit trail: who did what and when, hash-chained so edits are detectable."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pandas as pd

from analytics.i18n import t
from analytics.store import Store

# The actions the trail knows; their labels live in the locale files (action.<code>).
ACTIONS: tuple[str, ...] = (
    "masuk",
    "masuk_gagal",
    "keluar",
    "impor",
    "ganti",
    "impor_ditolak",
    "unduh",
    "pengguna",
    "pengaturan",
    "bangun_ulang",
    "data_contoh",
)
GENESIS = "0" * 64


def action_labels() -> dict[str, str]:
    """Action code -> label in the current language."""
    return {code: t(f"action.{code}") for code in ACTIONS}


def _entry_hash(prev: str, values: tuple) -> str:
    text = "|".join([prev, *("" if v is None else str(v) for v in values)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def log(
    store: Store,
    user: str,
    role: str | None,
    action: str,
    obj: str | None = None,
    sha256: str | None = None,
    detail: str | None = None,
) -> None:
    """Append one entry to the audit trail (its own transaction)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    at = datetime.now().replace(microsecond=0)
    with store.transaction() as cur:
        row = cur.execute("select entry_hash from audit_log order by entry_id desc limit 1").fetchone()
        prev = row[0] if row else GENESIS
        values = (at.isoformat(), user, role, action, obj, sha256, detail)
        cur.execute(
            "insert into audit_log (logged_at, user_name, role, action, object, sha256, detail, "
            "prev_hash, entry_hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [at, user, role, action, obj, sha256, detail, prev, _entry_hash(prev, values)],
        )


def verify_chain(store: Store) -> int | None:
    """The entry_id of the first entry whose hash does not match, or None if the chain is intact."""
    df = store.query("audit_chain")
    prev = GENESIS
    for row in df.itertuples(index=False):
        values = (
            row.logged_at.isoformat(),
            row.user_name,
            row.role,
            row.action,
            row.object,
            row.sha256,
            row.detail,
        )
        values = tuple(None if isinstance(v, float) and pd.isna(v) else v for v in values)
        if row.prev_hash != prev or row.entry_hash != _entry_hash(prev, values):
            return int(row.entry_id)
        prev = row.entry_hash
    return None


def entries(store: Store, action: str | None = None, limit: int = 500) -> pd.DataFrame:
    """The latest audit entries for display, newest first."""
    df = store.query("audit_list", action=action, limit=limit)
    return pd.DataFrame(
        {
            t("col.waktu"): df["logged_at"],
            t("col.pengguna"): df["user_name"],
            t("col.peran"): df["role"],
            t("col.tindakan"): df["action"].map(action_labels()).fillna(df["action"]),
            t("col.objek"): df["object"],
            "SHA-256": df["sha256"],
            t("col.keterangan"): df["detail"],
        }
    )
