"""DinsosPM's extreme-poor flag on a family: a flagged family stays on the list in a DTSEN snapshot
whatever its desil (when setting `dtsen_flagged` is "1"; see analytics.ingest.dtsen_file)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from analytics import i18n
from analytics.access.auth import User
from analytics.store import audit
from analytics.store.db import Store
from analytics.store.sql import run

CATATAN_MAX = 300  # characters of a flag's note


class FlagRefused(i18n.Refusal):
    """The flag cannot be set or removed as asked; nothing was stored."""


@dataclass(frozen=True)
class Flag:
    """A family's flag as stored."""

    id_keluarga: str
    catatan: str | None
    ditandai_pada: datetime
    ditandai_oleh: str


def flag_of(store: Store, id_keluarga: str) -> Flag | None:
    """The family's flag, or None when it is not flagged."""
    df = store.query("keluarga_tanda_of", id_keluarga=id_keluarga)
    if df.empty:
        return None
    row = df.iloc[0]
    catatan = None if pd.isna(row["catatan"]) else str(row["catatan"])
    return Flag(
        str(row["id_keluarga"]),
        catatan,
        pd.Timestamp(row["ditandai_pada"]).to_pydatetime(),
        row["ditandai_oleh"],
    )


def flag_family(store: Store, user: User, id_keluarga: str, on: bool, catatan: str | None = None) -> bool:
    """Flag (on) or unflag a family in one transaction, audited; DinsosPM only.

    Returns whether anything changed (flagging a flagged family replaces its note).
    """
    if user.kind != "dinsos":
        raise FlagRefused.keyed("a19.flag_dinsos_only")
    id_keluarga = (id_keluarga or "").strip()
    if not id_keluarga:
        raise FlagRefused.keyed("a19.flag_no_family")
    note = (catatan or "").strip()[:CATATAN_MAX] or None
    before = flag_of(store, id_keluarga)
    if not on and before is None:
        return False
    with store.transaction(touches=("keluarga_tanda",)) as cur:
        run(cur, "keluarga_tanda_delete", id_keluarga=id_keluarga)
        if on:
            run(
                cur,
                "keluarga_tanda_insert",
                id_keluarga=id_keluarga,
                catatan=note,
                ditandai_pada=datetime.now().replace(microsecond=0),
                ditandai_oleh=user.name,
            )
    detail = ("tandai miskin ekstrem" if on else "hapus tanda miskin ekstrem") + (f": {note}" if note else "")
    audit.log(store, user.name, user.role, "tanda_keluarga", f"ID Keluarga {id_keluarga}", detail=detail)
    return True
