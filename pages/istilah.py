"""Istilah: what every figure in the app means, generated from the catalogue of measures."""

import pandas as pd
import streamlit as st

from analytics import measures, ui
from analytics.i18n import LANGUAGES, language, t, text
from analytics.store import settings

ui.require()
rule = settings.dtsen_rule(ui.store())  # who is on the list in a DTSEN snapshot
st.title(t("i15c.istilah_title"))
st.caption(t("i15c.istilah_caption"))
current = language()
for lang in [current, *(code for code in LANGUAGES if code != current)]:
    st.subheader(LANGUAGES[lang])
    rows = measures.glossary(lang)
    ui.dataframe(
        pd.DataFrame(
            {
                t("i15c.col_name"): [r["name"] for r in rows],
                t("i15c.col_definition"): [r["definition"] for r in rows],
                t("i15c.col_unit"): [r["unit"] for r in rows],
                t("i15c.col_query"): [r["query"] for r in rows],
            }
        ),
        key=f"istilah_{lang}",
    )
    st.markdown(f"**{measures.family_rule_heading(lang)}.** {measures.family_rule(lang)}")
    st.markdown(f"**{measures.dtsen_rule_heading(lang)}.** {measures.dtsen_rule(*rule, lang)}")
    # the marker every time chart draws where the registry changed (burndown.charts.mark_source_change)
    st.markdown(f"**{text(lang, 'd19.marker_heading')}.** {text(lang, 'd19.marker_glossary')}")
