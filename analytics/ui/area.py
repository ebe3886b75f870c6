"""Ways into the area profile (pages/wilayah.py) from other pages: a link, and a table row chosen."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from analytics.i18n import t

PROFILE_PAGE = "pages/wilayah.py"


def link(page: str, label: str, icon: str, query_params: dict | None = None, container=st) -> None:
    """st.page_link to another page of the app; a page run on its own (an AppTest of one page
    file, where no navigation lists the other pages) shows the label as text instead."""
    try:
        container.page_link(page, label=label, icon=icon, query_params=query_params)
    except StreamlitAPIException:
        container.caption(label)


def profile_link(code: str, label: str, container=st) -> None:
    """A link that opens the profile of one kecamatan or kelurahan (?kode= in the URL)."""
    link(
        PROFILE_PAGE, t("s3.open_profile", area=label), ":material/location_city:", {"kode": code}, container
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
        try:
            st.switch_page(PROFILE_PAGE, query_params={"kode": codes[rows[0]]})
        except StreamlitAPIException:  # a page run on its own: no navigation to switch in
            st.caption(t("s3.open_profile", area=codes[rows[0]]))
