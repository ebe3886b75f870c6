"""Nol Ekstrem: the router and sign-in gate. A visitor who has not signed in sees only Masuk."""

import streamlit as st

from analytics import config, i18n, ui
from analytics import formatting as fmt
from analytics.i18n import t
from analytics.opd import focus
from analytics.store import permissions
from analytics.ui import view_state

permissions.private_umask()  # every runtime file this process creates is 0600, its folders 0700

# The language for this run comes from the sidebar toggle below (Indonesian by default), or the link.
view_state.seed("bahasa", list(i18n.LANGUAGES), key=i18n.SESSION_KEY)
i18n.set_language(st.session_state.get(i18n.SESSION_KEY))
st.set_page_config(
    page_title=t("app.page_title"),
    page_icon=str(config.ROOT / "data" / "favicon.png"),
    layout="wide",
)

EVERYONE = {"walikota", "dinsos", "opd", "kecamatan", "kelurahan", "admin"}
# (page, the role kinds that may open it); each page checks its role again itself.
PAGES = [
    (st.Page("pages/ringkasan.py", title=t("nav.ringkasan"), url_path="ringkasan", default=True), EVERYONE),
    (st.Page("pages/burndown.py", title=t("nav.burndown"), url_path="burndown"), EVERYONE),
    (st.Page("pages/perubahan.py", title=t("nav.perubahan"), url_path="perubahan"), EVERYONE),
    (st.Page("pages/peta.py", title=t("nav.peta"), url_path="peta"), EVERYONE),
    (st.Page("pages/wilayah.py", title=t("s3.nav"), url_path="wilayah"), EVERYONE),
    (st.Page("pages/intervensi_opd.py", title=t("nav.intervensi"), url_path="intervensi"), EVERYONE),
    (st.Page("pages/rapat.py", title=t("nav.rapat"), url_path="rapat"), EVERYONE),
    (
        st.Page("pages/verifikasi.py", title=t("b19.nav"), url_path="verifikasi"),
        {"dinsos", "kecamatan", "kelurahan", "walikota"},
    ),
    (st.Page("pages/data_impor.py", title=t("nav.data"), url_path="data"), {"dinsos"}),
    (st.Page("pages/audit.py", title=t("nav.audit"), url_path="audit"), {"dinsos", "admin"}),
    (st.Page("pages/admin.py", title=t("nav.admin"), url_path="admin"), {"admin"}),
]
# The glossary, one click from every page: in the navigation and linked from the sidebar.
ISTILAH = st.Page("pages/istilah.py", title=t("i15c.istilah_title"), url_path="istilah")
PAGES.append((ISTILAH, EVERYONE))
# The family profile (issue 16), for roles that may see named records; opened by the sidebar search.
KELUARGA = st.Page("pages/keluarga.py", title=t("s2.nav"), url_path="keluarga")

with st.sidebar:
    view_state.radio(
        t("app.language"),
        list(i18n.LANGUAGES),
        "bahasa",
        key=i18n.SESSION_KEY,
        format_func=i18n.LANGUAGES.get,
        horizontal=True,
    )
    ui.keep_filter_bar(st.container())  # the filters every page shares, above the account block
store = ui.store(building=ui.PASS)  # the sign-in page shows a first-run build's progress, pages wait for it
with ui.store_errors():
    ui.oidc_user(store)
user = ui.current_user()
ui.session_cookie_sync(user)
if user is None:
    # Every page's address opens the sign-in form and keeps its path and query: after sign-in the
    # same page opens with the same view (and no "page not found" before it).
    masuk = [st.Page("pages/masuk.py", title=t("nav.masuk"), url_path="masuk", default=True)]
    masuk += [
        st.Page("pages/masuk.py", title=t("nav.masuk"), url_path=p.url_path)
        for p in [*(page for page, _ in PAGES), KELUARGA]
        if p.url_path
    ]
    with ui.store_errors():
        st.navigation(masuk, position="hidden").run()
    st.stop()

ui.inbox_news(store, user)
PAGES.append((KELUARGA, {user.kind} if user.sees_named_records else set()))
# A role of no known kind (a mistyped OPD or area) opens one page that says so (fail closed).
refused = st.Page(ui.role_refused, title=t("s3.refused_title"), url_path="peran")
navigation = st.navigation([page for page, kinds in PAGES if user.kind in kinds] or [refused])
with st.sidebar:
    ui.family_search(store, user, KELUARGA)
    st.page_link(ISTILAH, label=t("i15c.istilah_link"), icon=":material/menu_book:")
    st.caption(t("app.signed_in_as", name=fmt.md(user.name), role=fmt.md(focus.role_label(store, user.role))))
    if st.button(t("app.sign_out"), key="app_sign_out"):
        ui.sign_out(store)
        st.rerun()
    st.caption(t("app.footer"))
try:
    with ui.store_errors():  # a damaged store: a clear page, not a traceback
        ui.demo_banner(store)
        navigation.run()
finally:
    ui.keep_filter_bar(None)  # the container belongs to this run only
