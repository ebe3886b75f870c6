"""Colour classes for the maps: mapclassify breaks, a zero class of its own, legend labels
(in the current language).

Breaks are computed once over every value a map can show (all snapshot dates for one metric
and level), so the same colour means the same range on every date.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import mapclassify
import numpy as np
from plotly.colors import sample_colorscale

from analytics.i18n import t

SCHEMES: tuple[str, ...] = ("kuantil", "jenks", "tetap")  # labels: scheme.<key> in the locale files


def scheme_label(scheme: str) -> str:
    """The classing scheme's name in the current language."""
    return t(f"scheme.{scheme}")


K = 5
K_CHANGE = 3
ZERO_COLOR = "#e3efd9"  # pale green: nobody left on the list here
MISSING_COLOR = "#c8c8c8"  # grey: the value cannot be computed here
JENKS_SAMPLE = 300  # pure-python Fisher-Jenks is quadratic: classify evenly spaced quantiles above this


@dataclass(frozen=True)
class Classes:
    """Ordered colour classes (upper breaks, labels, colours); the last class is open-ended."""

    breaks: tuple[float, ...]
    labels: tuple[str, ...]
    colors: tuple[str, ...]

    def assign(self, values: np.ndarray) -> np.ndarray:
        """Class index per value: the first class whose upper break holds it; -1 for NaN."""
        values = np.asarray(values, dtype=float)
        idx = np.searchsorted(np.asarray(self.breaks), values, side="left")
        idx = np.minimum(idx, len(self.breaks) - 1)
        return np.where(np.isnan(values), -1, idx)


def nice_step(span: float, k: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) so that k steps cover span."""
    if span <= 0:
        return 1.0
    raw = span / k
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw - 1e-12)


def positive_breaks(values: np.ndarray, scheme: str, k: int, integer: bool) -> list[float]:
    """Upper breaks for the strictly positive values with the chosen mapclassify scheme."""
    y = np.sort(np.asarray(values, dtype=float))
    y = y[np.isfinite(y) & (y > 0)]
    if y.size == 0:
        return []
    distinct = max(1, min(k, np.unique(y).size))
    if scheme == "tetap":  # round steps over the range, however many distinct values there are
        step = nice_step(float(y.max()), k)
        bins = mapclassify.UserDefined(y, step * np.arange(1, math.ceil(y.max() / step - 1e-9) + 1)).bins
    elif scheme == "jenks":
        if y.size > JENKS_SAMPLE:
            y = np.quantile(y, np.linspace(0, 1, JENKS_SAMPLE), method="inverted_cdf")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed": fine at this size
            bins = mapclassify.FisherJenks(y, k=distinct).bins
    elif scheme == "kuantil":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ties give duplicate quantiles; removed below
            bins = mapclassify.Quantiles(y, k=distinct).bins
    else:
        raise KeyError(scheme)
    bins = np.floor(bins + 1e-9) if integer else np.asarray(bins, dtype=float)
    return [float(b) for b in np.unique(bins)]


def _ranges(breaks: list[float], first_lower: float, integer: bool) -> list[tuple[float, float]]:
    """(inclusive lower, upper) per class: integer classes start one above the previous break."""
    out = []
    lower = first_lower
    for b in breaks:
        out.append((lower, b))
        lower = b + 1 if integer else math.nextafter(b, math.inf)
    return out


def _label(lo: float, hi: float, fmt: Callable[[float], str]) -> str:
    return fmt(hi) if fmt(lo) == fmt(hi) else f"{fmt(lo)} – {fmt(hi)}"


@lru_cache(maxsize=64)
def _level_classes(
    values: tuple[float, ...],
    scheme: str,
    integer: bool,
    colorscale: str,
    fmt: Callable[[float], str],
    zero_label: str,
) -> Classes:
    y = np.asarray(values, dtype=float)
    breaks = positive_breaks(y, scheme, K, integer)
    positive = y[np.isfinite(y) & (y > 0)]
    first = 1.0 if integer else (float(positive.min()) if positive.size else 0.0)
    ranges = _ranges(breaks, first, integer)
    colors = sample_colorscale(colorscale, list(np.linspace(0.25, 1.0, len(ranges)))) if ranges else []
    return Classes(
        breaks=(0.0, *[hi for _, hi in ranges]),
        labels=(zero_label, *[_label(lo, hi, fmt) for lo, hi in ranges]),
        colors=(ZERO_COLOR, *colors),
    )


def level_classes(
    values: np.ndarray,
    scheme: str,
    integer: bool,
    colorscale: str,
    fmt: Callable[[float], str],
    zero_label: str | None = None,
) -> Classes:
    """Classes for a non-negative metric: zero is its own class, then up to K classes above it."""
    y = np.asarray(values, dtype=float)
    zero_label = t("metric.zero") if zero_label is None else zero_label  # '0 (nihil)' / in English
    return _level_classes(tuple(y[np.isfinite(y)].tolist()), scheme, integer, colorscale, fmt, zero_label)


def change_classes(
    values: np.ndarray, scheme: str, integer: bool, worse_up: bool, fmt: Callable[[float], str]
) -> Classes:
    """Diverging classes centred on zero: K_CHANGE mirrored classes each side of a zero class.

    worse_up: an increase is bad (more people left), so rises are red and falls blue (RdBu).
    """
    y = np.asarray(values, dtype=float)
    y = y[np.isfinite(y)]
    mags = np.abs(y[y != 0])
    breaks = positive_breaks(mags, scheme, K_CHANGE, integer)
    first = 1.0 if integer else (float(mags.min()) if mags.size else 0.0)
    ranges = _ranges(breaks, first, integer)
    n = len(ranges)
    neg = [(-hi, -lo) for lo, hi in reversed(ranges)]
    spans = [*neg, (0.0, 0.0), *ranges]
    scale = sample_colorscale("RdBu", list(np.linspace(0, 1, 2 * n + 1))) if n else ["rgb(247,247,247)"]
    if worse_up:
        scale = scale[::-1]  # RdBu runs red -> blue; rises must be red
    labels = [t("l17.class_down", range=_label(lo, hi, fmt)) for lo, hi in reversed(ranges)]
    labels += [t("l17.class_same"), *[t("l17.class_up", range=_label(lo, hi, fmt)) for lo, hi in ranges]]
    return Classes(
        breaks=tuple(hi for _, hi in spans),
        labels=tuple(labels),
        colors=tuple(scale),
    )
