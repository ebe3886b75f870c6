"""Small-cell suppression for roles without named access, the way statistical offices do it.

Primary suppression: every count from 1 to 4 is hidden ('<5' in tables, a gap in charts).
Complementary suppression: a hidden cell must not come back by subtraction. Every row or
column whose total is shown or known (a total column, a total row, or the city figure shown on
the same page) is a linear relation; while some hidden cell of a relation is pinned to one value
by it (one hidden cell, or hidden cells whose bounds leave one value), the smallest non-zero
shown cell of that relation is hidden too ('x'). Values derived from a hidden count (percent,
share, rate, rank, change) are hidden with it. Zero stays zero.

One decision per role: `for_role(user)` returns the Policy every table, figure, metric and
download builder takes; DinsosPM and OPD roles get EXACT (no change), the rest SUPPRESSED.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from itertools import combinations

import pandas as pd
import plotly.graph_objects as go

from analytics.i18n import t

THRESHOLD = 5
SMALL = "<5"  # a count from 1 to 4
HIDDEN = "x"  # a cell hidden so that a small count cannot be derived (or derived from one)
_INT = re.compile(r"[−+-]?\d{1,3}(\.\d{3})*|[−+-]?\d+")
_DEC = re.compile(r"[−+-]?(\d{1,3}(\.\d{3})*|\d+),\d+%?|[−+-]?\d+%")
# a standalone small integer inside free text; not part of a larger number, a decimal or a date
_SMALL_IN_TEXT = re.compile(
    r"(?<![\d.,:/\w])([1-4])(?![\d%:/]|[.,]\d)(?!\s*(?:jan|feb|mar|apr|mei|may|jun|jul|agu|aug|sep|okt|oct|nov|des|dec)\w*)",
    re.IGNORECASE,
)
# plotly trace fields that hold values (not positions)
_VALUE_FIELDS = ("z", "values", "customdata")
_TEXT_FIELDS = ("text", "hovertext")


def non_count_columns() -> set[str]:
    """Headers of integer columns that are not counts of people or families (ranks, positions)."""
    return {t("maps.rank"), t("pack.col_no")}


def rank_columns() -> set[str]:
    """Headers of rank columns: derived from the row's counts, hidden when one of them is."""
    return {t("maps.rank")}


@dataclass(frozen=True)
class Spec:
    """What a table's columns are: counts, sums across a row, and values derived from counts.

    counts: the count columns. sums: (total column, its part columns) that add up in every row.
    derived: column -> the count columns it is computed from (percent, rate, rank, change).
    column_totals: each count column's total is known (shown in the table or elsewhere).
    total_rows: positions of rows that are the sum of the other rows.
    """

    counts: tuple[str, ...]
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    derived: dict[str, tuple[str, ...]] = field(default_factory=dict)
    column_totals: bool = True
    total_rows: tuple[int, ...] = ()


@dataclass
class _Relation:
    """sum(coef * value) over cells == known; cells are (row position, column) pairs."""

    cells: list[tuple[int, str]]
    coefs: list[int]
    known: float


def parse(value: object) -> tuple[float | None, str]:
    """(number, kind) of one cell: kind 'count' (an integer), 'derived' (a decimal, percent or
    signed change), 'small' (already '<5'), 'hidden' (already 'x') or 'other'."""
    if value is None or value is pd.NA:
        return None, "other"
    if isinstance(value, bool):
        return None, "other"
    if isinstance(value, int):
        return float(value), "count"
    if isinstance(value, float):
        if math.isnan(value):
            return None, "other"
        return value, "count" if value.is_integer() else "derived"
    if hasattr(value, "dtype") and pd.api.types.is_number(value):
        return parse(value.item())
    if not isinstance(value, str):
        return None, "other"
    text = value.strip()
    if text == SMALL:
        return None, "small"
    if text == HIDDEN:
        return None, "hidden"
    if _INT.fullmatch(text):
        number = float(text.replace(".", "").replace("−", "-"))
        signed = text[0] in "+−-"
        return number, "derived" if signed else "count"
    if _DEC.fullmatch(text):
        number = float(text.rstrip("%").replace(".", "").replace(",", ".").replace("−", "-"))
        return number, "derived"
    return None, "other"


