"""Burn-down arithmetic: the series, the ideal line, the forecast, the verdict and the waterfall."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics import formatting as fmt
from analytics.access.auth import User
from analytics.domain import DATA_CORRECTION, flow_labels, reason_labels, registry_of
from analytics.i18n import t
from analytics.store.db import Store
from analytics.store.settings import Target

FORECAST_WINDOW = 6  # snapshots used for the recent pace (about half a year of monthly data)
Z95 = 1.96
HORIZON_DAYS = 25 * 365  # beyond this a projected zero date is reported as "not reached"
CHART_DAYS = 6 * 365  # the burn-down chart ends at most this long after the latest snapshot
MONTH_DAYS = 30.4


def series(
    store: Store, kode_kecamatan: str | None = None, kode_kelurahan: str | None = None
) -> pd.DataFrame:
    """Per snapshot: on the list, baseline remaining, scope added and flows, for an area filter."""
    df = store.query("burndown_series", kode_kecamatan=kode_kecamatan, kode_kelurahan=kode_kelurahan)
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    return df


SourceChange = tuple[date, str, str]  # (first snapshot of the new registry, registry before, registry after)


def source_changes(store: Store) -> tuple[SourceChange, ...]:
    """The dates where the registry changes between consecutive snapshots, e.g.
    ((date(2025, 3, 31), 'p3ke', 'dtsen'),): every time chart marks them (charts.mark_source_change).
    A tuple, so a cached chart's key includes it."""
    df = store.query("snapshot_sources")
    out, before = [], None
    for as_of, sumber in zip(pd.to_datetime(df["as_of"]).dt.date, df["sumber"], strict=True):
        now = registry_of(sumber)
        if before is not None and now != before:
            out.append((as_of, before, now))
        before = now
    return tuple(out)


def remaining_column(unit: str) -> str:
    """The baseline-remaining column for 'orang' or 'keluarga'."""
    return "orang_sisa_baseline" if unit == "orang" else "keluarga_sisa_baseline"


def ideal_at(baseline: float, start: date, target: date, when: date) -> float:
    """The ideal remaining count at a date on a straight line from baseline to zero at target."""
    if when >= target:
        return 0.0
    span = (target - start).days
    return baseline * (1 - (when - start).days / span) if span > 0 else 0.0


@dataclass
class Forecast:
    """A straight-line forecast from the recent pace, with a 95% band on the pace."""

    per_day: float
    per_day_low: float
    per_day_high: float
    last_date: date
    last_value: float
    zero_date: date | None
    zero_date_early: date | None
    zero_date_late: date | None
    window: int

    @property
    def per_month(self) -> float:
        return self.per_day * MONTH_DAYS

    @property
    def projectable(self) -> bool:
        """Whether a zero date means something: the pace does not round to zero and the zero date
        falls inside the chart (a pace of '−0 a month' gives a date decades away, off the chart)."""
        return (
            round(self.per_month) < 0
            and self.zero_date is not None
            and self.zero_date <= self.last_date + timedelta(days=CHART_DAYS)
        )

    def value_at(self, when: date, pace: float | None = None) -> float:
        """Projected remaining at a date (never below zero)."""
        pace = self.per_day if pace is None else pace
        return max(0.0, self.last_value + pace * (when - self.last_date).days)


def _zero_date(last_date: date, last_value: float, pace: float) -> date | None:
    if last_value <= 0:
        return last_date
    if pace >= 0:
        return None
    days = round(last_value / -pace, 6)  # rounding keeps float noise from adding a day
    return last_date + timedelta(days=int(np.ceil(days))) if days <= HORIZON_DAYS else None


