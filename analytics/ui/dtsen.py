"""DTSEN on the pages: the list rule (Data page, DinsosPM edits it), the source format choice of a
registry import, and DinsosPM's extreme-poor flag on a family profile."""

from __future__ import annotations

import streamlit as st

from analytics import formatting as fmt
from analytics import i18n, measures
from analytics.access.auth import User
from analytics.i18n import t
from analytics.ingest import flags, formats
from analytics.store import audit, settings
from analytics.store.db import Store

AUTO = ""  # the format choice that detects the format from the header


def format_choice(key: str = "data_format") -> str | None:
    """The registry import's source format: None detects it ("Otomatis"), else a format's name."""
    choices = [AUTO, *sorted(formats.of_kind("registri"))]
    shown = i18n.texts(i18n.language())  # a format's label in the UI language when the locale has one
    # labels fixed now, in this run's language (a format_func calling t() later may run in another)
    labels = {AUTO: t("a19.format_auto")}
    labels |= {
        name: shown.get(f"a19.format_{name}", f.label) for name, f in formats.of_kind("registri").items()
    }
    picked = st.selectbox(t("a19.format_label"), choices, format_func=labels.get, key=key)
    return picked or None


def rule_text(store: Store) -> str:
    """Who is on the list in a DTSEN snapshot, by the city's setting."""
    desil_max, flagged = settings.dtsen_rule(store)
    return measures.dtsen_rule(desil_max, flagged)


def rule_section(store: Store, user: User) -> None:
    """The DTSEN list rule, and for DinsosPM a form to change it (desil 1-10, flagged on/off)."""
    st.markdown(f"**{measures.dtsen_rule_heading()}.** {rule_text(store)}")
    if user.kind != "dinsos":
        return
    if st.session_state.pop("data_dtsen_flash", None):
        st.success(t("a19.rule_saved"))
    desil_max, flagged = settings.dtsen_rule(store)
    low, high = settings.DTSEN_DESIL
    with st.expander(t("a19.rule_edit")), st.form("data_dtsen_rule"):
        new_max = st.number_input(
            t("a19.rule_desil"),
            min_value=low,
            max_value=high,
            value=desil_max,
            step=1,
            key="data_dtsen_desil",
        )
        new_flagged = st.checkbox(t("a19.rule_flagged"), value=flagged, key="data_dtsen_flagged")
        if st.form_submit_button(t("a19.rule_save")):
            try:
                settings.put_dtsen_rule(store, int(new_max), bool(new_flagged))
            except settings.SettingError as exc:
                st.error(str(exc))
                return
            detail = f"desil 1 s.d. {int(new_max)}; keluarga ditandai {'ya' if new_flagged else 'tidak'}"
            audit.log(store, user.name, user.role, "pengaturan", "dtsen_rule", detail=detail)
            st.session_state["data_dtsen_flash"] = True
            st.rerun()  # the rule above shows the new setting


def flag_section(store: Store, user: User, id_keluarga: str) -> None:
    """DinsosPM's extreme-poor flag on one family (nothing for other roles)."""
    if user.kind != "dinsos":
        return
    st.subheader(t("a19.flag_heading"))
    current = flags.flag_of(store, id_keluarga)
    if current is not None:
        st.caption(
            t(
                "a19.flag_on_since",
                by=fmt.md(current.ditandai_oleh),
                at=fmt.tanggal(current.ditandai_pada.date()),
            )
        )
    with st.form("keluarga_tanda"):
        on = st.checkbox(t("a19.flag_toggle"), value=current is not None, key="keluarga_tanda_on")
        note = st.text_input(
            t("a19.flag_note"),
            value=(current.catatan or "") if current else "",
            max_chars=flags.CATATAN_MAX,
            key="keluarga_tanda_catatan",
        )
        if st.form_submit_button(t("a19.flag_save")):
            try:
                flags.flag_family(store, user, id_keluarga, on, note)
            except flags.FlagRefused as exc:
                st.error(str(exc))
                return
            st.success(t("a19.flag_saved_on" if on else "a19.flag_saved_off", id=fmt.md(id_keluarga)))
