"""The choropleth figure: classed colours, zero its own class, missing grey, labels, legend."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.i18n import t
from analytics.maps import geometry
from analytics.maps import labels as map_labels
from analytics.maps.classes import MISSING_COLOR, Classes

# Plotly's geo subplot fetches a world topojson from cdn.plot.ly whenever a trace has a
# locationmode, even with every base layer hidden; the app runs offline, so it is handed an
# empty topology inline (the fragment swallows the "<name>.json" plotly appends).
EMPTY_TOPOJSON_URL = 'data:application/json,{"type":"Topology","objects":{},"arcs":[]}#'
PLOTLY_CONFIG = {"displaylogo": False, "scrollZoom": False, "topojsonURL": EMPTY_TOPOJSON_URL}
FONT_PX = {"kecamatan": 12, "kelurahan": 11}
DARK, LIGHT = "#1f1f1f", "#ffffff"


def attribution() -> str:
    """The boundary data's source and licence, printed on every map."""
    return t("map_figure.attribution")


def text_color(color: str) -> str:
    """Dark text on light fills, white on dark ones ('rgb(r, g, b)' or '#rrggbb')."""
    if "(" in color:
        rgb = [float(x) for x in color[color.index("(") + 1 : color.index(")")].split(",")[:3]]
    else:
        rgb = [int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return DARK if 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] > 140 else LIGHT


def _fill(geojson: dict, codes: list[str], color: str, line: dict, name: str, text=None) -> go.Choropleth:
    """One flat-coloured layer of areas (hover shows text when given)."""
    return go.Choropleth(
        geojson=geojson,
        locations=codes,
        z=[0] * len(codes),
        colorscale=[[0, color], [1, color]],
        showscale=False,
        marker={"line": line},
        name=name,
        **(
            {"text": text, "hovertemplate": "%{text}<extra></extra>"}
            if text is not None
            else {"hoverinfo": "skip"}
        ),
    )


def _legend_entry(name: str, color: str, rank: int) -> go.Scattergeo:
    return go.Scattergeo(
        lon=[None],
        lat=[None],
        mode="markers",
        marker={"symbol": "square", "size": 14, "color": color, "line": {"color": "#999", "width": 0.5}},
        name=name,
        legendrank=rank,
        hoverinfo="skip",
        showlegend=True,
    )


def _labels(areas: pd.DataFrame, colors: list[str], labels: list[tuple[str, str]], level: str):
    """(text traces, bounds): labels inside areas where they fit, callouts with leader lines elsewhere."""
    font = FONT_PX[level]
    placed = map_labels.place(
        areas, [[name, value] for name, value in labels], [f"{name}  {value}" for name, value in labels], font
    )
    p = placed.frame
    inside, out = p[~p["callout"]], p[p["callout"]]
    traces = [
        go.Scattergeo(
            lon=inside["x"],
            lat=inside["y"],
            mode="text",
            text=[f"{labels[i][0]}<br><b>{labels[i][1]}</b>" for i in inside.index],
            textfont={"size": font, "color": [text_color(colors[i]) for i in inside.index]},
            hoverinfo="skip",
            showlegend=False,
            name="label",
        )
    ]
    if len(out):
        lon, lat = [], []
        for i in out.index:
            lon += [areas.loc[i, "lon"], out.loc[i, "x"], None]
            lat += [areas.loc[i, "lat"], out.loc[i, "y"], None]
        traces.append(
            go.Scattergeo(lon=lon, lat=lat, mode="lines", line={"color": "#555", "width": 0.8},
                          hoverinfo="skip", showlegend=False, name="garis label")
        )  # fmt: skip
        traces.append(
            go.Scattergeo(
                lon=out["x"],
                lat=out["y"],
                mode="text",
                text=[f"{labels[i][0]} <b>{labels[i][1]}</b>" for i in out.index],
                textposition=["middle left" if s == "left" else "middle right" for s in out["side"]],
                textfont={"size": font, "color": DARK},
                hoverinfo="skip",
                showlegend=False,
                name="label luar",
            )
        )
    return traces, placed.bounds


