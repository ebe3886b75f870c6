"""Tables for display and download, with headers in the current language and id-ID values."""

from __future__ import annotations

import pandas as pd

from analytics import formatting as fmt
from analytics import measures
from analytics.access import disclosure
from analytics.domain import flow_labels, reason_labels, source_labels
from analytics.i18n import t
from analytics.store.db import Store


def snapshot_table(store: Store) -> pd.DataFrame:
    """One row per stored snapshot: date, people, families, file, when and by whom."""
    df = store.query("snapshot_list")
    return pd.DataFrame(
        {
            t("col.tanggal_snapshot"): df["as_of"].map(fmt.tanggal),
            measures.label("orang_di_daftar"): df["people_active"].astype("Int64"),
            measures.label("keluarga_di_daftar"): df["families_active"].astype("Int64"),
            t("col.baris_berkas"): df["row_count"].astype("Int64"),
            t("col.berkas_sumber"): df["source_file"],
            t("col.diimpor_pada"): df["imported_at"].map(fmt.waktu),
            t("col.diimpor_oleh"): df["imported_by"],
            t("col.keterangan"): [
                ", ".join(x for x in ("baseline" if b else "", t("tables.data_contoh") if d else "") if x)
                for b, d in zip(df["is_baseline"], df["is_demo"], strict=True)
            ],
        }
    )


def outcome_labels() -> dict[str, str]:
    """Import outcome code -> label in the current language."""
    return {"diimpor": t("tables.diimpor"), "diganti": t("tables.mengganti"), "ditolak": t("tables.ditolak")}


def import_history_table(store: Store, limit: int = 200) -> pd.DataFrame:
    """The latest import attempts, refused ones included, newest first."""
    df = store.query("import_history", limit=limit)
    return pd.DataFrame(
        {
            t("col.waktu"): df["logged_at"].map(lambda ts: fmt.waktu(ts, seconds=True)),
            t("col.berkas"): df["file_name"],
            t("col.tanggal_snapshot"): df["as_of"].map(lambda d: fmt.tanggal(d) if pd.notna(d) else "–"),
            t("col.hasil"): df["outcome"].map(outcome_labels()).fillna(df["outcome"]),
            t("col.baris"): df["row_count"].map(fmt.number),
            t("col.oleh"): df["user_name"],
            t("col.keterangan"): df["message"],
        }
    )


def changes_table(changes: pd.DataFrame) -> pd.DataFrame:
    """The preview of an import: people leaving by reason, entering and re-entering."""
    rows = []
    for reason, label in reason_labels().items():
        n = changes.loc[(changes["arus"] == "keluar") & (changes["alasan"] == reason), "orang"].sum()
        if n:
            rows.append({t("col.perubahan"): t("tables.exit_reason", label=label), t("col.orang"): int(n)})
    for flow, label in flow_labels().items():
        n = changes.loc[changes["arus"] == flow, "orang"].sum()
        if n:
            rows.append({t("col.perubahan"): label, t("col.orang"): int(n)})
    out = pd.DataFrame(rows, columns=[t("col.perubahan"), t("col.orang")])
    out[t("col.orang")] = out[t("col.orang")].map(fmt.number)
    return out


def burndown_table(df: pd.DataFrame) -> pd.DataFrame:
    """The burn-down series as shown and downloaded."""
    return pd.DataFrame(
        {
            t("col.tanggal_snapshot"): df["as_of"],
            measures.label("orang_sisa_daftar_awal"): df["orang_sisa_baseline"],
            measures.label("keluarga_sisa_daftar_awal"): df["keluarga_sisa_baseline"],
            measures.label("orang_masuk_sejak_awal"): df["orang_baru"],
            measures.label("orang_di_daftar"): df["orang_aktif"],
            measures.label("keluarga_di_daftar"): df["keluarga_aktif"],
            t("col.keluar_sejak"): df["keluar"],
            t("col.karena_graduasi"): df["keluar_graduasi"],
            t("col.masuk_baru"): df["masuk_baru"],
            t("col.masuk_kembali"): df["masuk_kembali"],
        }
    )


