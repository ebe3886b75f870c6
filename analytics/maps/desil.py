"""The DTSEN desil 1–4 distribution per kecamatan and kelurahan: a map of one desil, bars of all four.

Counts come from desil_area (families and people per desil per kelurahan, over the whole DTSEN file)
for the latest DTSEN file; a kecamatan is the sum of its kelurahan. Desil 1 is the poorest tenth
nationally, not the city's extreme-poverty list: the list's families stand in a column of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import formatting as fmt
from analytics import measures
from analytics.burndown.charts import base_layout
from analytics.i18n import t
from analytics.maps import classes as map_classes
from analytics.maps import figure as map_figure
from analytics.maps import geometry
from analytics.maps.classes import Classes
from analytics.store.db import Store

DESIL: tuple[int, ...] = (1, 2, 3, 4)
COLORS = ("#3f007d", "#6a51a3", "#9e9ac8", "#dadaeb")  # desil 1 darkest
COLORSCALE = "Purples"
CITY = ""


@dataclass
class DesilResult:
    """What the page shows for the desil view."""

    figure: go.Figure
    bars: go.Figure
    table: pd.DataFrame
    view: pd.DataFrame
    classes: Classes
    as_of: date
    level: str


def rows(store: Store) -> pd.DataFrame:
    """Every kelurahan x desil 1–4 in the latest DTSEN file (empty before one is imported)."""
    df = store.query("desil_area_latest")
    df["as_of"] = pd.to_datetime(df["as_of"]).dt.date
    return df


def latest_date(store: Store) -> date | None:
    """The date of the latest DTSEN file with a desil distribution, None when there is none."""
    df = rows(store)
    return None if df.empty else df["as_of"].iloc[0]


def per_area(long: pd.DataFrame, level: str) -> pd.DataFrame:
    """One row per area: keluarga_1..4, orang_1..4, their desil 1–4 sums and the families on the list."""
    key = "kode_kelurahan" if level == "kelurahan" else "kode_kecamatan"
    names = ["kode_kecamatan", "kecamatan", "kelurahan"] if level == "kelurahan" else ["kecamatan"]
    wide = long.pivot_table(index=key, columns="desil", values=["keluarga", "orang"], aggfunc="sum")
    wide.columns = [f"{what}_{d}" for what, d in wide.columns]
    wide = wide.reindex(columns=[f"{w}_{d}" for w in ("keluarga", "orang") for d in DESIL], fill_value=0)
    listed = long.drop_duplicates("kode_kelurahan").groupby(key)["keluarga_daftar"].sum()
    info = long.drop_duplicates(key).set_index(key)[names]
    out = info.join(wide).assign(keluarga_daftar=listed).reset_index().rename(columns={key: "kode"})
    if level == "kecamatan":
        out["kode_kecamatan"] = out["kode"]
    out["nama"] = out["kelurahan"] if level == "kelurahan" else out["kecamatan"]
    out["keluarga_1_4"] = out[[f"keluarga_{d}" for d in DESIL]].sum(axis=1)
    out["orang_1_4"] = out[[f"orang_{d}" for d in DESIL]].sum(axis=1)
    return out.sort_values("kode").reset_index(drop=True)


def for_store(store: Store, desil: int, scheme: str, kecamatan: str, suppress: bool) -> DesilResult | None:
    """build() on the store's latest DTSEN file; None when there is none (the page says so)."""
    long = rows(store)
    return None if long.empty else build(long, desil, scheme, kecamatan, suppress)


