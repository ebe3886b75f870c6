"""Data for the Intervensi OPD page: coverage per OPD and programme, overlap, untouched, off-list.

Every function reads named queries over the summaries kept by analytics.ingest.interventions; the frames
with Indonesian headers (suffix _table) are exactly what the page shows and offers for download.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import measures
from analytics.access import disclosure
from analytics.access.auth import User
from analytics.domain import STRATEGIES
from analytics.i18n import TextMap, t
from analytics.store import catalog
from analytics.store.db import Store

UNTOUCHED = (False, False, False)
# The eight combinations of strategies, in the order the overlap chart shows them.
COMBOS: list[tuple[bool, bool, bool]] = [
    (True, False, False),
    (False, True, False),
    (False, False, True),
    (True, True, False),
    (True, False, True),
    (False, True, True),
    (True, True, True),
    UNTOUCHED,
]
# Texts in the language current when read (TextMap), so they follow the toggle.
STRATEGY_SHORT = TextMap(
    {s: f"opd.short.{s}" for s in ("bantuan_pendapatan", "usaha_produktif", "kantong_kemiskinan")}
)
OFF_LIST_REASONS = TextMap({r: f"opd.off_list.{r}" for r in ("tidak_pernah", "sudah_keluar", "belum_masuk")})
LATE_DAYS = 90  # an OPD whose latest record is older than this before the snapshot is "late"


def catalog_notice(store: Store) -> str | None:
    """What the page should say when the catalog files differ from the catalog the summaries use.

    Reads only: the files are loaded into the store on the write side (bootstrap.bring_up_to_date,
    when the app opens the store and on the Data & Impor page; and before every OPD import). A broken
    file keeps the old catalog (`opd.catalog_broken`); a changed one waits for that load (said only
    when OPD records exist: without them no number uses the catalog). The
    summaries themselves follow the list by construction: every snapshot import and rebuild
    recomputes them in its own transaction.
    """
    try:
        if catalog.catalog_sha() == _catalog_loaded(store):
            return None
        catalog.read_catalog(*catalog.catalog_paths())
    except (catalog.CatalogError, OSError) as exc:
        return t("opd.catalog_broken", error=exc)
    return t("r2.catalog_pending") if has_interventions(store) else None  # no OPD numbers to hold back


def _catalog_loaded(store: Store) -> str | None:
    """The SHA-256 of the catalog files last loaded into the store."""
    df = store.query("intervensi_state_value", key="katalog")
    return None if df.empty else str(df["value"].iloc[0])


def has_interventions(store: Store) -> bool:
    """Whether any OPD file has been imported."""
    return bool(store.query("intervensi_berkas_count")["n"].iloc[0])


def opd_names(store: Store) -> dict[str, str]:
    """Short OPD names by code, in catalog order."""
    df = store.query("opd_list")
    return dict(zip(df["kode_opd"], df["singkatan"], strict=True))


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    return (part / whole.where(whole > 0)).astype(float)


def coverage(store: Store, as_of: date) -> pd.DataFrame:
    """Per OPD (and '*' = any OPD): people and families on the list reached, shares and other counts."""
    df = store.query("opd_coverage", as_of=as_of)
    df.loc[df["kode_opd"] == "*", ["nama", "singkatan"]] = t("intervensi.all_opd")
    for col in df.columns[3:]:
        df[col] = df[col].astype("int64")
    df["cakupan_keluarga"] = _share(df["keluarga_terjangkau"], df["keluarga_di_daftar"])
    df["cakupan_orang"] = _share(df["orang_terjangkau"], df["orang_di_daftar"])
    return df


def coverage_table(df: pd.DataFrame) -> pd.DataFrame:
    """Coverage per OPD as shown: ranked by families reached, any OPD first."""
    opds = df[df["kode_opd"] != "*"].sort_values(["keluarga_terjangkau", "orang_terjangkau"], ascending=False)
    rows = pd.concat([df[df["kode_opd"] == "*"], opds])
    return pd.DataFrame(
        {
            "OPD": rows["nama"],
            measures.label("keluarga_terjangkau"): rows["keluarga_terjangkau"],
            measures.label("persen_keluarga_terjangkau"): (rows["cakupan_keluarga"] * 100).round(1),
            t("col.orang_terjangkau"): rows["orang_terjangkau"],
            t("col.pct_orang_daftar"): (rows["cakupan_orang"] * 100).round(1),
            t("col.penerima_tercatat"): rows["penerima"],
            measures.label("penugasan_belum_tersalur"): rows["penugasan_belum_tersalur"],
            measures.label("penerima_luar_daftar"): rows["penerima_luar_daftar"],
            t("col.rupiah_tersalur"): rows["nilai_tersalur"],
        }
    )


def program_coverage(store: Store, as_of: date) -> pd.DataFrame:
    """Per programme: reach among the list at as_of and the other counts."""
    df = store.query("opd_coverage_program", as_of=as_of)
    for col in df.columns[8:]:
        df[col] = df[col].astype("int64")
    df["cakupan_keluarga"] = _share(df["keluarga_terjangkau"], df["keluarga_di_daftar"])
    df["cakupan_orang"] = _share(df["orang_terjangkau"], df["orang_di_daftar"])
    return df


def program_table(df: pd.DataFrame, kode_opd: str | None = None) -> pd.DataFrame:
    """Coverage per programme as shown, optionally for one OPD."""
    rows = df if kode_opd is None else df[df["kode_opd"] == kode_opd]
    return pd.DataFrame(
        {
            "OPD": rows["singkatan"],
            t("col.kode_program"): rows["kode_program"],
            t("intervensi.program"): rows["program"],
            t("col.strategi"): rows["strategi"].map(STRATEGIES),
            t("col.satuan"): rows["satuan"].map(lambda u: t(f"meeting.per_unit.{u}")),
            t("col.sumber_dana"): rows["sumber_dana"],
            measures.label("keluarga_terjangkau"): rows["keluarga_terjangkau"],
            measures.label("persen_keluarga_terjangkau"): (rows["cakupan_keluarga"] * 100).round(1),
            t("col.orang_terjangkau"): rows["orang_terjangkau"],
            t("col.pct_orang_daftar"): (rows["cakupan_orang"] * 100).round(1),
            t("col.penerima_tercatat"): rows["penerima"],
            measures.label("penugasan_belum_tersalur"): rows["penugasan_belum_tersalur"],
            measures.label("penerima_luar_daftar"): rows["penerima_luar_daftar"],
            t("col.rupiah_tersalur"): rows["nilai_tersalur"],
        }
    )


def kecamatan_coverage(store: Store, as_of: date) -> pd.DataFrame:
    """OPD (rows, any OPD first) x kecamatan: share of the list's families reached."""
    df = store.query("opd_coverage_kecamatan", as_of=as_of)
    df.loc[df["kode_opd"] == "*", "singkatan"] = t("intervensi.all_opd")
    df["cakupan"] = _share(df["keluarga_terjangkau"], df["keluarga_di_daftar"])
    return df


