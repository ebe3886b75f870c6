"""A DTSEN file (SIKS-NG desil ranking or by-name list) as the next snapshot of the P3KE series.

registry_file reads and checks the cells; `finish` turns the checked table into the same rows a
P3KE snapshot gives (person_key ... status, alasan) plus the family card's key (kk_key, kk_masked),
so the registry import's commit path (intervals, area and flow summaries, burn-down) continues the
series unchanged. What the file alone cannot say comes from the store:

- who is on the list: desil <= setting `dtsen_desil_max`, or the family is flagged by DinsosPM
  (table keluarga_tanda, when setting `dtsen_flagged` is "1"); a by-name list without desil lists
  only people on the list;
- a row off the list whose person is stored leaves with reason 'desil_naik' (someone already off
  stays off with the reason they had); off-list people never seen are not stored at all;
- the family id: the file's ID Keluarga, else the id most of the card's members had last, else the
  id stored for the card (keluarga_kk), else one made from the card's key; a person without No KK
  keeps their last family, or gets a one-person family;
- a row without an area code takes the person's last kelurahan.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.ingest import formats
from analytics.ingest.issues import GALAT, Issues
from analytics.ingest.registry_file import DESIL_DTSEN, SEX, _per_value, _years
from analytics.ingest.tabular import RawTable
from analytics.store import privacy, settings
from analytics.store.db import Store, load_query

DESIL_NAIK = "desil_naik"
ID_KK_PREFIX = "KK-"  # a family id made from the keyed No KK: "KK-" + its first 16 hex digits
ID_PERSON_PREFIX = "P-"  # a one-person family id made from the person key
ID_HEX = 16


def list_rule(store: Store) -> tuple[int, bool]:
    """(highest desil on the list, whether DinsosPM-flagged families are on it too)."""
    return settings.dtsen_rule(store)


def flagged_families(store: Store) -> set[str]:
    """The family ids DinsosPM flagged as extreme-poor."""
    return set(store.query("keluarga_tanda_ids")["id_keluarga"])


def _known(store: Store, person_keys: pd.Series, kk_keys: pd.Series, as_of: date) -> tuple:
    """(stored people with their latest state, by person_key; stored family id by kk_key)."""
    with store.cursor() as cur:
        cur.register("incoming_keys", pd.DataFrame({"person_key": person_keys.astype(object)}))
        people = cur.execute(load_query("dtsen_known_people"), {"as_of": as_of}).df()
        cur.unregister("incoming_keys")
        cur.register("incoming_kk", pd.DataFrame({"kk_key": kk_keys.dropna().unique().astype(object)}))
        cards = cur.execute(load_query("dtsen_kk_ids")).df()
        cur.unregister("incoming_kk")
    return people.set_index("person_key"), cards.set_index("kk_key")["id_keluarga"]


def _family_ids(df: pd.DataFrame, file_ids: pd.Series, last_ids: pd.Series, card_ids: pd.Series) -> pd.Series:
    """Each row's family id by the rule in the module docstring."""
    ids = file_ids.astype(object).where(file_ids.notna(), None)
    has_kk = df["kk_key"].notna()
    # the id most of the card's stored members had last (ties: the lowest id)
    members = pd.DataFrame({"kk_key": df["kk_key"], "id": last_ids})[has_kk & last_ids.notna()]
    if len(members):
        counts = members.groupby(["kk_key", "id"]).size().reset_index(name="n")
        counts = counts.sort_values(["kk_key", "n", "id"], ascending=[True, False, True])
        majority = counts.drop_duplicates("kk_key").set_index("kk_key")["id"]
    else:
        majority = pd.Series(dtype=object)
    by_kk = df["kk_key"].map(majority)
    by_kk = by_kk.where(by_kk.notna(), df["kk_key"].map(card_ids))
    made = ID_KK_PREFIX + df["kk_key"].astype(object).str[:ID_HEX]
    by_kk = by_kk.where(by_kk.notna(), made)
    alone = last_ids.where(last_ids.notna(), ID_PERSON_PREFIX + df["person_key"].str[:ID_HEX])
    fallback = by_kk.where(has_kk, alone)
    return ids.where(ids.notna(), fallback).astype(object)