def forecast(dates: list[date], values: list[float], window: int = FORECAST_WINDOW) -> Forecast | None:
    """Least-squares pace over the last `window` snapshots and the date the line reaches zero."""
    if len(dates) < 3:
        return None
    d, v = dates[-window:], np.asarray(values[-window:], dtype=float)
    x = np.array([(t - d[0]).days for t in d], dtype=float)
    slope, intercept = np.polyfit(x, v, 1)
    n = len(x)
    resid = v - (slope * x + intercept)
    se = np.sqrt(resid @ resid / (n - 2) / ((x - x.mean()) ** 2).sum()) if n > 2 else 0.0
    low, high = slope - Z95 * se, slope + Z95 * se  # low = fastest fall
    last_date, last_value = dates[-1], float(values[-1])
    return Forecast(
        per_day=float(slope),
        per_day_low=float(low),
        per_day_high=float(high),
        last_date=last_date,
        last_value=last_value,
        zero_date=_zero_date(last_date, last_value, slope),
        zero_date_early=_zero_date(last_date, last_value, low),
        zero_date_late=_zero_date(last_date, last_value, high),
        window=n,
    )


@dataclass
class Verdict:
    """On track or behind, and why, in one sentence each."""

    on_track: bool
    headline: str
    reason: str


def verdict(df: pd.DataFrame, unit: str, target: date | Target) -> Verdict:
    """Judge the latest snapshot against the ideal line and the forecast zero date (pass the target
    in force on the latest snapshot's date; a settings.Target names its legal basis)."""
    target_text = fmt.tanggal(target.zero_by if isinstance(target, Target) else target)
    if isinstance(target, Target):
        target_text = t("i15s.target_with_basis", date=target_text, basis=target.basis)
        target = target.zero_by
    col = remaining_column(unit)
    baseline, start = float(df[col].iloc[0]), df["as_of"].iloc[0]
    last, last_date = float(df[col].iloc[-1]), df["as_of"].iloc[-1]
    ideal = ideal_at(baseline, start, target, last_date)
    fc = forecast(list(df["as_of"]), list(df[col]))
    noun = t(f"unit.{unit}")
    if last <= 0:
        return Verdict(
            True, t("verdict.reached"), t("verdict.reached_reason", date=fmt.tanggal(last_date), noun=noun)
        )
    pace = ""
    if fc is not None:
        digits = 0 if abs(round(fc.per_month)) >= 1 else 1  # a pace under one a month is not "−0"
        pace = t("verdict.pace", window=fc.window, rate=fmt.signed(fc.per_month, digits), noun=noun)
    if fc is None or not fc.projectable:
        reason = t("i15s.not_projectable", pace=pace) if pace else t("verdict.too_little")
        return Verdict(
            False, t("verdict.behind"), t("verdict.remaining", n=fmt.number(last), noun=noun, reason=reason)
        )
    when = t("verdict.when", date=fmt.tanggal(fc.zero_date, "MMMM yyyy"))
    gap = last - ideal
    line = (
        t("verdict.above", n=fmt.number(gap), noun=noun)
        if gap > 0
        else t("verdict.below", n=fmt.number(-gap), noun=noun)
    )
    if fc.zero_date <= target:
        return Verdict(
            True,
            t("verdict.on_track"),
            t("verdict.before", pace=pace, when=when, target=target_text, line=line),
        )
    late = fmt.number((fc.zero_date - target).days / MONTH_DAYS, 0)
    return Verdict(
        False,
        t("verdict.behind"),
        t("verdict.after", pace=pace, when=when, late=late, target=target_text, line=line),
    )


