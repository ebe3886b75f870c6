"""Ways into the area profile (pages/wilayah.py) from other pages: a link, and a table row chosen."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.i18n import t

PROFILE_PAGE = "pages/wilayah.py"


def profile_link(code: str, label: str, container=st) -> None:
    """A link that opens the profile of one kecamatan or kelurahan (?kode= in the URL)."""
    container.page_link(
        PROFILE_PAGE,
        label=t("s3.open_profile", area=label),
        query_params={"kode": code},
        icon=":material/location_city:",
    )


def open_profile_on_select(table: pd.DataFrame, key: str) -> None:
    """Open the profile of the row chosen in a ranking table shown with `on_select` under `key`
    (the table's attrs['kode'] holds each row's area code, in shown order)."""
    state = st.session_state.get(key)
    rows = list(getattr(getattr(state, "selection", None), "rows", None) or [])
    if not rows and isinstance(state, dict):
        rows = list(state.get("selection", {}).get("rows", []))
    codes = table.attrs.get("kode", [])
    if rows and 0 <= rows[0] < len(codes):
        st.switch_page(PROFILE_PAGE, query_params={"kode": codes[rows[0]]})
