"""Putting one map together: the frames, the chosen metric, date(s), classes and drill-down."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics.i18n import t
from analytics.maps import classes as map_classes
from analytics.maps import figure as map_figure
from analytics.maps import geometry, metrics, words
from analytics.maps.classes import Classes
from analytics.store.db import Store

CITY = ""  # the drill-down choice that means "the whole city"


@dataclass
class MapResult:
    """Everything the page shows for one map."""

    figure: go.Figure
    table: pd.DataFrame
    headline: str
    subtitle: str
    view: pd.DataFrame
    classes: Classes
    level: str


def frames(store: Store) -> dict[str, pd.DataFrame]:
    """The per-area frames for both levels (all snapshot dates)."""
    return {level: metrics.area_frame(store, level) for level in metrics.LEVELS}


def kecamatan_names(frames_: dict[str, pd.DataFrame]) -> dict[str, str]:
    """Kecamatan code -> name, in code order."""
    kec = frames_["kecamatan"].drop_duplicates("kode").sort_values("kode")
    return dict(zip(kec["kode"], kec["nama"], strict=True))


def classes_for(
    frame: pd.DataFrame, metric: metrics.Metric, scheme: str, changes: pd.Series | None
) -> Classes:
    """Level classes over every date of the level, or diverging classes for a change map."""
    if changes is None:
        return map_classes.level_classes(
            frame[metric.key].to_numpy(),
            scheme,
            metric.integer,
            metric.colorscale,
            metric.format,
            metric.zero_label,
        )
    fmt_abs = metric.format if metric.kind != "percent" else (lambda v: metric.format_points(v).lstrip("+"))
    return map_classes.change_classes(changes.to_numpy(), scheme, metric.integer, metric.worse_up, fmt_abs)


def for_store(store: Store, *choice: object) -> MapResult:
    """build() on the store's own frames; the page keeps both per store version (ui.kept)."""
    return build(frames(store), *choice)


def build(
    frames_: dict[str, pd.DataFrame],
    metric_key: str,
    scheme: str,
    as_of: date,
    since: date | None = None,
    kecamatan: str = CITY,
    suppress: bool = False,
) -> MapResult:
    """The figure, the table behind it and its headline for the chosen view.

    With suppress (a role without named access), a share or rate that would give back a count from
    1 to 4 is left out of the colours, the labels and the headline, as no value."""
    metric = metrics.METRICS[metric_key]
    level = "kelurahan" if kecamatan else "kecamatan"
    frame = frames_[level]
    full = metrics.map_view(frame, metric, as_of, since)
    if suppress and metric.counts is not None:
        hidden = set()
        for day in (as_of, since) if since is not None else (as_of,):
            rows = frame[frame["as_of"] == day]
            hidden |= set(rows.loc[metric.small(rows), "kode"])
        small = full["kode"].isin(hidden)
        full.loc[small, ["shown", "nilai", "nilai_awal", "perubahan_baseline"]] = float("nan")
        full.attrs["suppressed"] = bool(small.any())
    classes = classes_for(frame, metric, scheme, full["shown"] if since is not None else None)
    view = full[full["kode_kecamatan"] == kecamatan].reset_index(drop=True) if kecamatan else full
    view.attrs = full.attrs
    names = kecamatan_names(frames_)
    scope = t("maps.scope_kec", kec=names[kecamatan]) if kecamatan else t("maps.scope_city")
    headline, subtitle = words.headline(view, metric, scope, as_of, since)
    extra: dict = {}
    if kecamatan:
        kec = geometry.geojson("kecamatan")
        others = {k for k in names if k != kecamatan}
        extra = {"context": geometry.subset(kec, others), "outline": geometry.subset(kec, {kecamatan})}
    legend = metric.label if since is None else t("maps.legend_change", label=metric.label.lower())
    if since is not None and metric.kind == "percent":
        legend += t("maps.points")
    figure = map_figure.choropleth(
        view,
        classes,
        level,
        title=headline,
        subtitle=subtitle,
        legend_title=legend,
        hover=words.hover_texts(view, metric, level, as_of, since),
        labels=words.labels(view, metric, since),
        legend_present_only=since is not None,
        **extra,
    )
    table = words.map_table(view, classes, metric, level, as_of, since)
    return MapResult(figure, table, headline, subtitle, view, classes, level)