def behind_table(df: pd.DataFrame, basis: str | None = None, unit: str = "orang") -> pd.DataFrame:
    """Kecamatan ranked by how far above the ideal line they are (shares in percent).

    With the legal basis of the target in force, one ideal column per target (kecamatan_behind's
    'ideal:<basis>' columns) and the gap named after the target it is measured against.
    """
    out = {
        t("col.kecamatan"): df["kecamatan"],
        measures.label(f"{unit}_daftar_awal"): df["baseline"].astype(int),
        measures.label(f"{unit}_sisa_daftar_awal"): df["sisa"].astype(int),
        measures.label(f"persen_sisa_{unit}"): (df["sisa_share"] * 100).round(1),
    }
    ideals = [c for c in df.columns if str(c).startswith("ideal:")]
    if basis is None or not ideals:
        out[t("col.ideal_pct")] = (df["ideal_share"] * 100).round(1)
        out[t("col.selisih_ideal")] = (df["selisih"] * 100).round(1)
        return pd.DataFrame(out)
    for column in ideals:
        out[t("i15s.col_ideal", basis=column.removeprefix("ideal:"))] = (df[column] * 100).round(1)
    out[t("i15s.col_gap", basis=basis)] = (df["selisih"] * 100).round(1)
    return pd.DataFrame(out)


def change_label(arus: str, alasan: str | None) -> str:
    """One kind of change as the diff table and its picker name it: 'Keluar: Graduasi', 'Masuk baru'."""
    return t("tables.exit_reason", label=reason_labels()[alasan]) if arus == "keluar" else flow_labels()[arus]


def source_column(sources: pd.Series, proven: pd.Series) -> list[str]:
    """Where each exit's reason came from ('Registri', 'Verifikasi'; graduasi says proven or not)."""
    labels = source_labels()
    out = []
    for where, ok in zip(sources, proven, strict=True):
        if where is None or pd.isna(where):
            out.append("–")
            continue
        text = labels.get(where, str(where))
        if ok is not None and not pd.isna(ok):
            text += "; " + t("c19.proven" if ok else "c19.unproven")
        out.append(text)
    return out


def diff_table(df: pd.DataFrame, show_names: bool) -> pd.DataFrame:
    """Person-level changes between two snapshots, masked NIK; names only when allowed."""
    change = [change_label(a, r) for a, r in zip(df["arus"], df["alasan"], strict=True)]
    out = pd.DataFrame({t("col.perubahan"): change, t("col.nik_tersamar"): df["nik_masked"]})
    if "sumber_alasan" in df:
        out.insert(1, t("c19.col_source"), source_column(df["sumber_alasan"], df["terbukti"]))
    if show_names:
        out[t("col.nama")] = df["nama"]
    out[t("col.kecamatan")] = df["kecamatan"]
    out[t("col.kelurahan")] = df["kelurahan"]
    out.attrs[disclosure.PERSON_LEVEL] = True
    return out


def pockets_table(df: pd.DataFrame) -> pd.DataFrame:
    """The largest pockets as shown on the overview."""
    return pd.DataFrame(
        {
            t("col.kecamatan"): df["kecamatan"],
            measures.label("orang_di_daftar"): df["orang_aktif"],
            measures.label("orang_sisa_daftar_awal"): df["orang_sisa_baseline"],
        }
    )


def issue_lines(issues: pd.DataFrame, limit: int = 5) -> str:
    """The first issues as a Markdown list a user can act on: row, column, value, message."""
    lines = []
    for row in issues.head(limit).itertuples(index=False):
        # every part comes from the file: escaped, so a backtick or ![..](..) in a cell stays text
        column = fmt.md(row.kolom)
        where = t("tables.row_col", row=row.baris, col=column) if pd.notna(row.baris) else t("col.berkas")
        value = t("tables.value", value=fmt.md(row.nilai)) if row.nilai else ""
        lines.append(f"- {where}{value}: {fmt.md(row.pesan)}")
    if len(issues) > limit:
        lines.append(t("tables.more_issues", n=fmt.number(len(issues) - limit)))
    return "\n".join(lines)


def issues_view(issues: pd.DataFrame) -> pd.DataFrame:
    """The validation report as shown: headers and levels (Galat/Peringatan) in the UI language."""
    view = issues.assign(tingkat=issues["tingkat"].map(lambda v: t(f"laporan.{v.lower()}")))
    return view.rename(columns=lambda c: t(f"laporan.{c}"))


def split_family_table(store: Store, as_of: object) -> pd.DataFrame:
    """Families on the list at as_of whose members live in more than one kelurahan, one row per
    family x kelurahan, with the kelurahan the family is counted in (analytics.measures.family_rule)."""
    df = store.query("family_split", as_of=as_of)
    yes_no = {True: t("ui.yes"), False: t("ui.no")}
    return pd.DataFrame(
        {
            t("col.id_keluarga"): df["id_keluarga"],
            t("i15c.col_kode"): df["kode_kelurahan"],
            t("col.kelurahan"): df["kelurahan"],
            t("i15c.col_members"): df["anggota"].astype("int64"),
            t("i15c.col_counted_here"): df["dihitung"].map(yes_no),
        }
    )
