"""The view lives in the URL: filters read from and written to st.query_params, and shared by name
across the pages of a session.

Each filter has a URL name (`param`: "kec", "kel", "tanggal", "ukuran", …). Its widget keeps the
page's own key, and the choice is also kept in the session under the URL name, so a kecamatan chosen
on Laju penurunan is still chosen on Peta and Perubahan, and again on coming back (Streamlit drops a
widget's state when its page is left, and clears the query on a page switch).

Where a filter's value comes from, first match wins:
1. the widget, when the user (or a page's callback) changed it in this run;
2. the URL, when it names one of the options (a copied link, a reload);
3. the session's kept choice (another page, or this page earlier);
4. the default.
A value in the URL that is not one of the options is ignored: the default, never a traceback.
The chosen value is written back to the URL (left out when it is the default, to keep links short).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import streamlit as st

from analytics.i18n import language

KEPT = "view_kept_"  # session key prefix: the choice for a URL name, kept across pages
SHOWN = "view_shown_"  # session key prefix: the value a widget key was last drawn with
LANGUAGE = "view_lang_"  # session key prefix: the language a widget key was last drawn in
_FIRST = object()  # default: the first option
_MISSING = object()
SWITCH = [False, True]  # a toggle's options


def code(value: object) -> str:
    """How a value is written in the URL: ISO dates, 'a~b' for a range (or a pair), '' for None,
    '1'/'0' for a switch, else str()."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return "~".join(code(v) for v in value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _valid(value: object, options: Sequence, pair: bool) -> bool:
    try:
        if pair:
            return (
                isinstance(value, tuple)
                and len(value) == 2
                and all(v in options for v in value)
                and options.index(value[0]) <= options.index(value[1])
            )
        return value in options
    except (TypeError, ValueError):
        return False


def _from_url(param: str, options: Sequence, pair: bool) -> Any:
    raw = st.query_params.get(param)
    if raw is None:
        return _MISSING
    codes = {code(o): o for o in options}
    if pair:
        parts = raw.split("~")
        value = tuple(codes[p] for p in parts if p in codes) if len(parts) == 2 else None
    else:
        value = codes.get(raw, _MISSING)
    return value if _valid(value, options, pair) else _MISSING


def seed(param: str, options: Sequence, *, key: str | None = None, default: Any = _FIRST, pair: bool = False):
    """Put the filter's value (widget, URL, session, default: see the module) under the widget key
    before the widget is drawn; returns the value (None when there are no options)."""
    options = list(options)
    key = key or f"view_{param}"
    if not options:
        return None
    if default is _FIRST or not _valid(default, options, pair):
        default = (options[0], options[-1]) if pair else options[0]
    now = st.session_state.get(key, _MISSING)
    changed = now is not _MISSING and now != st.session_state.get(SHOWN + key, _MISSING)
    if changed and _valid(now, options, pair):
        value = now
    else:
        value = _from_url(param, options, pair)
        if value is _MISSING:
            kept = st.session_state.get(KEPT + param, _MISSING)
            value = kept if _valid(kept, options, pair) else default
    # A widget shows its option's text (dates: '31 Mei 2023' / '31 May 2023'); after a language switch
    # the browser would keep the old text unless the value is set again, which sends the new text.
    relabel = st.session_state.get(LANGUAGE + key, language()) != language()
    if now is _MISSING or now != value or relabel:
        st.session_state[key] = value
    st.session_state[LANGUAGE + key] = language()
    return value


def keep(param: str, value: object, default: object, key: str | None = None) -> None:
    """Remember a drawn filter's value for the other pages and write it to the URL."""
    key = key or f"view_{param}"
    st.session_state[SHOWN + key] = value
    st.session_state[KEPT + param] = value
    if value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != code(value):
        st.query_params[param] = code(value)


def _widget(kind: str, label: str, options: Sequence, param: str, container, key, default, pair=False, **kw):
    options = list(options)
    key = key or f"view_{param}"
    seed(param, options, key=key, default=default, pair=pair)
    draw = getattr(container or st, kind)
    if kind == "selectbox" and None in options and "format_func" in kw:
        # Streamlit draws a None choice as its placeholder ("Choose an option", in English): show the
        # choice's own label ("Seluruh kota", "Semua OPD") instead
        kw.setdefault("placeholder", kw["format_func"](None))
    chosen = draw(label, key=key, **kw) if kind == "toggle" else draw(label, options, key=key, **kw)
    if options:
        if default is _FIRST or not _valid(default, options, pair):
            default = (options[0], options[-1]) if pair else options[0]
        keep(param, chosen, default, key)
    return chosen


def selectbox(label: str, options: Sequence, param: str, *, container=None, key=None, default=_FIRST, **kw):
    """st.selectbox whose choice lives in the URL under `param` and is shared across pages."""
    return _widget("selectbox", label, options, param, container, key, default, **kw)


def radio(label: str, options: Sequence, param: str, *, container=None, key=None, default=_FIRST, **kw):
    """st.radio whose choice lives in the URL under `param` and is shared across pages."""
    return _widget("radio", label, options, param, container, key, default, **kw)


def select_slider(
    label: str, options: Sequence, param: str, *, container=None, key=None, default=_FIRST, pair=False, **kw
):
    """st.select_slider (one value, or a (from, to) pair) whose choice lives in the URL under `param`.

    The default of a single value is the first option; of a pair, (first, last)."""
    return _widget("select_slider", label, options, param, container, key, default, pair=pair, **kw)


def toggle(label: str, param: str, *, container=None, key=None, default: bool = False, **kw) -> bool:
    """st.toggle whose state lives in the URL under `param` ('1' when on; left out when it is the
    default, off unless told). A page that lays itself out by the switch before drawing it calls
    seed(param, SWITCH, key=key, default=default) first."""
    return _widget("toggle", label, SWITCH, param, container, key, default, **kw)


def tabs(labels: Sequence[str], param: str, *, key: str):
    """st.tabs whose open tab lives in the URL under `param` (as its position, so a link opens the
    same tab in either language) and is kept for the session; a click on a tab reruns the page."""
    labels = list(labels)
    positions = [str(i) for i in range(len(labels))]
    now = st.session_state.get(key)
    if now in labels and now != st.session_state.get(SHOWN + key):
        chosen = str(labels.index(now))  # clicked in this run
    elif st.query_params.get(param) in positions:
        chosen = st.query_params[param]
    elif st.session_state.get(KEPT + param) in positions:
        chosen = st.session_state[KEPT + param]
    else:
        chosen = "0"
    label = labels[int(chosen)]
    if key in st.session_state:
        st.session_state[key] = label
        made = st.tabs(labels, key=key, on_change="rerun")
    else:
        made = st.tabs(labels, default=label, key=key, on_change="rerun")
    keep(param, chosen, "0", key)
    st.session_state[SHOWN + key] = label
    return made