def waterfall(
    store: Store,
    date_from: date,
    date_to: date,
    kode_kecamatan: str | None = None,
    kode_kelurahan: str | None = None,
) -> pd.DataFrame:
    """Steps from the count on the list at date_from to the count at date_to, summing exactly.

    Graduation is two steps, proven (a verval graduasi result with its checklist met stands behind
    it) and unproven; desil naik is its own step, never graduation. Column `verval` counts the
    exits of a step whose reason a verification result gave (the registry left it unexplained).
    """
    s = series(store, kode_kecamatan, kode_kelurahan).set_index("as_of")
    flows = store.query(
        "waterfall_flows",
        date_from=date_from,
        date_to=date_to,
        kode_kecamatan=kode_kecamatan,
        kode_kelurahan=kode_kelurahan,
    )
    exits = flows[flows["arus"] == "keluar"]
    from_verval = exits["sumber_alasan"] == "verval"
    proven = exits["terbukti"].fillna(False).astype(bool)
    rows = [
        ("awal", t("waterfall.on_list", date=fmt.tanggal(date_from)), int(s.at[date_from, "orang_aktif"]), 0)
    ]

    def exit_step(key: str, label: str, picked: pd.Series) -> None:
        n, v = exits.loc[picked, "orang"].sum(), exits.loc[picked & from_verval, "orang"].sum()
        rows.append((f"keluar:{key}", label, -int(n), int(v)))

    for reason, label in reason_labels().items():
        if reason == "graduasi":
            for kind, want in (("terbukti", True), ("tanpa_bukti", False)):
                picked = (exits["alasan"] == reason) & (proven == want)
                exit_step(f"graduasi:{kind}", t(f"c19.step_{kind}"), picked)
        else:
            exit_step(reason, label, exits["alasan"] == reason)
    for flow, label in flow_labels().items():
        rows.append((flow, label, int(flows.loc[flows["arus"] == flow, "orang"].sum()), 0))
    moved = (
        flows.loc[flows["arus"] == "mutasi_masuk", "orang"].sum()
        - flows.loc[flows["arus"] == "mutasi_keluar", "orang"].sum()
    )
    if moved:
        rows.append(("mutasi", t("waterfall.moved"), int(moved), 0))
    rows.append(
        ("akhir", t("waterfall.on_list", date=fmt.tanggal(date_to)), int(s.at[date_to, "orang_aktif"]), 0)
    )
    return pd.DataFrame(rows, columns=["langkah", "label", "orang", "verval"])


def fall_breakdown(steps: pd.DataFrame) -> dict[str, int]:
    """How much of the fall was graduation (proven or not), desil naik, data correction or unknown.

    koreksi_verval: the corrections whose reason came from a verification result.
    """
    get = lambda key: -int(steps.loc[steps["langkah"] == key, "orang"].sum())  # noqa: E731
    proven, unproven = get("keluar:graduasi:terbukti"), get("keluar:graduasi:tanpa_bukti")
    graduated = proven + unproven
    desil = get("keluar:desil_naik")
    unknown = get("keluar:tidak_diketahui")
    exits = -int(steps.loc[steps["langkah"].str.startswith("keluar:"), "orang"].sum())
    corrections = steps["langkah"].isin([f"keluar:{r}" for r in DATA_CORRECTION])
    return {
        "keluar": exits,
        "graduasi": graduated,
        "graduasi_terbukti": proven,
        "graduasi_tanpa_bukti": unproven,
        "desil_naik": desil,
        "koreksi": exits - graduated - desil - unknown,
        "koreksi_verval": int(steps.loc[corrections, "verval"].sum()),
        "tidak_diketahui": unknown,
    }


def kecamatan_behind(store: Store, unit: str, target: date, others: list[Target] = ()) -> pd.DataFrame:
    """Per kecamatan at the latest snapshot: remaining share against the ideal share, worst first.

    `target` (the one in force) gives ideal_share and selisih; each of `others` adds its own ideal
    share as column 'ideal:<basis>' (a passed deadline's ideal is 0 for every kecamatan, so the
    later target's line is what says how far along the list should be now).
    """
    df = store.query("kecamatan_series")
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    col = remaining_column(unit)
    start, last = df["as_of"].min(), df["as_of"].max()
    ideal_share = ideal_at(1.0, start, target, last)
    base = df[df["as_of"] == start].set_index("kode_kecamatan")[col]
    now = df[df["as_of"] == last].set_index("kode_kecamatan")
    out = pd.DataFrame(
        {
            "kecamatan": now["kecamatan"],
            "baseline": base,
            "sisa": now[col],
        }
    )
    out["sisa_share"] = (out["sisa"] / out["baseline"]).where(out["baseline"] > 0, 0.0)
    out["ideal_share"] = ideal_share
    for other in others:
        out[f"ideal:{other.basis}"] = ideal_at(1.0, start, other.zero_by, last)
    out["selisih"] = out["sisa_share"] - ideal_share
    return out.sort_values("selisih", ascending=False).reset_index()