def choropleth(
    view: pd.DataFrame,
    classes: Classes,
    level: str,
    *,
    title: str,
    subtitle: str = "",
    legend_title: str,
    hover: list[str],
    labels: list[tuple[str, str]],
    context: dict | None = None,
    outline: dict | None = None,
    legend_present_only: bool = False,
    height: int = 720,
) -> go.Figure:
    """A classed choropleth: one colour per class, zero its own class, missing values grey.

    view needs columns kode and shown; hover gives one text per row of view, labels one
    (name, value) pair. context: a FeatureCollection drawn underneath in light grey (e.g. the
    rest of the city); outline: features drawn on top as a dark border. The view fits the
    areas and their labels. The legend lists every class (the same on every date), or with
    legend_present_only only the classes drawn.
    """
    view = view.reset_index(drop=True)
    shapes = geometry.subset(geometry.geojson(level), set(view["kode"]))
    cls = classes.assign(view["shown"].to_numpy())
    has = cls >= 0
    n = len(classes.colors)
    hover_arr = np.asarray(hover, dtype=object)
    white = {"color": "#ffffff", "width": 1.2}
    fig = go.Figure()
    if context is not None:
        codes = [f["id"] for f in context["features"]]
        fig.add_trace(_fill(context, codes, "#ececec", {"color": "#ffffff", "width": 1}, "sekitar"))
    scale = [[edge, c] for i, c in enumerate(classes.colors) for edge in (i / n, (i + 1) / n)]
    fig.add_trace(
        go.Choropleth(
            geojson=shapes,
            locations=view.loc[has, "kode"],
            z=cls[has] + 0.5,
            zmin=0,
            zmax=n,
            colorscale=scale,
            showscale=False,
            marker={"line": white},
            text=hover_arr[has],
            hovertemplate="%{text}<extra></extra>",
            name=legend_title,
        )
    )
    if (~has).any():
        fig.add_trace(
            _fill(
                shapes,
                list(view.loc[~has, "kode"]),
                MISSING_COLOR,
                white,
                t("map_figure.missing"),
                hover_arr[~has],
            )
        )
    if outline is not None:
        codes = [f["id"] for f in outline["features"]]
        fig.add_trace(_fill(outline, codes, "rgba(0,0,0,0)", {"color": "#222222", "width": 2.5}, "batas"))
    areas = geometry.boundaries(level).set_index("kode").loc[view["kode"]].reset_index()
    colors = [classes.colors[c] if c >= 0 else MISSING_COLOR for c in cls]
    traces, bounds = _labels(areas, colors, labels, level)
    fig.add_traces(traces)
    entries = [
        (classes.labels[i], classes.colors[i])
        for i in range(n)
        if (cls == i).any() or not legend_present_only
    ]
    if (~has).any():
        entries.append((t("map_figure.missing"), MISSING_COLOR))
    for rank, (name, color) in enumerate(entries):
        fig.add_trace(_legend_entry(name, color, rank))
    fig.update_geos(
        visible=False,
        projection_type="mercator",
        bgcolor="rgba(0,0,0,0)",
        lonaxis_range=[bounds[0], bounds[2]],
        lataxis_range=[bounds[1], bounds[3]],
    )
    fig.update_layout(
        title={
            "text": title,
            "subtitle": {"text": subtitle},
            "x": 0,
            "xanchor": "left",
            "font": {"size": 17},
        },
        height=height,
        margin={"l": 0, "r": 0, "t": 70, "b": 10},
        legend={
            "title": {"text": f"<b>{legend_title}</b>  ", "side": "left"},
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        clickmode="event+select",
        dragmode=False,
        annotations=[
            {
                "text": attribution(),
                "showarrow": False,
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 0,
                "xanchor": "right",
                "yanchor": "bottom",
                "font": {"size": 10, "color": "#777"},
            }
        ],
    )
    return fig