def kecamatan_table(df: pd.DataFrame) -> pd.DataFrame:
    """The heatmap's numbers as a table: one row per OPD, one column per kecamatan (percent)."""
    wide = (
        df.pivot_table(index="singkatan", columns="kecamatan", values="cakupan", sort=False, dropna=False)
        * 100
    )
    return wide.round(1).reset_index().rename(columns={"singkatan": "OPD"})


def freshness(store: Store, as_of: date) -> pd.DataFrame:
    """Per OPD: latest record date on or before as_of, days since, files sent, latest received."""
    df = store.query("opd_last_data", as_of=as_of)
    df["terlambat"] = df["hari_sejak_data"].isna() | (df["hari_sejak_data"] > LATE_DAYS)
    return df


def freshness_table(df: pd.DataFrame) -> pd.DataFrame:
    """Data freshness as shown, longest silence first."""
    rows = df.sort_values("hari_sejak_data", ascending=False, na_position="first")
    return pd.DataFrame(
        {
            "OPD": rows["nama"],
            t("col.data_terakhir"): rows["data_terakhir"].map(lambda v: v.date() if pd.notna(v) else None),
            measures.label("hari_sejak_data_opd"): rows["hari_sejak_data"].astype("Int64"),
            t("col.salur_terakhir"): rows["salur_terakhir"].map(lambda v: v.date() if pd.notna(v) else None),
            t("col.berkas_diterima"): rows["berkas"].astype("int64"),
            t("col.berkas_terakhir"): rows["diterima_terakhir"].map(
                lambda v: v.date() if pd.notna(v) else None
            ),
        }
    )


