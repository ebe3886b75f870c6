"""What the maps can show: the metric registry and the per-area frames they are computed from.

To add a metric add one METRICS entry: its `compute` reads the columns of `area_frame` (orang,
keluarga, sisa_baseline, orang_baseline, keluarga_baseline, orang_kota, penduduk,
keluarga_irisan, keluarga_terjangkau); `requires` names a column that must hold data for the
metric to be offered. All counts come from area_stats through the named query map_area_values,
exactly as the burn-down reads them; coverage from the intervention summary the OPD page reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from analytics import formatting as fmt
from analytics import measures
from analytics.i18n import DEFAULT, t, texts
from analytics.maps import population
from analytics.store.db import Store

LEVELS = ("kecamatan", "kelurahan")
# Map metrics that are catalogue measures (analytics.measures) take their name from there.
MEASURE_OF = {"orang": "orang_di_daftar", "keluarga": "keluarga_di_daftar", "persen_turun": "persen_turun"}


def _count(v: float) -> str:
    return fmt.number(v)


def _percent(v: float) -> str:
    return fmt.percent(v, 1)


def _rate(v: float) -> str:
    return fmt.number(v, 2)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)


@dataclass(frozen=True)
class Metric:
    """One thing a map can colour areas by."""

    key: str
    compute: Callable[[pd.DataFrame], pd.Series] = field(compare=False)
    kind: str  # "count" (whole numbers), "percent" (a fraction) or "rate"
    colorscale: str  # sequential plotly scale for the level map
    worse_up: bool  # a higher value is worse (more people left)
    requires: str | None = None
    # The counts a derived value (a share, a rate) gives back with public denominators: where one
    # is from 1 to 4, a role without named access sees no value (analytics.access.disclosure).
    counts: Callable[[pd.DataFrame], list[pd.Series]] | None = field(default=None, compare=False)

    def small(self, df: pd.DataFrame) -> pd.Series:
        """Rows whose value would give back a count from 1 to 4 (always False for plain counts)."""
        hidden = pd.Series(False, index=df.index)
        for count in self.counts(df) if self.counts else []:
            hidden |= count.between(1, 4)
        return hidden

    # The words live in the locale files: metric.<key>.label / .note / .unavailable / .zero.
    @property
    def label(self) -> str:
        """The metric's name in the current language (the catalogue's name for a catalogued measure)."""
        if self.key in MEASURE_OF:
            return measures.label(MEASURE_OF[self.key])
        return t(f"metric.{self.key}.label")

    @property
    def note(self) -> str:
        """What the metric counts, in one or two sentences."""
        return t(f"metric.{self.key}.note")

    @property
    def unavailable(self) -> str:
        """Why the metric is not offered (when its data is missing)."""
        return t(f"metric.{self.key}.unavailable") if self.requires else ""

    @property
    def zero_label(self) -> str:
        """The legend entry of the zero class."""
        special = f"metric.{self.key}.zero"
        return t(special) if special in texts(DEFAULT) else t("metric.zero")

    @property
    def integer(self) -> bool:
        """Whether values are whole numbers (class ranges like 1.001 – 1.587)."""
        return self.kind == "count"

    def raw(self, values: pd.Series) -> pd.Series:
        """Values for a table that is shown and downloaded: whole numbers for counts, percent with
        one decimal for shares, two decimals for rates; formatted only on the screen."""
        if self.kind == "count":
            return values.round().astype("Int64")
        return (values * 100).round(1) if self.kind == "percent" else values.round(2)

    def header(self) -> str:
        """The table header: a share's label says it is in percent."""
        return self.label if self.kind != "percent" or "%" in self.label else f"{self.label} (%)"

    def format(self, value: float) -> str:
        """The value in id-ID, e.g. '1.587', '34,2%', '4,21'."""
        return {"count": _count, "percent": _percent, "rate": _rate}[self.kind](value)

    def format_change(self, value: float) -> str:
        """A change in id-ID with its sign: '−609', '+3,2 poin', '−0,45'."""
        if self.kind == "percent":
            return t("metric.points", n=self.format_points(value)) if pd.notna(value) else "–"
        return fmt.signed(value, 0 if self.kind == "count" else 2)

    def format_points(self, value: float) -> str:
        """A change of a fraction in signed percentage points; two decimals below one point."""
        return fmt.signed(value * 100, 2 if abs(value) < 0.01 else 1)


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("orang", lambda df: df["orang"].astype(float), "count", "OrRd", True),
        Metric("keluarga", lambda df: df["keluarga"].astype(float), "count", "OrRd", True),
        Metric(
            "persen_turun",
            lambda df: 1 - _ratio(df["sisa_baseline"], df["orang_baseline"]),
            "percent",
            "Greens",
            False,
            counts=lambda df: [df["sisa_baseline"], df["orang_baseline"] - df["sisa_baseline"]],
        ),
        Metric(
            "pangsa",
            lambda df: _ratio(df["orang"], df["orang_kota"]),
            "percent",
            "OrRd",
            True,
            counts=lambda df: [df["orang"]],
        ),
        Metric(
            "per_1000",
            lambda df: _ratio(df["orang"], df["penduduk"]) * 1000,
            "rate",
            "OrRd",
            True,
            requires="penduduk",
            counts=lambda df: [df["orang"]],
        ),
        Metric(
            "cakupan",
            lambda df: _ratio(df["keluarga_terjangkau"], df["keluarga_irisan"]),
            "percent",
            "Blues",
            False,
            requires="keluarga_terjangkau",
            counts=lambda df: [df["keluarga_terjangkau"], df["keluarga_irisan"] - df["keluarga_terjangkau"]],
        ),
    )
}


