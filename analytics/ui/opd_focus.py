"""The OPD's own headline on a page (issue 16 item 5): the "Sorot OPD" choice and one OPD's figures
with the city's under each (data: analytics.opd.focus)."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics import formatting as fmt
from analytics import measures, ui
from analytics.access.auth import User
from analytics.i18n import t
from analytics.opd import focus as opd_focus
from analytics.opd.focus import Figures
from analytics.store.db import Store
from analytics.ui import view_state


def choose(store: Store, user: User, key: str, container=None) -> str | None:
    """The "Sorot OPD" select box (every OPD by its short catalogue name, or all OPDs); an OPD
    account starts on its own OPD. Returns the chosen OPD code or None."""
    names = {k: short for k, (_, short) in opd_focus.names(store).items()}
    choices = [None, *names]
    mine = opd_focus.default_focus(user)
    return view_state.selectbox(
        t("intervensi.focus"),
        choices,
        "opd",  # in the link, and kept across pages (Ringkasan, Intervensi) for the session
        container=container,
        default=mine if mine in names else None,
        format_func={None: t("intervensi.all_opd"), **names}.get,
        key=key,
    )


def _shown(measure_id: str, figures: Figures, attribute: str) -> str:
    value = getattr(figures, attribute)
    if measure_id == "persen_keluarga_terjangkau":
        return "–" if value is None else fmt.percent(value)
    if measure_id == "hari_sejak_data_opd":
        return t("s4.no_data") if value is None else t("s4.n_days", n=fmt.number(value))
    return fmt.number(value)


def headline(store: Store, kode_opd: str | None, as_of: date | None) -> bool:
    """Show the OPD's headline figures with the city's under each; False (and nothing shown, or a
    warning for an OPD missing from the catalogue) when there is no OPD to show."""
    if kode_opd is None or as_of is None:
        return False
    focus = opd_focus.focus(store, kode_opd, as_of)
    if focus is None:
        st.warning(t("s4.unknown_opd"), icon="⚠️")
        return False
    st.subheader(t("s4.headline", opd=focus.title), anchor=False)
    for column, (measure_id, attribute) in zip(
        st.columns(len(opd_focus.HEADLINE)), opd_focus.HEADLINE, strict=True
    ):
        ui.metric(
            column,
            measures.label(measure_id),
            _shown(measure_id, focus.opd, attribute),
            t("s4.city", value=_shown(measure_id, focus.city, attribute)),
            delta_color="off",
            delta_arrow="off",
            help=measures.MEASURES[measure_id].definition(),
        )
    st.caption(t("s4.headline_caption", opd=focus.singkatan, date=fmt.tanggal(as_of)))
    return True