def combo_label(combo: tuple[bool, bool, bool]) -> str:
    """'Tunai saja', 'Tunai + Usaha', …, 'Belum tersentuh' for one combination of strategies."""
    if combo == UNTOUCHED:
        return t("intervensi.untouched")
    names = [STRATEGY_SHORT[s] for s, on in zip(STRATEGIES, combo, strict=True) if on]
    return t("opd.only", name=names[0]) if len(names) == 1 else " + ".join(names)


def overlap(store: Store, as_of: date) -> pd.DataFrame:
    """Families and people on the list per combination of strategies (all eight, zeros included)."""
    df = store.query("intervensi_irisan_combo", as_of=as_of)
    got = {
        (bool(r.bantuan_pendapatan), bool(r.usaha_produktif), bool(r.kantong_kemiskinan)): (
            r.keluarga,
            r.orang,
        )
        for r in df.itertuples()
    }
    rows = [(*c, combo_label(c), *map(int, got.get(c, (0, 0)))) for c in COMBOS]
    return pd.DataFrame(rows, columns=[*STRATEGIES, "kombinasi", "keluarga", "orang"])


def overlap_table(df: pd.DataFrame) -> pd.DataFrame:
    """The overlap as shown: one row per combination."""
    total = df["keluarga"].sum()
    return pd.DataFrame(
        {
            t("col.kombinasi"): df["kombinasi"],
            **{STRATEGIES[s]: df[s].map({True: t("table.yes"), False: "–"}) for s in STRATEGIES},
            t("unit_cap.keluarga"): df["keluarga"],
            t("col.pct_keluarga_daftar"): (
                df["keluarga"] / total * 100 if total else df["keluarga"] * 0.0
            ).round(1),
            t("col.orang"): df["orang"],
        }
    )


def untouched_by_kecamatan(store: Store, as_of: date) -> pd.DataFrame:
    """Per kecamatan: families on the list and families no intervention has reached."""
    df = store.query("intervensi_untouched_kecamatan", as_of=as_of)
    for col in ("keluarga_di_daftar", "keluarga_belum_tersentuh", "orang_belum_tersentuh"):
        df[col] = df[col].astype("int64")
    df["porsi"] = _share(df["keluarga_belum_tersentuh"], df["keluarga_di_daftar"])
    return df


def untouched_kecamatan_table(df: pd.DataFrame) -> pd.DataFrame:
    """Untouched families per kecamatan as shown, most first."""
    rows = df.sort_values("keluarga_belum_tersentuh", ascending=False)
    return pd.DataFrame(
        {
            t("col.kecamatan"): rows["kecamatan"],
            t("intervensi.families_on_list"): rows["keluarga_di_daftar"],
            measures.label("keluarga_belum_tersentuh"): rows["keluarga_belum_tersentuh"],
            t("col.pct_belum"): (rows["porsi"] * 100).round(1),
            t("col.orang_keluarga_itu"): rows["orang_belum_tersentuh"],
        }
    )


def untouched_families(
    store: Store, as_of: date, user: User, limit: int | None = None, offset: int = 0
) -> pd.DataFrame:
    """The untouched families the user's role may see (filtered in SQL), with masked NIKs; one
    page of them when limit is given."""
    return _untouched_table(_untouched(store, as_of, user, limit, offset), user)


def untouched_families_page(
    store: Store, as_of: date, user: User, limit: int, offset: int
) -> tuple[pd.DataFrame, int]:
    """One page of untouched families and how many there are in all pages."""
    df = _untouched(store, as_of, user, limit, offset)
    return _untouched_table(df, user), int(df["total"].iloc[0]) if len(df) else 0