def area_frame(store: Store, level: str) -> pd.DataFrame:
    """Every snapshot x area ('kecamatan' or 'kelurahan'): counts, baseline and every metric column."""
    if level not in LEVELS:
        raise KeyError(level)
    df = store.query("map_area_values")
    counts = ["orang", "keluarga", "sisa_baseline"]
    if level == "kecamatan":
        df = df.groupby(["as_of", "kode_kecamatan", "kecamatan"], as_index=False)[counts].sum()
        df["kode"], df["nama"] = df["kode_kecamatan"], df["kecamatan"]
    else:
        df = df.rename(columns={"kode_kelurahan": "kode", "kelurahan": "nama"})
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    if df.empty:
        extra = ("orang_baseline", "penduduk", "keluarga_irisan", "keluarga_terjangkau", *METRICS)
        return df.assign(**{c: pd.Series(dtype=float) for c in extra})
    base = df[df["as_of"] == df["as_of"].min()].set_index("kode")
    df["orang_baseline"] = df["kode"].map(base["orang"])
    df["keluarga_baseline"] = df["kode"].map(base["keluarga"])
    totals = store.query("map_city_totals")
    totals["as_of"] = pd.to_datetime(totals["as_of"]).dt.date
    df = df.merge(totals, on="as_of", how="left")
    penduduk, _, _ = population.population_by_area(store, level)
    df["penduduk"] = df["kode"].map(penduduk).astype(float)
    df = df.merge(_coverage(store, level), on=["as_of", "kode"], how="left")
    for metric in METRICS.values():
        df[metric.key] = metric.compute(df)
    return df.reset_index(drop=True)


def _coverage(store: Store, level: str) -> pd.DataFrame:
    """Families on the list and reached by any intervention, per snapshot and area (empty if none)."""
    cov = store.query("map_coverage")
    cov["as_of"] = pd.to_datetime(cov["as_of"]).dt.date
    cols = ["keluarga_irisan", "keluarga_terjangkau"]
    # an area with families on the list and none reached has coverage 0, as the OPD page says
    reached = cov["keluarga_terjangkau"].astype(float)
    cov["keluarga_terjangkau"] = reached.where(reached.notna() | cov["keluarga_irisan"].isna(), 0.0)
    if level == "kecamatan":
        cov["kode"] = cov["kode_kelurahan"].str[:8]
        cov = cov.groupby(["as_of", "kode"], as_index=False)[cols].sum()
    else:
        cov = cov.rename(columns={"kode_kelurahan": "kode"})
    return cov[["as_of", "kode", *cols]].astype({c: float for c in cols})


def available(frame: pd.DataFrame) -> dict[str, Metric]:
    """The metrics whose required data exists."""
    return {k: m for k, m in METRICS.items() if m.requires is None or frame[m.requires].notna().any()}


def snapshot_dates(frame: pd.DataFrame) -> list[date]:
    """The snapshot dates in the frame, oldest first."""
    return sorted(frame["as_of"].unique())


def map_view(frame: pd.DataFrame, metric: Metric, as_of: date, since: date | None = None) -> pd.DataFrame:
    """One row per area: the metric at as_of, at baseline, the change since baseline, and since `since`.

    `shown` is what the map colours: the value at as_of, or with `since` the change since then.
    """
    baseline = min(frame["as_of"])
    at = lambda d: frame[frame["as_of"] == d].set_index("kode")  # noqa: E731
    now, base = at(as_of), at(baseline)
    keep = ["nama", "kode_kecamatan", "kecamatan", "orang", "keluarga", "orang_baseline", "sisa_baseline"]
    out = now[keep].copy()
    out["nilai"] = now[metric.key]
    out["nilai_baseline"] = base[metric.key]
    out["perubahan_baseline"] = out["nilai"] - out["nilai_baseline"]
    if since is None:
        out["nilai_awal"] = np.nan
        out["shown"] = out["nilai"]
    else:
        out["nilai_awal"] = at(since)[metric.key]
        out["shown"] = out["nilai"] - out["nilai_awal"]
    out = out.reset_index()
    out.attrs["baseline"] = baseline
    return out
