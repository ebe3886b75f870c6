"""Area labels that do not collide: inside the area when the text fits, else a callout at the side.

A greedy placer: the largest areas are labelled first at their representative point; a label
that lies mostly outside its area or overlaps one already placed moves to a column left or
right of the map (the side whose leader line crosses fewer labels), joined to its area by a thin
line. Sizes are estimated from the plot size.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from shapely.geometry import LineString, box

PLOT_PX = (760, 560)  # the map's drawing area in pixels, roughly, on a wide page
CHAR_EM = 0.56  # average character width as a share of the font size
LINE_EM = 1.3
INSIDE_SHARE = 0.85  # a label stays inside when this share of its box lies in its area


@dataclass
class Placed:
    """Label positions, leader lines and the extent that shows areas and labels."""

    frame: pd.DataFrame  # kode, x, y, callout, side (one row per area, in the input order)
    bounds: tuple[float, float, float, float]


def _overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _scale(bounds: tuple[float, float, float, float]) -> float:
    """Pixels per degree when bounds fill the plot."""
    w, h = bounds[2] - bounds[0], bounds[3] - bounds[1]
    return min(PLOT_PX[0] / max(w, 1e-9), PLOT_PX[1] / max(h, 1e-9))


def _place(areas: pd.DataFrame, inside: list[list[str]], outside: list[str], font_px: float, scale: float):
    char_w, line_h = CHAR_EM * font_px / scale, LINE_EM * font_px / scale
    minx, miny, maxx, maxy = (
        areas["minx"].min(),
        areas["miny"].min(),
        areas["maxx"].max(),
        areas["maxy"].max(),
    )
    mid = (minx + maxx) / 2
    boxes: list[tuple] = []
    rows: dict[int, dict] = {}
    callouts = []
    for i in areas.sort_values("area", ascending=False).index:
        a = areas.loc[i]
        w = max(len(t) for t in inside[i]) * char_w
        h = len(inside[i]) * line_h
        bx = (a["lon"] - w / 2, a["lat"] - h / 2, a["lon"] + w / 2, a["lat"] + h / 2)
        share = a["geometry"].intersection(box(*bx)).area / (w * h)
        if share >= INSIDE_SHARE and not any(_overlaps(bx, b) for b in boxes):
            boxes.append(bx)
            rows[i] = {"x": a["lon"], "y": a["lat"], "callout": False, "side": ""}
        else:
            callouts.append(i)
    gap = 0.04 * (maxx - minx)
    column = {"left": minx - gap, "right": maxx + gap}

    def crossings(i: int, side: str) -> tuple[int, int]:
        a = areas.loc[i]
        line = LineString([(a["lon"], a["lat"]), (column[side], a["lat"])])
        hits = sum(line.intersects(box(*b)) for b in boxes)
        return hits, (a["lon"] < mid) == (side == "right")  # then prefer the nearer side

    sides = {i: min(("left", "right"), key=lambda side: crossings(i, side)) for i in callouts}
    extent = [minx, miny, maxx, maxy]
    for side, x in column.items():
        mine = sorted((i for i in callouts if sides[i] == side), key=lambda i: -areas.loc[i, "lat"])
        last = None
        for i in mine:
            y = areas.loc[i, "lat"] if last is None else min(areas.loc[i, "lat"], last - line_h * 1.1)
            last = y
            rows[i] = {"x": x, "y": y, "callout": True, "side": side}
            width = len(outside[i]) * char_w
            extent[0] = min(extent[0], x - width) if side == "left" else extent[0]
            extent[2] = max(extent[2], x + width) if side == "right" else extent[2]
            extent[1] = min(extent[1], y - line_h)
            extent[3] = max(extent[3], y + line_h)
    frame = pd.DataFrame([{"kode": areas.loc[i, "kode"], **rows[i]} for i in areas.index])
    return frame, tuple(extent)


def place(areas: pd.DataFrame, inside: list[list[str]], outside: list[str], font_px: float) -> Placed:
    """Where to put each area's label.

    areas: kode, lon, lat (representative point), minx, miny, maxx, maxy, area (any unit),
    geometry (lon/lat);
    inside: the lines of each label drawn in its area; outside: the one-line callout text.
    """
    areas = areas.reset_index(drop=True)
    bounds = (areas["minx"].min(), areas["miny"].min(), areas["maxx"].max(), areas["maxy"].max())
    frame, extent = _place(areas, inside, outside, font_px, _scale(bounds))
    frame, extent = _place(areas, inside, outside, font_px, _scale(extent))  # labels shrink the scale
    pad_x, pad_y = 0.02 * (extent[2] - extent[0]), 0.03 * (extent[3] - extent[1])
    return Placed(frame, (extent[0] - pad_x, extent[1] - pad_y, extent[2] + pad_x, extent[3] + pad_y))
