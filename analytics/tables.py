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


def burndown_table(df: pd.DataFrame) -> pd.DataFrame:
    """The burn-down series as shown and downloaded."""
    return pd.DataFrame(
        {
            "Tanggal snapshot": df["as_of"],
            "Sisa daftar awal (orang)": df["orang_sisa_baseline"],
            "Sisa daftar awal (keluarga)": df["keluarga_sisa_baseline"],
            "Temuan baru di daftar (orang)": df["orang_baru"],
            "Total di daftar (orang)": df["orang_aktif"],
            "Total di daftar (keluarga)": df["keluarga_aktif"],
            "Keluar sejak snapshot sebelumnya": df["keluar"],
            "…karena graduasi": df["keluar_graduasi"],
            "Masuk baru": df["masuk_baru"],
            "Masuk kembali": df["masuk_kembali"],
        }
    )


def behind_table(df: pd.DataFrame) -> pd.DataFrame:
    """Kecamatan ranked by how far above the ideal line they are (shares in percent)."""
    return pd.DataFrame(
        {
            "Kecamatan": df["kecamatan"],
            "Baseline": df["baseline"].astype(int),
            "Sisa": df["sisa"].astype(int),
            "Sisa (% baseline)": (df["sisa_share"] * 100).round(1),
            "Ideal (% baseline)": (df["ideal_share"] * 100).round(1),
            "Selisih dari ideal (poin %)": (df["selisih"] * 100).round(1),
        }
    )


def diff_table(df: pd.DataFrame, show_names: bool) -> pd.DataFrame:
    """Person-level changes between two snapshots, masked NIK; names only when allowed."""
    change = [
        f"Keluar — {REASON_LABELS[r]}" if a == "keluar" else FLOW_LABELS[a]
        for a, r in zip(df["arus"], df["alasan"], strict=True)
    ]
    out = pd.DataFrame({"Perubahan": change, "NIK (tersamar)": df["nik_masked"]})
    if show_names:
        out["Nama"] = df["nama"]
    out["Kecamatan"] = df["kecamatan"]
    out["Kelurahan"] = df["kelurahan"]
    return out


def pockets_table(df: pd.DataFrame) -> pd.DataFrame:
    """The largest pockets as shown on the overview."""
    return pd.DataFrame(
        {
            "Kecamatan": df["kecamatan"],
            "Orang di daftar": df["orang_aktif"],
            "Sisa daftar awal": df["orang_sisa_baseline"],
        }
    )


def issue_lines(issues: pd.DataFrame, limit: int = 5) -> str:
    """The first issues as a Markdown list a user can act on: row, column, value, message."""
    lines = []
    for row in issues.head(limit).itertuples(index=False):
        where = f"Baris {row.baris}, kolom {row.kolom}" if pd.notna(row.baris) else "Berkas"
        value = f" (nilai: `{row.nilai}`)" if row.nilai else ""
        lines.append(f"- {where}{value}: {row.pesan}")
    if len(issues) > limit:
        lines.append(f"- … dan {fmt.number(len(issues) - limit)} lainnya (lihat tabel di bawah).")
    return "\n".join(lines)


def issues_view(issues: pd.DataFrame) -> pd.DataFrame:
    """The validation report with capitalised Indonesian headers."""
    return issues.rename(columns=str.capitalize)