def _cells(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    values = pd.DataFrame(index=range(len(df)), columns=list(df.columns), dtype=float)
    kinds = pd.DataFrame(index=range(len(df)), columns=list(df.columns), dtype=object)
    for col in df.columns:
        parsed = [parse(v) for v in df[col].tolist()]
        values[col] = [p[0] if p[0] is not None else math.nan for p in parsed]
        kinds[col] = [p[1] for p in parsed]
    return values, kinds


def infer(df: pd.DataFrame) -> Spec:
    """A Spec read from the table itself: integer columns are counts, decimal, percent and signed
    columns derived from the row's counts; every column sum that holds in all rows is a relation."""
    values, kinds = _cells(df)
    skip = non_count_columns()
    counts, derived = [], {}
    for col in df.columns:
        k = set(kinds[col]) - {"other"}
        if not k or col in skip:
            continue
        if k <= {"count", "small", "hidden"} and "%" not in str(col):
            counts.append(col)
        else:
            derived[col] = ()
        if pd.api.types.is_float_dtype(df[col]):
            derived[col] = ()  # a float column may be a count or a share: treat it as both
    for col in rank_columns() & set(df.columns):
        derived[col] = ()
    derived = {col: tuple(c for c in counts if c != col) for col in derived}
    sums = _row_sums(values, counts) if len(df) else ()
    total_rows = _total_rows(values, counts)
    return Spec(tuple(counts), sums, derived, True, total_rows)


def _row_sums(values: pd.DataFrame, counts: list[str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(total, parts) for every count column that equals the sum of 2–4 other count columns."""
    full = [c for c in counts if values[c].notna().all()]
    if len(full) < 3:
        return ()
    found = []
    for total in full:
        others = [c for c in full if c != total]
        for size in range(2, min(4, len(others)) + 1):
            for parts in combinations(others, size):
                if (values[list(parts)].sum(axis=1) == values[total]).all():
                    found.append((total, parts))
    return tuple(found)


def _total_rows(values: pd.DataFrame, counts: list[str]) -> tuple[int, ...]:
    """Rows whose counts are the sums of all the other rows (a 'Jumlah' row)."""
    if len(values) < 3 or not counts:
        return ()
    block = values[counts]
    sums = block.sum(axis=0)
    return tuple(
        i
        for i in range(len(block))
        if block.iloc[i].notna().all() and (block.iloc[i] * 2 == sums).all() and block.iloc[i].sum() > 0
    )


def _relations(values: pd.DataFrame, spec: Spec) -> list[_Relation]:
    rels = []
    for r in range(len(values)):
        for total, parts in spec.sums:
            rels.append(_Relation([(r, total), *((r, p) for p in parts)], [-1] + [1] * len(parts), 0.0))
    if spec.column_totals:
        rows = [r for r in range(len(values)) if r not in spec.total_rows]
        for col in spec.counts:
            cells = [(r, col) for r in rows]
            known = float(values[col].iloc[rows].sum())
            rels.append(_Relation(cells, [1] * len(cells), known))
            for tr in spec.total_rows:
                rels.append(_Relation([(tr, col), *cells], [-1] + [1] * len(cells), 0.0))
    return rels


def _bounds(state: int, value: float) -> tuple[float, float]:
    """What a reader knows of a hidden cell: '<5' is 1–4, 'x' is any count (5 or more when it
    replaced a shown count, but a reader cannot rely on that); a reader may know its sign."""
    lo, hi = (1.0, 4.0) if state == 1 else (1.0, math.inf)
    return (-hi, -lo) if value < 0 else (lo, hi)


def _pinned(rel: _Relation, values: pd.DataFrame, state: dict) -> bool:
    """Whether some hidden cell of the relation has exactly one possible value."""
    hidden = [(c, a) for c, a in zip(rel.cells, rel.coefs, strict=True) if state.get(c)]
    if not hidden:
        return False
    rest = rel.known
    for c, a in zip(rel.cells, rel.coefs, strict=True):
        if not state.get(c):
            v = values.at[c[0], c[1]]
            if math.isnan(v):
                return False  # an unknown shown cell: the relation gives nothing away
            rest -= a * v
    lo_hi = []
    for c, a in hidden:
        lo, hi = _bounds(state[c], values.at[c[0], c[1]])
        lo_hi.append((a * lo, a * hi) if a > 0 else (a * hi, a * lo))
    for i in range(len(hidden)):
        others_lo = sum(x[0] for j, x in enumerate(lo_hi) if j != i)
        others_hi = sum(x[1] for j, x in enumerate(lo_hi) if j != i)
        low, high = max(lo_hi[i][0], rest - others_hi), min(lo_hi[i][1], rest - others_lo)
        if math.isfinite(low) and low == high:
            return True
    return False


def suppress_cells(df: pd.DataFrame, spec: Spec | None = None) -> dict[tuple[int, str], int]:
    """The hidden cells of a table: (row position, column) -> 1 for primary, 2 for the others."""
    spec = spec or infer(df)
    values, kinds = _cells(df)
    state: dict[tuple[int, str], int] = {}
    for col in spec.counts:
        for r in range(len(df)):
            v, k = values.at[r, col], kinds.at[r, col]
            if k == "small" or (not math.isnan(v) and 1 <= abs(v) < THRESHOLD):
                state[(r, col)] = 1
            elif k == "hidden":
                state[(r, col)] = 2
    rels = _relations(values, spec)
    changed = True
    while changed:
        changed = False
        for rel in rels:
            if not _pinned(rel, values, state):
                continue
            shown = [c for c in rel.cells if not state.get(c) and values.at[c[0], c[1]] != 0]
            if not shown:
                continue  # every other cell is zero: the known total itself is the count
            state[min(shown, key=lambda c: (abs(values.at[c[0], c[1]]), c[0]))] = 2
            changed = True
    for col, sources in spec.derived.items():
        for r in range(len(df)):
            if any(state.get((r, s)) for s in sources) and kinds.at[r, col] != "other":
                state[(r, col)] = 2
    return state


def suppress(df: pd.DataFrame, spec: Spec | None = None) -> pd.DataFrame:
    """The table with primary cells as '<5' and complementary or derived cells as 'x'."""
    state = suppress_cells(df, spec)
    out = df.reset_index(drop=True).astype(object)
    for (r, col), s in state.items():
        out.iat[r, out.columns.get_loc(col)] = SMALL if s == 1 else HIDDEN
    out.index = df.index
    out.attrs = dict(df.attrs)
    return out


def scrub_text(text: str) -> str:
    """Free text (a chart label or hover) with standalone counts 1–4 written '<5'."""
    return _SMALL_IN_TEXT.sub(SMALL, text)


def _small(v: object) -> bool:
    return (
        isinstance(v, int | float)
        and not isinstance(v, bool)
        and 1 <= abs(v) < THRESHOLD
        and float(v).is_integer()
    )


def _scrub_values(data: object) -> object:
    """Numbers 1–4 (whole) in a value array become None (a gap), at any nesting depth."""
    if isinstance(data, list | tuple):
        return [_scrub_values(v) for v in data]
    if hasattr(data, "tolist"):
        return _scrub_values(data.tolist())
    if isinstance(data, str):
        return scrub_text(data)
    return None if _small(data) else data


def _value_axis(trace: go.BaseTraceType) -> str | None:
    kind = trace.type
    if kind in ("bar", "waterfall", "funnel", "histogram"):
        return "x" if getattr(trace, "orientation", None) == "h" else "y"
    if kind in ("scatter", "scattergl"):
        return "y"
    return None


@dataclass(frozen=True)
class Policy:
    """What a role may see of small counts: `suppress` False keeps every number exact."""

    suppress: bool

    def table(self, df: pd.DataFrame, spec: Spec | None = None) -> pd.DataFrame:
        """The table as this role may see it."""
        return suppress(df, spec) if self.suppress and len(df) else df

    def figure(self, fig: go.Figure) -> go.Figure:
        """The figure with counts 1–4 as gaps and '<5' labels (a waterfall also hides a second step)."""
        if not self.suppress:
            return fig
        fig = go.Figure(fig)
        for trace in fig.data:
            axis = _value_axis(trace)
            fields = [
                f for f in (axis, *_VALUE_FIELDS, *_TEXT_FIELDS) if f and getattr(trace, f, None) is not None
            ]
            if trace.type == "waterfall" and axis:
                hidden = waterfall_hidden(list(trace[axis]), list(trace.measure or []))
                for name in fields:
                    if isinstance(trace[name], list | tuple) and len(trace[name]) == len(trace[axis]):
                        mark = None if name == axis else SMALL
                        trace[name] = [mark if i in hidden else v for i, v in enumerate(trace[name])]
            for name in fields:
                trace[name] = _scrub_values(trace[name])
            if fig.layout.title and fig.layout.title.text:
                fig.layout.title.text = scrub_text(fig.layout.title.text)
        return fig

    def steps(self, values: list, measure: list) -> set[int]:
        """Positions of a waterfall's steps this role may not see."""
        return waterfall_hidden(values, measure) if self.suppress else set()

    def parts(self, values: dict[str, int], total: str, also: set[str] = frozenset()) -> set[str]:
        """Keys of a whole and its parts (values[total] = sum of the others) this role may not
        see; `also` are parts hidden elsewhere on the page (a chart of the same figures)."""
        if not self.suppress:
            return set()
        names = list(values)
        row = pd.DataFrame([{k: (SMALL if k in also else v) for k, v in values.items()}])
        spec = Spec(tuple(names), ((total, tuple(k for k in names if k != total)),), column_totals=False)
        return {col for (_r, col) in suppress_cells(row, spec)}

    def number(self, value: float | int | None, text: str) -> str:
        """A shown count: '<5' for 1–4 when suppressed, else its formatted text."""
        return SMALL if self.suppress and value is not None and _small(value) else text

    def hidden(self, value: float | int | None) -> bool:
        """Whether a count is hidden for this role (values derived from it go too)."""
        return self.suppress and value is not None and _small(value)

    def text(self, text: str | None) -> str | None:
        """Free text (a metric value or delta) with standalone counts 1–4 as '<5'."""
        return scrub_text(text) if self.suppress and isinstance(text, str) else text

    def metric(self, args: dict) -> dict:
        """st.metric keyword arguments with a small value hidden, and its delta with it."""
        if not self.suppress:
            return args
        out = dict(args)
        value = out.get("value")
        if isinstance(value, str) and scrub_text(value) != value:
            out["value"] = scrub_text(value)
            if out.get("delta") is not None:  # nor the direction of the hidden change
                out.update(delta=HIDDEN, delta_color="gray", delta_arrow="off")
        elif out.get("delta") is not None:
            out["delta"] = self.text(str(out["delta"]))
        return out


def waterfall_hidden(values: list, measure: list) -> set[int]:
    """Positions of a waterfall's small steps, plus the steps that would give one back as the
    difference between its shown totals (start + steps = end)."""
    measure = measure or ["absolute"] + ["relative"] * (len(values) - 2) + ["total"]
    frame = pd.DataFrame(
        {"v": [v if m == "relative" else math.nan for v, m in zip(values, measure, strict=True)]}
    )
    steps = [i for i, m in enumerate(measure) if m == "relative"]
    shown = frame.iloc[steps].reset_index(drop=True)
    state = suppress_cells(shown, Spec(("v",)))
    return {steps[r] for (r, _c) in state}


EXACT = Policy(False)
SUPPRESSED = Policy(True)


def for_role(who: object) -> Policy:
    """The one place a role decides: named-record roles (DinsosPM, OPD) see exact numbers;
    the mayor, admin, an unknown or missing role see suppressed ones."""
    from analytics.access import auth

    if isinstance(who, auth.User):
        return EXACT if who.sees_named_records else SUPPRESSED
    if isinstance(who, str):
        return EXACT if auth.User("?", who).sees_named_records else SUPPRESSED
    return SUPPRESSED


def exposed(exact: pd.DataFrame, hidden: set[tuple[int, str]], spec: Spec | None = None) -> list:
    """Hidden cells a reader could work out: the relations of the exact table (and a shown
    total) that pin one of the `hidden` (row position, column) cells to a single value."""
    spec = spec or infer(exact)
    values, kinds = _cells(exact.reset_index(drop=True))
    state = {
        c: (1 if kinds.at[c[0], c[1]] == "count" and 1 <= abs(values.at[c[0], c[1]]) < THRESHOLD else 2)
        for c in hidden
    }
    return [rel.cells for rel in _relations(values, spec) if _pinned(rel, values, state)]