def _untouched(store: Store, as_of: date, user: User, limit: int | None, offset: int) -> pd.DataFrame:
    # Who was reached is stored per snapshot (intervensi_keluarga_terjangkau): any other date would
    # silently count every family as untouched.
    if store.query("snapshot_at", as_of=as_of).empty:
        raise ValueError(f"{as_of} is not a snapshot date; untouched families are kept per snapshot")
    return store.query(
        "intervensi_untouched_families", as_of=as_of, limit=limit, offset=offset, **user.record_scope()
    )


def _untouched_table(df: pd.DataFrame, user: User) -> pd.DataFrame:
    show_names = user.sees_named_records
    out = pd.DataFrame(
        {
            t("col.id_keluarga"): df["id_keluarga"],
            t("col.kecamatan"): df["kecamatan"],
            t("col.kelurahan"): df["kelurahan"],
            t("col.anggota"): df["anggota"].astype("int64"),
            t("col.desil"): df["desil"].astype("Int64"),
            t("col.nik_anggota"): df["nik_masked"],
        }
    )
    if show_names:
        out[t("col.nama_anggota")] = df["nama"]
    out[t("s4.col_planned")] = df["program_rencana"].fillna("–")
    out.attrs[disclosure.PERSON_LEVEL] = True
    return out


def off_list(store: Store, as_of: date, user: User) -> pd.DataFrame:
    """Off-list beneficiaries the user's role may see (filtered in SQL), one row per beneficiary."""
    return store.query("intervensi_off_list", as_of=as_of, **user.record_scope())


def off_list_table(df: pd.DataFrame, show_names: bool, kode_opd: str | None = None) -> pd.DataFrame:
    """Off-list beneficiaries as shown, optionally for one OPD; names only when allowed."""
    rows = df if kode_opd is None else df[df["kode_opd"] == kode_opd]
    out = pd.DataFrame(
        {
            "OPD": rows["opd"],
            t("intervensi.program"): rows["kode_program"],
            t("col.tanggal"): rows["tanggal"].map(lambda v: v.date()),
            t("col.status"): rows["status"].str.capitalize(),
            t("col.nilai_rp"): rows["nilai"].astype("int64"),
            t("col.nik_tersamar"): rows["nik_masked"].fillna("–"),
            t("col.id_keluarga"): rows["id_keluarga"].fillna("–"),
        }
    )
    if show_names:
        out[t("col.nama")] = rows["nama"].fillna("–")
    out[t("col.kel_terakhir")] = rows["kelurahan"].fillna("–")
    out[t("col.mengapa_luar")] = rows["alasan"].map(OFF_LIST_REASONS)
    out[t("col.catatan_serupa")] = rows["catatan_luar"].astype("int64")
    out[t("col.berkas")] = rows["source_file"]
    out.attrs[disclosure.PERSON_LEVEL] = True
    return out


def records_after(store: Store, as_of: date) -> int:
    """How many records are dated after as_of (they count from a later snapshot)."""
    return int(store.query("intervensi_after_date", as_of=as_of)["catatan"].iloc[0])


def kelurahan_coverage(store: Store, as_of: date) -> pd.DataFrame:
    """Per kelurahan (all 59): families on the list, reached by any intervention, and the share."""
    return store.query("intervensi_cakupan_kelurahan", as_of=as_of)


def files_table(store: Store) -> pd.DataFrame:
    """The imported OPD files, newest first, as the data page shows them."""
    df = store.query("intervensi_berkas_list")
    return pd.DataFrame(
        {
            "OPD": df["opd"],
            t("col.berkas"): df["source_file"],
            t("col.periode_dari"): df["periode_dari"].map(lambda v: v.date()),
            t("col.periode_sampai"): df["periode_sampai"].map(lambda v: v.date()),
            t("col.baris"): df["row_count"].astype("int64"),
            t("col.diimpor_pada"): df["imported_at"],
            t("col.diimpor_oleh"): df["imported_by"],
            t("tables.data_contoh_cap"): df["is_demo"],
        }
    )
