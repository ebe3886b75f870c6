"""One rule for the value labels of every bar chart (bars and waterfalls), applied by `fit`:

- labels are never turned: `textangle=0`; only labels inside a bar are shrunk to the bar;
- a label asked to sit inside a bar goes outside when the bar is too small for it (`auto`);
- labels outside the bars are not clipped (`cliponaxis=False`) and the value axis leaves room for the
  longest one past the longest bar, so "1.012" is not cut at the plot's edge;
- in a chart with bar labels, reference lines (shapes) are drawn below the bars and their labels
  (`layer="below"`).

Plotly only: this sits in the lowest layer so every chart module can use it.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

BAR_TYPES = ("bar", "waterfall")
MIN_ROOM = 0.15  # at least 15 % past the longest bar
CHAR_SHARE = 0.017  # the share of a plot's width one label character takes (about 11 px of 650 px)
OUTSIDE = ("outside", "auto")


def _axis_key(ref: str | None, letter: str) -> str:
    """'x2' -> 'xaxis2' (the layout key of a trace's axis)."""
    ref = ref or letter
    return f"{letter}axis{ref[1:]}"


def _numbers(values: Sequence | None) -> list[float]:
    out = []
    for v in values if values is not None else ():
        try:
            f = float(v)
        except (TypeError, ValueError):
            continue
        if f == f:  # not NaN
            out.append(f)
    return out


def _extent(trace) -> tuple[float, float]:
    """Lowest and highest value a trace's bars reach on their value axis."""
    horizontal = trace.orientation == "h"
    values = _numbers(trace.x if horizontal else trace.y)
    if trace.type == "waterfall":
        running, ends = 0.0, []
        measures = list(trace.measure or ["relative"] * len(values))
        for v, m in zip(values, measures, strict=False):
            running = v if m == "absolute" else (running if m == "total" else running + v)
            ends.append(running)
        values = ends
    return (min([0.0, *values]), max([0.0, *values]))


def _longest(trace) -> int:
    texts = trace.text if isinstance(trace.text, (list, tuple)) else [trace.text]
    return max((len(str(s)) for s in texts if s is not None), default=0)


def room(chars: int) -> float:
    """How far past the longest bar (as a share of it) the axis must reach for a label of `chars`."""
    share = min(0.6, CHAR_SHARE * (chars + 1))
    return max(MIN_ROOM, share / (1 - share))


def fit(fig: go.Figure) -> go.Figure:
    """Apply the rule above to every bar and waterfall trace with labels, and to the figure's shapes."""
    need: dict[str, tuple[float, float]] = {}
    labelled = [tr for tr in fig.data if tr.type in BAR_TYPES and tr.text is not None]
    for trace in labelled:
        trace.textangle = 0
        trace.constraintext = "inside"
        if trace.textposition == "inside" or trace.textposition is None:
            trace.textposition = "auto"
        if trace.textposition not in OUTSIDE:
            continue
        trace.cliponaxis = False
        horizontal = trace.orientation == "h"
        key = _axis_key(trace.xaxis if horizontal else trace.yaxis, "x" if horizontal else "y")
        low, high = _extent(trace)
        extra = room(_longest(trace)) if horizontal else MIN_ROOM  # vertical labels need one line
        top = high + (high - min(low, 0)) * extra if high > 0 else 0.0
        bottom = low - (max(high, 0) - low) * extra if low < 0 else 0.0
        was = need.get(key, (0.0, 0.0))
        need[key] = (min(was[0], bottom), max(was[1], top))
    for key, (bottom, top) in need.items():
        axis = fig.layout[key]
        lo, hi = (list(axis.range) if axis.range is not None else [bottom, top])[:2]
        if axis.type in ("log", "date", "category") or top == bottom:
            continue
        axis.range = [min(lo, bottom), max(hi, top)]
    for shape in fig.layout.shapes if labelled else ():
        shape.layer = "below"
    return fig