def kecamatan_series(store: Store) -> pd.DataFrame:
    """Per kecamatan and snapshot counts (zero where nobody remains)."""
    df = store.query("kecamatan_series")
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    return df


def snapshot_diff(
    store: Store,
    date_from: date,
    date_to: date,
    user: User,
    kode_kecamatan: str | None = None,
    kode_kelurahan: str | None = None,
    *,
    arus: str | None = None,
    alasan: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> pd.DataFrame:
    """Person-level changes between two snapshots that the user's role may see, filtered in SQL.

    One page of rows when limit is given (column total = rows in all pages); arus/alasan pick
    one kind of change.
    """
    return store.query(
        "snapshot_diff",
        date_from=date_from,
        date_to=date_to,
        kode_kecamatan=kode_kecamatan,
        kode_kelurahan=kode_kelurahan,
        arus=arus,
        alasan=alasan,
        limit=limit,
        offset=offset,
        **user.record_scope(),
    )


def snapshot_diff_page(
    store: Store,
    date_from: date,
    date_to: date,
    user: User,
    kode_kecamatan: str | None,
    kode_kelurahan: str | None,
    kind: tuple[str, str | None] | None,
    limit: int,
    offset: int,
) -> tuple[pd.DataFrame, int]:
    """One page of snapshot_diff for one kind of change (None = all) and the rows in all pages."""
    arus, alasan = kind or (None, None)
    df = snapshot_diff(
        store,
        date_from,
        date_to,
        user,
        kode_kecamatan,
        kode_kelurahan,
        arus=arus,
        alasan=alasan,
        limit=limit,
        offset=offset,
    )
    return df, int(df["total"].iloc[0]) if len(df) else 0


def snapshot_diff_kinds(
    store: Store,
    date_from: date,
    date_to: date,
    user: User,
    kode_kecamatan: str | None = None,
    kode_kelurahan: str | None = None,
) -> pd.DataFrame:
    """How many people each kind of change (arus, alasan) holds, in the role's scope."""
    scope = user.record_scope()
    scope.pop("tampil_nama")
    return store.query(
        "snapshot_diff_kinds",
        date_from=date_from,
        date_to=date_to,
        kode_kecamatan=kode_kecamatan,
        kode_kelurahan=kode_kelurahan,
        **scope,
    )


@dataclass
class Summary:
    """The mayor's numbers: baseline, remaining, share reduced, days to target, latest snapshot."""

    baseline_people: int
    baseline_families: int
    remaining_people: int
    remaining_families: int
    on_list_people: int
    new_people: int
    reduced_share: float
    latest: date
    days_to_target: int


def summary(df: pd.DataFrame, target: date, today: date) -> Summary:
    """Headline numbers from a burn-down series (first row = baseline, last row = latest)."""
    first, last = df.iloc[0], df.iloc[-1]
    base = int(first["orang_sisa_baseline"])
    return Summary(
        baseline_people=base,
        baseline_families=int(first["keluarga_sisa_baseline"]),
        remaining_people=int(last["orang_sisa_baseline"]),
        remaining_families=int(last["keluarga_sisa_baseline"]),
        on_list_people=int(last["orang_aktif"]),
        new_people=int(last["orang_baru"]),
        reduced_share=1 - int(last["orang_sisa_baseline"]) / base if base else 0.0,
        latest=last["as_of"],
        days_to_target=(target - today).days,
    )


def top_pockets(store: Store, n: int = 5) -> pd.DataFrame:
    """The n kecamatan with the most people on the list at the latest snapshot."""
    df = kecamatan_series(store)
    latest = df[df["as_of"] == df["as_of"].max()]
    return latest.nlargest(n, "orang_aktif")[
        ["kode_kecamatan", "kecamatan", "orang_aktif", "orang_sisa_baseline"]
    ]
