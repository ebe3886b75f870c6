"""The audit trail: who did what and when, hash-chained so edits are detectable."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd

from analytics.i18n import t
from analytics.store import manifest
from analytics.store.db import Store
from analytics.store.manifest import GENESIS, broken_link, entry_hash
from analytics.store.sql import load_query, run

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
    "cari_keluarga",
    "lihat_keluarga",
    "tanda_keluarga",
)


def action_labels() -> dict[str, str]:
    """Action code -> label in the current language."""
    return {code: t(f"action.{code}") for code in ACTIONS}


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
    # The manifest records the chain's head (rows, last id, last hash) with every entry, so a
    # shortened or emptied log (a lost WAL) no longer matches it (analytics.store.manifest.Journal).
    with store.transaction(touches=(manifest.AUDIT,)) as cur:
        row = cur.execute(load_query("audit_head")).fetchone()
        prev = row[0] if row else GENESIS
        values = (at.isoformat(), user, role, action, obj, sha256, detail)
        entry = {"logged_at": at, "user_name": user, "role": role, "action": action, "object": obj}
        entry |= {"sha256": sha256, "detail": detail, "prev_hash": prev}
        run(cur, "audit_insert", **entry, entry_hash=entry_hash(prev, values))


def first_broken_link(store: Store) -> int | None:
    """The entry_id of the first entry whose hash or link does not match (the rows present only)."""
    return broken_link(store.query("audit_chain"))


def anchor(store: Store) -> list | None:
    """The chain's head as the manifest beside the store file records it: [rows, last id, last hash]."""
    if store.path is None:
        return None
    try:
        state = json.loads(manifest.path_for(store.path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    head = state.get("tables", {}).get(manifest.AUDIT) if isinstance(state, dict) else None
    return head if isinstance(head, list) and len(head) == 3 else None


def missing(store: Store) -> tuple[int, int] | None:
    """(rows the anchor records, rows of them present) when entries the anchor vouches for are gone."""
    head = anchor(store)
    if head is None:
        return None
    rows, last_id, last_hash = head
    with store.cursor() as cur:
        present, found = cur.execute(load_query("audit_present_until"), {"last_id": last_id}).fetchone()
    if present < rows or (rows and found != last_hash):
        return rows, int(present)
    return None


def verify_chain(store: Store) -> int | None:
    """The entry_id of the first broken or missing entry, or None if the chain is intact.

    Links are checked between the rows present, and the head against the anchor in the manifest:
    a log that lost its last entries, or all of them, is not intact (the anchored last entry_id is
    returned then, or the first broken link before it).
    """
    broken = first_broken_link(store)
    if broken is not None:
        return broken
    if missing(store) is not None:
        return int(anchor(store)[1])
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
