"""A kecamatan's or kelurahan's own profile, for the camat and the lurah: its progress to zero,
the change since the last meeting, OPD reach, untouched families and the pockets below it.

Every figure reuses the city's builders with the area as a filter (burndown.series, waterfall,
opd.kelurahan_coverage, map_tables.ranking), so the profile's numbers are the other pages' numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics import measures
from analytics.access.auth import User
from analytics.burndown import progress as burndown
from analytics.i18n import t
from analytics.maps import build, words
from analytics.meeting import agenda
from analytics.opd import coverage
from analytics.store.areas import digits_only, dotted
from analytics.store.db import Store


@dataclass(frozen=True)
class Area:
    """One kecamatan or kelurahan, by its dotted Kemendagri code."""

    code: str
    level: str  # 'kecamatan' or 'kelurahan'
    name: str
    kecamatan: str  # the dotted kecamatan code (its own code for a kecamatan)
    kecamatan_name: str

    @property
    def filters(self) -> tuple[str, str | None]:
        """(kode_kecamatan, kode_kelurahan) as the burn-down and waterfall queries take them."""
        return self.kecamatan, (self.code if self.level == "kelurahan" else None)

    @property
    def label(self) -> str:
        """'Kecamatan X' or 'Kelurahan Y, Kecamatan X', in the current language."""
        if self.level == "kelurahan":
            return t("ui.area_kel", kel=self.name, kec=self.kecamatan_name)
        return t("ui.area_kec", kec=self.name)


def all_areas(store: Store) -> dict[str, Area]:
    """Every kecamatan followed by its kelurahan, by dotted code."""
    out: dict[str, Area] = {}
    for row in store.query("area_list").itertuples(index=False):
        if row.kode_kecamatan not in out:
            out[row.kode_kecamatan] = Area(
                row.kode_kecamatan, "kecamatan", row.kecamatan, row.kode_kecamatan, row.kecamatan
            )
        out[row.kode_kelurahan] = Area(
            row.kode_kelurahan, "kelurahan", row.kelurahan, row.kode_kecamatan, row.kecamatan
        )
    return out


def find(areas: dict[str, Area], code: object) -> Area | None:
    """The area of a code written with or without dots (a URL's ?kode=), None if unknown."""
    return areas.get(dotted(digits_only(code))) if code else None


def default_code(areas: dict[str, Area], user: User) -> str:
    """A camat or lurah opens on their own area; everyone else on the first kecamatan."""
    return user.area if user.area in areas else next(iter(areas))


def last_meeting(dates: list[date]) -> tuple[date, date] | None:
    """(previous, latest) snapshot as the Rapat page opens them by default (agenda.default_previous):
    the change an area has to show at the next coordination meeting."""
    return (agenda.default_previous(dates), dates[-1]) if len(dates) >= 2 else None


def progress(store: Store, area: Area) -> pd.DataFrame:
    """The area's burn-down series (analytics.burndown.progress with the area as a filter)."""
    return burndown.series(store, *area.filters)


@dataclass(frozen=True)
class Change:
    """People on the list at two snapshots, and how many left and entered between them."""

    prev: date
    cur: date
    start: int
    end: int
    left: int
    graduated: int
    entered: int


def change(store: Store, area: Area, prev: date, cur: date) -> Change:
    """The change between two snapshots in the area (the Perubahan waterfall's numbers)."""
    steps = burndown.waterfall(store, prev, cur, *area.filters)
    parts = burndown.fall_breakdown(steps)
    start, end = int(steps["orang"].iloc[0]), int(steps["orang"].iloc[-1])
    entered = int(steps.loc[steps["langkah"].isin(["masuk_baru", "masuk_kembali"]), "orang"].sum())
    return Change(prev, cur, start, end, parts["keluar"], parts["graduasi"], entered)


def opd_reach(store: Store, area: Area, as_of: date) -> pd.DataFrame:
    """Per OPD (any OPD first): families on the area's list and those it reached, and the share."""
    kec, kel = area.filters
    df = store.query("area_opd_reach", as_of=as_of, kode_kecamatan=kec, kode_kelurahan=kel)
    whole = df["keluarga_di_daftar"].where(df["keluarga_di_daftar"] > 0)
    df["cakupan"] = (df["keluarga_terjangkau"] / whole).fillna(0.0)
    return df


def opd_reach_table(df: pd.DataFrame) -> pd.DataFrame:
    """The OPD reach as shown: OPD names (never codes), families reached and the share."""
    return pd.DataFrame(
        {
            "OPD": df["nama"].where(df["kode_opd"] != "*", t("intervensi.all_opd")),
            measures.label("keluarga_terjangkau"): df["keluarga_terjangkau"].astype("int64"),
            measures.label("persen_keluarga_terjangkau"): (df["cakupan"] * 100).round(1),
        }
    )


def kelurahan_in(store: Store, area: Area, as_of: date) -> pd.DataFrame:
    """Per kelurahan of the area (one row for a kelurahan): families on the list, reached, untouched."""
    df = coverage.kelurahan_coverage(store, as_of)
    if area.level == "kelurahan":
        return df[df["kode_kelurahan"] == area.code].reset_index(drop=True)
    return df[df["kode_kecamatan"] == area.code].reset_index(drop=True)


def untouched_table(df: pd.DataFrame) -> pd.DataFrame:
    """Untouched families per kelurahan, most first."""
    rows = df.sort_values(["keluarga_belum_tersentuh", "kelurahan"], ascending=[False, True])
    return pd.DataFrame(
        {
            t("col.kelurahan"): rows["kelurahan"],
            t("intervensi.families_on_list"): rows["keluarga_di_daftar"].astype("int64"),
            measures.label("keluarga_belum_tersentuh"): rows["keluarga_belum_tersentuh"].astype("int64"),
        }
    )


def pockets(store: Store, area: Area, as_of: date) -> pd.DataFrame:
    """The kelurahan below a kecamatan ranked by people on the list (Peta's ranking); the
    kelurahan's own kecamatan's ranking for a kelurahan."""
    frames = build.frames(store)
    return words.ranking(frames["kelurahan"], "kelurahan", as_of, "orang", area.kecamatan)


def named_here(user: User, area: Area) -> bool:
    """Whether the profile lists the area's untouched families by name: for a camat in their
    kecamatan and its kelurahan, for a lurah in their kelurahan (the SQL scope already holds
    only their area, so the list costs one area). DinsosPM and an OPD use Intervensi OPD's list."""
    if user.kind == "kecamatan":
        return area.kecamatan == user.area
    return user.kind == "kelurahan" and area.code == user.area


def untouched_families(store: Store, user: User, area: Area, as_of: date) -> pd.DataFrame:
    """The area's untouched families the user may see by name (the role's SQL scope, then the area)."""
    rows = coverage.untouched_families(store, as_of, user)
    keep = rows[t("col.kecamatan")] == area.kecamatan_name
    if area.level == "kelurahan":
        keep &= rows[t("col.kelurahan")] == area.name
    return rows[keep].reset_index(drop=True)