def build(
    long: pd.DataFrame, desil: int, scheme: str, kecamatan: str = CITY, suppress: bool = False
) -> DesilResult:
    """The map of desil `desil` families, the bars of desil 1–4 and the table, for the city's kecamatan
    or (kecamatan chosen) its kelurahan. With suppress (a role without named access), an area whose
    count is 1–4 is drawn as no value, as the other map metrics do."""
    if desil not in DESIL:
        raise KeyError(desil)
    as_of = long["as_of"].iloc[0]
    level = "kelurahan" if kecamatan else "kecamatan"
    frame = per_area(long, level)
    col = f"keluarga_{desil}"
    frame["shown"] = frame[col].astype(float)
    if suppress:
        frame.loc[frame[col].between(1, 4), "shown"] = np.nan
    classes = map_classes.level_classes(
        frame["shown"].to_numpy(), scheme, True, COLORSCALE, fmt.number, t("metric.zero")
    )
    view = frame[frame["kode_kecamatan"] == kecamatan].reset_index(drop=True) if kecamatan else frame
    kec_names = dict(zip(long["kode_kecamatan"], long["kecamatan"], strict=False))
    scope = t("maps.scope_kec", kec=kec_names[kecamatan]) if kecamatan else t("maps.scope_city")
    level_word = t(f"col.{level}").lower()
    extra: dict = {}
    if kecamatan:
        kec = geometry.geojson("kecamatan")
        others = {k for k in kec_names if k != kecamatan}
        extra = {"context": geometry.subset(kec, others), "outline": geometry.subset(kec, {kecamatan})}
    figure = map_figure.choropleth(
        view,
        classes,
        level,
        title=headline(view, desil, scope, suppress),
        subtitle=t("d19.map_subtitle", n=desil, level=level_word, date=fmt.tanggal(as_of)),
        legend_title=t("d19.families_in", n=desil),
        hover=hover_texts(view, desil, level, as_of),
        labels=[(r.nama, fmt.number(r.shown) if pd.notna(r.shown) else "–") for r in view.itertuples()],
        **extra,
    )
    bars = bars_figure(view, level_word, as_of)
    return DesilResult(figure, bars, table(view, level), view, classes, as_of, level)


def headline(view: pd.DataFrame, desil: int, scope: str, suppress: bool) -> str:
    """The map's title: where the most families of the desil live, of how many."""
    v = view.dropna(subset=["shown"])
    if v.empty or v["shown"].max() == 0:
        hidden = suppress and view[f"keluarga_{desil}"].gt(0).any()
        return t("d19.map_title_hidden" if hidden else "d19.map_title_none", scope=scope, n=desil)
    top = v.loc[v["shown"].idxmax()]
    return t(
        "d19.map_title",
        scope=scope,
        n=desil,
        name=top["nama"],
        value=fmt.number(top["shown"]),
        total=fmt.number(view[f"keluarga_{desil}"].sum()),
    )


def hover_texts(view: pd.DataFrame, desil: int, level: str, as_of: date) -> list[str]:
    """Per area: name, the desil's families, and the families on the city's list (a separate fact)."""
    out = []
    for r in view.itertuples():
        where = " · " + t("ui.area_kec", kec=r.kecamatan) if level == "kelurahan" else ""
        value = fmt.number(r.shown) if pd.notna(r.shown) else "–"
        out.append(
            "<br>".join(
                [
                    f"<b>{r.nama}</b>{where}",
                    t("d19.hover_value", n=desil, date=fmt.tanggal(as_of), value=value),
                    t("d19.hover_listed", value=fmt.number(r.keluarga_daftar)),
                ]
            )
        )
    return out


def bars_figure(view: pd.DataFrame, level_word: str, as_of: date) -> go.Figure:
    """Stacked horizontal bars of desil 1–4 families per area, the most on top."""
    rows_ = view.sort_values(["keluarga_1_4", "nama"], ascending=[True, False])
    fig = go.Figure()
    for d, color in zip(DESIL, COLORS, strict=True):
        fig.add_trace(
            go.Bar(
                x=rows_[f"keluarga_{d}"],
                y=rows_["nama"],
                orientation="h",
                name=t("d19.desil_n", n=d),
                marker_color=color,
                hovertemplate="%{y} · " + t("d19.desil_n", n=d) + ": %{x:,.0f}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title=t("d19.axis_families"), tickformat=",.0f", rangemode="tozero")
    title = t("d19.bars_title", level=level_word, date=fmt.tanggal(as_of))
    return base_layout(fig, title, height=max(360, 28 * len(rows_) + 160))


def table(view: pd.DataFrame, level: str) -> pd.DataFrame:
    """The numbers behind the map and bars, one row per area, raw values (shown and downloaded)."""
    out = pd.DataFrame({t("maps.code"): view["kode"], t(f"col.{level}"): view["nama"]})
    if level == "kelurahan":
        out[t("col.kecamatan")] = view["kecamatan"]
    for d in DESIL:
        out[t("d19.families_in", n=d)] = view[f"keluarga_{d}"].astype("Int64")
    out[t("d19.families_1_4")] = view["keluarga_1_4"].astype("Int64")
    out[t("d19.people_1_4")] = view["orang_1_4"].astype("Int64")
    out[measures.label("keluarga_di_daftar")] = view["keluarga_daftar"].astype("Int64")
    return out.reset_index(drop=True)
