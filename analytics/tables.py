"""Tables for display and download, with Indonesian headers and id-ID values."""

from __future__ import annotations

import pandas as pd

from analytics import formatting as fmt
from analytics.domain import FLOW_LABELS, REASON_LABELS
from analytics.store import Store


def snapshot_table(store: Store) -> pd.DataFrame:
    """One row per stored snapshot: date, people, families, file, when and by whom."""
    df = store.query("snapshot_list")
    return pd.DataFrame(
        {
            "Tanggal snapshot": df["as_of"].map(fmt.tanggal),
            "Orang aktif": df["people_active"].map(fmt.number),
            "Keluarga aktif": df["families_active"].map(fmt.number),
            "Baris berkas": df["row_count"].map(fmt.number),
            "Berkas sumber": df["source_file"],
            "Diimpor pada": df["imported_at"].map(lambda t: f"{fmt.tanggal(t)} {t:%H:%M}"),
            "Diimpor oleh": df["imported_by"],
            "Keterangan": [
                ", ".join(x for x in ("baseline" if b else "", "data contoh" if d else "") if x)
                for b, d in zip(df["is_baseline"], df["is_demo"], strict=True)
            ],
        }
    )


OUTCOME_LABELS = {"diimpor": "Diimpor", "diganti": "Mengganti snapshot", "ditolak": "Ditolak"}


def import_history_table(store: Store, limit: int = 200) -> pd.DataFrame:
    """The latest import attempts, refused ones included, newest first."""
    df = store.query("import_history", limit=limit)
    return pd.DataFrame(
        {
            "Waktu": df["logged_at"].map(lambda t: f"{fmt.tanggal(t)} {t:%H:%M:%S}"),
            "Berkas": df["file_name"],
            "Tanggal snapshot": df["as_of"].map(lambda d: fmt.tanggal(d) if pd.notna(d) else "–"),
            "Hasil": df["outcome"].map(OUTCOME_LABELS).fillna(df["outcome"]),
            "Baris": df["row_count"].map(fmt.number),
            "Oleh": df["user_name"],
            "Keterangan": df["message"],
        }
    )


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """The preview of an import: people leaving by reason, entering and re-entering."""
    rows = []
    for reason, label in REASON_LABELS.items():
        n = changes.loc[(changes["arus"] == "keluar") & (changes["alasan"] == reason), "orang"].sum()
        if n:
            rows.append({"Perubahan": f"Keluar — {label}", "Orang": int(n)})
    for flow, label in FLOW_LABELS.items():
        n = changes.loc[changes["arus"] == flow, "orang"].sum()
        if n:
            rows.append({"Perubahan": label, "Orang": int(n)})
    out = pd.DataFrame(rows, columns=["Perubahan", "Orang"])
    out["Orang"] = out["Orang"].map(fmt.number)
    return out