def desil_distribution(codes: pd.Series, desil: pd.Series, kk_keys: pd.Series) -> pd.DataFrame:
    """Families (distinct keyed No KK) and people per kelurahan x desil, over every row of the file
    with an area and a desil."""
    df = pd.DataFrame({"kode_kelurahan": codes, "desil": desil, "kk_key": kk_keys})
    df = df[df["kode_kelurahan"].notna() & df["desil"].notna()]
    out = (
        df.groupby(["kode_kelurahan", "desil"])
        .agg(keluarga=("kk_key", "nunique"), orang=("kode_kelurahan", "size"))
        .reset_index()
    )
    return out.astype({"kode_kelurahan": object, "desil": "int16", "keluarga": "int32", "orang": "int32"})


def _none(values: pd.Series) -> pd.Series:
    """Text cells with every empty one as None (not NaN): what the person table stores."""
    return values.astype(object).where(values.notna(), None)


def finish(
    store: Store,
    table: RawTable,
    issues: Issues,
    fmt: formats.Format,
    codes: pd.Series,
    secret: bytes,
    as_of: date,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The snapshot rows and the desil distribution of a checked DTSEN table; errors (a row on the
    list whose area is unknown) go to issues, and then the rows are not to be used."""
    df = table.frame
    opt = lambda key: df[key] if key in df else pd.Series(None, index=df.index, dtype=object)  # noqa: E731
    nik = df["nik"]
    person_keys = pd.Series(privacy.person_keys(nik, secret), index=df.index, dtype=object)
    no_kk = opt("no_kk")
    has_kk = no_kk.notna()
    kk_keys = pd.Series(None, index=df.index, dtype=object)
    kk_masked = pd.Series(None, index=df.index, dtype=object)
    if has_kk.any():
        kk_keys[has_kk] = privacy.kk_keys(no_kk[has_kk].astype(str), secret)
        kk_masked[has_kk] = privacy.mask_kks(no_kk[has_kk].astype(object))
    people, card_ids = _known(store, person_keys, kk_keys, as_of)
    known = person_keys.isin(people.index)
    last = lambda column: person_keys.map(people[column]).where(known, None)  # noqa: E731
    # the area: the file's code, else the person's last kelurahan
    area = codes.where(codes.notna(), last("kode_kelurahan")).astype(object)
    desil = _per_value(opt("desil"), DESIL_DTSEN.get).astype("Int16")
    desil_max, with_flagged = list_rule(store)
    frame = pd.DataFrame({"person_key": person_keys, "kk_key": kk_keys})
    ids = _family_ids(frame, opt("id_keluarga"), last("id_keluarga"), card_ids)
    if "desil" in df:
        ranked_on = (desil <= desil_max).fillna(fmt.name == "dtsen_nama").astype(bool)
    else:
        ranked_on = pd.Series(True, index=df.index)
    flagged = ids.isin(flagged_families(store)) if with_flagged else pd.Series(False, index=df.index)
    on_list = ranked_on | flagged
    for idx in df.index[on_list & area.isna()]:
        issues.say(GALAT, idx, "kode_kemdagri", None, "a19.area_unknown", column=fmt.header("kode_kemdagri"))
    was_on = last("status") == "aktif"
    status = pd.Series("aktif", index=df.index, dtype=object).where(on_list, "keluar")
    reason = pd.Series(None, index=df.index, dtype=object)
    reason[~on_list & was_on] = DESIL_NAIK
    off_before = ~on_list & known & ~was_on
    reason[off_before] = last("alasan")[off_before]
    keep = on_list | known  # off the list and never seen: not a person of the list at all

    def detail(key: str, stored: pd.Series) -> pd.Series:
        """The file's value, else the stored one (a DTSEN export often lacks the column)."""
        mine = opt(key).astype(object)
        return _none(mine.where(mine.notna(), stored))

    rows = pd.DataFrame(
        {
            "person_key": person_keys,
            "nik_masked": privacy.mask_niks(nik),
            "nama": detail("nama", last("nama")),
            "jenis_kelamin": _per_value(
                opt("jenis_kelamin"), lambda v: SEX.get(str(v).lower()) if v else None
            ).where(opt("jenis_kelamin").notna(), _none(last("jenis_kelamin"))),
            "tahun_lahir": _years(opt("tanggal_lahir")).fillna(
                pd.to_numeric(last("tahun_lahir"), errors="coerce").astype("Int16")
            ),
            "alamat": detail("alamat", last("alamat")),
            "id_individu": _none(last("id_individu")),
            "id_keluarga": ids,
            "kode_kelurahan": area,
            "desil": desil,
            "status": status,
            "alasan": reason,
            "kk_key": kk_keys,
            "kk_masked": kk_masked,
        }
    )[keep].reset_index(drop=True)
    return rows, desil_distribution(area, desil, kk_keys)
