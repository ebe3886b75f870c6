"""Streamlit helpers shared by the pages: the store handle, the demo banner, downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import config, i18n
from analytics import formatting as fmt
from analytics.access import auth, disclosure, export, real_data, session_cookie
from analytics.frames import display_frame  # re-used by pages and ui.* (no streamlit in it)
from analytics.i18n import t
from analytics.ingest import bootstrap
from analytics.ingest import inbox as cli_inbox  # not `inbox`: that name is the submodule ui.inbox
from analytics.profiles import family
from analytics.store import audit, freshness, manifest, opening, permissions, settings
from analytics.store.db import Store
from analytics.store.holder import announce, beat
from analytics.ui import view_state

T = TypeVar("T")


@st.cache_resource(max_entries=4)
def _open_store(path: str) -> Store:
    # Waits while a command-line process holds the file; a store that fails its manifest check
    # raises (and is not cached), so it is never served. Runtime files are made private first. The
    # heartbeat tells a command-line import that the app holds the file, so that it hands its file
    # to the inbox (analytics.store.holder).
    permissions.private_umask()
    permissions.secure(Path(path))
    handle = opening.open_verified(Path(path))
    handle.reopens = True  # long-running: a freshly opened file reads faster after many imports
    announce(Path(path))
    # The write side of the OPD summaries, once per open (the pages only read; analytics.opd.coverage says
    # when the catalog files changed since). A broken catalog keeps the loaded one.
    bootstrap.bring_up_to_date(handle)
    return handle


def kept(build: Callable[..., T], handle: Store, *args: object) -> T:
    """`build(handle, *args)`, built once per store version, language and arguments and then shared
    by every session until an import (or any other commit but an audit row) changes the store.

    What it returns is shared: callers must not change it (figures are copied before they are
    styled: charts.for_projector, disclosure.Policy.figure, pack.for_print on its own build).
    """
    name = f"{build.__module__}.{build.__qualname__}"
    return _kept(name, handle.version, i18n.language(), args, _build=build, _handle=handle)


@st.cache_resource(max_entries=64, show_spinner=False)
def _kept(name: str, version: int, lang: str, args: tuple, _build: Callable, _handle: Store) -> object:
    with i18n.using(lang):
        return _build(_handle, *args)


def figure(build: Callable[..., T], *args: object, **kwargs: object) -> T:
    """`build(*args, **kwargs)`, kept for equal arguments (hashed by value: frames by content) and language.

    Chart builders take 25–200 ms of plotly validation; a rerun that draws the same chart again (a
    control elsewhere on the page, a reload, another user) takes it from here. The figure is shared:
    callers must not change it (ui.chart's disclosure copies before it hides anything).
    """
    name = f"{build.__module__}.{build.__qualname__}"
    try:
        return _figure(name, i18n.language(), args, kwargs, _build=build)
    except st.errors.StreamlitAPIException:  # an argument Streamlit cannot hash: build it afresh
        return build(*args, **kwargs)


@st.cache_resource(max_entries=256, show_spinner=False)
def _figure(name: str, lang: str, args: tuple, kwargs: dict, _build: Callable) -> object:
    with i18n.using(lang):
        return _build(*args, **kwargs)


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn a store that cannot be read into the same clear page as one that fails its check.

    A damaged block surfaces at the first query that reads it, often long after the open: any
    DuckDB error inside the block (a page run) drops the cached store and shows a page naming
    `periksa` and `bangun-ulang` instead of a traceback.
    """
    try:
        yield
    except duckdb.Error as exc:
        _open_store.clear()
        name = config.db_path().name
        unavailable = manifest.StoreUnavailable("h4.damaged", name=name, error=opening.short_error(exc))
        st.error(str(unavailable), icon="⛔")
        st.stop()


WAIT, SHOW, PASS = "wait", "show", "pass"  # store(building=...): what a page does while the demo builds


def store(building: str = WAIT) -> Store:
    """The process-wide store for the configured path, built from demo data on first run.

    Also imports files handed over by the command line while the app held the store (inbox),
    and sets the session's language (pages call this first, so a page run alone follows it too).

    On first run the demo store builds in the background (analytics.ingest.bootstrap.Background);
    meanwhile a page shows the build's progress and stops (WAIT), shows it and goes on (SHOW, the
    sign-in page) or says nothing and goes on (PASS, the router). A failed or unfinished build stops
    every page with the reason: a half-built store is never served.
    """
    i18n.set_language(st.session_state.get(i18n.SESSION_KEY))
    try:
        config.nik_secret()
    except config.SecretUnreadable as exc:  # a configured key file that cannot be used: say so, serve nothing
        st.error(str(exc), icon="⛔")
        st.stop()
    try:
        handle = _open_store(str(config.db_path()))
    except manifest.StoreUnavailable as exc:
        st.error(str(exc), icon="⛔")
        st.stop()
    with store_errors():
        handle = _prepare(handle)
    if building != PASS:
        demo_progress(stop=building == WAIT)
    return handle


@st.cache_resource(max_entries=4)
def _demo_build(path: str) -> bootstrap.Background:
    """The one demo build of this process for the store file at path (started by _prepare)."""
    return bootstrap.Background()


def _prepare(handle: Store) -> Store:
    """The app's heartbeat, the inbox and, on first run, the demo build (started in the background)."""
    if handle.path is not None:
        beat(handle.path)
    build = _demo_build(str(handle.path))
    state = build.status()[0]
    if state == build.FAILED:
        st.error(t("f17.failed", error=fmt.md(opening.short_error(build.error))), icon="⛔")
        st.stop()
    if state == build.RUNNING:
        return handle  # the build owns the writes until it is done; the inbox waits for the next run
    cli_inbox.process(handle)  # never raises; only DinsosPM sees the outcomes (inbox_news, Data & Impor)
    if handle.snapshot_count() == 0 and bootstrap.demo_allowed():
        build.start(handle, origin="jalan pertama aplikasi", lang=i18n.language())
    elif bootstrap.demo_unfinished(handle.path) and build.status()[0] != build.RUNNING:
        # An earlier process died during the build, or it failed: part of the demo data is in.
        name = handle.path.name if handle.path is not None else "-"
        st.error(t("f17.unfinished", name=fmt.md(name)), icon="⛔")
        st.stop()
    return handle


def demo_building() -> bool:
    """Whether the demo store of the configured path is being built in the background now."""
    return _demo_build(str(config.db_path())).status()[0] == bootstrap.Background.RUNNING


def demo_progress(stop: bool) -> None:
    """While the demo store builds: its progress, polled every second, and a rerun of the whole page
    once it is done; with stop, nothing else on the page runs meanwhile (no half-built data shown)."""
    build = _demo_build(str(config.db_path()))
    if build.status()[0] != build.RUNNING:
        return

    @st.fragment(run_every=PROGRESS_EVERY)
    def progress() -> None:
        if st.session_state.get(PROGRESS_SHOWN):  # a poll from the browser: the page is on screen
            build.go()  # the build may take the CPU now (it waits for this, or START_AFTER seconds)
        st.session_state[PROGRESS_SHOWN] = True
        state, fraction, message = build.status()
        if state != build.RUNNING:
            st.rerun()  # done (or failed): the page runs again and shows the data (or the error)
        st.progress(fraction, text=t("f17.building", percent=fmt.number(100 * fraction)))
        if message:
            st.caption(fmt.md(message))
        if stop:
            st.caption(t("f17.wait"))

    progress()
    if stop:
        st.stop()


PROGRESS_EVERY = 1.0  # seconds between looks at the demo build's progress
PROGRESS_SHOWN = "nol_demo_kemajuan"  # this session has drawn the progress once

WARM_CHART = "nol_plotly_warm"


def warm_charts() -> None:
    """An invisible one-pixel Plotly chart on the sign-in page: the browser fetches and runs Plotly's
    script (a 4.7 MB chunk Streamlit loads on first use) while the user types, so the charts of the
    first page after sign-in draw at once instead of standing as grey boxes for seconds."""
    with st.container(key=WARM_CHART):
        st.html(
            f"<style>.st-key-{WARM_CHART}{{position:absolute;left:-10px;width:1px;height:1px;"
            "overflow:hidden;opacity:0;pointer-events:none}</style>"
        )
        figure = {
            "data": [{"type": "scatter", "x": [0], "y": [0]}],
            "layout": {"width": 10, "height": 10, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}},
        }
        st.plotly_chart(
            figure, key=f"{WARM_CHART}_chart", config={"staticPlot": True, "displayModeBar": False}
        )


NEWS_HOURS = 24  # a DinsosPM session is told of inbox outcomes of the last day it has not seen


def inbox_news(handle: Store, user: auth.User | None) -> None:
    """Toast the inbox outcomes this DinsosPM session has not seen yet (nobody else sees them)."""
    if user is None or user.kind != "dinsos" or handle.path is None:
        return
    seen = st.session_state.setdefault("inbox_seen", set())
    since = (datetime.now() - timedelta(hours=NEWS_HOURS)).isoformat()
    for outcome in cli_inbox.outcomes(handle.path):
        if outcome.ticket in seen or outcome.kind == "audit" or outcome.finished_at < since:
            continue
        seen.add(outcome.ticket)
        icon = "⛔" if outcome.status == "ditolak" else "✅"
        text = t(
            "ui.cli_import",
            file=fmt.md(outcome.file_name),
            status=outcome.status,
            message=fmt.md(outcome.message),
        )
        st.toast(text, icon=icon)


def demo_banner(handle: Store) -> None:
    """Say plainly when the numbers on screen are demo data."""
    if handle.holds_demo():
        st.warning(t("ui.demo_banner"), icon="⚠️")


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV and XLSX download buttons for exactly the table shown.

    The file is built when clicked: the role is read again from the accounts file, counts
    under 5 are suppressed for roles without named access, and the download is audited.
    """
    _download_buttons(
        name,
        key,
        lambda kind: t("ui.download", kind=kind.upper()),
        lambda handle, kind, user: export.deferred(handle, df, name, kind, user),
    )


def _download_buttons(
    name: str,
    key: str,
    label: Callable[[str], str],
    build: Callable[[Store, str, auth.User | None], Callable[[], bytes]],
) -> None:
    """A CSV and an XLSX button side by side; build(store, kind, user) makes the file on click."""
    user = current_user()
    handle = _open_store(str(config.db_path()))
    left, right = st.columns(2)
    for column, kind, mime in (
        (left, "csv", "text/csv"),
        (right, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        column.download_button(
            label(kind),
            build(handle, kind, user),
            f"{name}.{kind}",
            mime,
            key=f"{key}_{kind}",
            on_click="ignore",
            width="stretch",
        )


PAGE_ROWS = 100


def paged_table(
    fetch_page: Callable[[int, int], tuple[pd.DataFrame, int]],
    fetch_all: Callable[[auth.User], pd.DataFrame],
    name: str,
    key: str,
) -> int:
    """One page of a long named-record table, a page picker, and downloads of every page.

    fetch_page(limit, offset) returns (rows, rows in all pages); the query pages in SQL, so a list
    of a million families costs one page. Returns the number of rows in all pages.
    """
    page_key = f"{key}_halaman"
    page = int(st.session_state.get(page_key, 1))
    rows, total = fetch_page(PAGE_ROWS, (page - 1) * PAGE_ROWS)
    if rows.empty and page > 1:  # the list got shorter (another date or filter): back to page 1
        page = 1
        st.session_state.pop(page_key, None)
        rows, total = fetch_page(PAGE_ROWS, 0)
    pages = max(1, -(-total // PAGE_ROWS))
    first = (page - 1) * PAGE_ROWS + 1 if total else 0
    # The row count and the page picker go below the table: the table's hover toolbar sits over
    # whatever is just above it and used to cover the picker's -/+ buttons.
    dataframe(rows, key=f"{key}_table")
    left, right = st.columns([3, 1])
    left.caption(
        t(
            "paging.rows",
            first=fmt.number(first),
            last=fmt.number(first + len(rows) - 1 if total else 0),
            total=fmt.number(total),
        )
    )
    if pages > 1:
        right.number_input(t("paging.page"), min_value=1, max_value=pages, value=page, step=1, key=page_key)
    _download_buttons(
        name,
        key,
        lambda kind: t("paging.download_all", kind=kind.upper(), n=fmt.number(total)),
        lambda handle, kind, user: export.deferred_query(handle, fetch_all, name, kind, user),
    )
    return total


def area_filter(handle: Store, prefix: str, container=None) -> tuple[str | None, str | None, str]:
    """Kecamatan and kelurahan select boxes; returns (kode_kecamatan, kode_kelurahan, label).

    The choice lives in the URL (`kec`, `kel`) and is shared by every page (analytics.ui.view_state)."""
    areas = handle.query("area_list")
    kec = areas.drop_duplicates("kode_kecamatan").set_index("kode_kecamatan")["kecamatan"]
    kode_kec = view_state.selectbox(
        t("ui.kecamatan"),
        [None, *kec.index],
        "kec",
        container=container,
        format_func={None: t("ui.whole_city"), **kec.to_dict()}.get,
        key=f"{prefix}_kecamatan",
    )
    if kode_kec is None:
        return None, None, t("ui.city")
    kel = areas[areas["kode_kecamatan"] == kode_kec].set_index("kode_kelurahan")["kelurahan"]
    kode_kel = view_state.selectbox(
        t("ui.kelurahan"),
        [None, *kel.index],
        "kel",
        container=container,
        format_func={None: t("ui.all_kelurahan"), **kel.to_dict()}.get,
        key=f"{prefix}_kelurahan",
    )
    label = (
        t("ui.area_kel", kel=kel[kode_kel], kec=kec[kode_kec])
        if kode_kel
        else t("ui.area_kec", kec=kec[kode_kec])
    )
    return kode_kec, kode_kel, label


FILTER_BAR = "nol_filter_bar"  # this run's sidebar container for the filters every page shares


def keep_filter_bar(container) -> None:
    """Remember this run's container at the top of the sidebar (app.py draws it before the account
    block, so shared filters sit above "Keluar"); None when the run ends."""
    if container is None:
        st.session_state.pop(FILTER_BAR, None)
    else:
        st.session_state[FILTER_BAR] = container


def filter_bar():
    """Where a page draws the filters every page shares: the top of the sidebar (st.sidebar when the
    page runs alone, as in a test)."""
    return st.session_state.get(FILTER_BAR) or st.sidebar


def snapshot_dates(handle: Store) -> list:
    """The stored snapshot dates, oldest first."""
    return list(handle.query("snapshot_list")["as_of"].dt.date)


def policy() -> disclosure.Policy:
    """How the signed-in user may see small counts (read again from the accounts file)."""
    return disclosure.for_role(current_user())


def dataframe(df: pd.DataFrame, key: str, style: Callable | None = None, **kwargs) -> None:
    """st.dataframe of a table as the signed-in role may see it (small counts suppressed, and a
    line saying what '<5' and 'x' mean when any cell was), in id-ID formats; `style` may shade the
    formatted table (it gets and returns a DataFrame or a Styler)."""
    shown = policy().table(df)
    screen = display_frame(shown)
    screen.attrs = df.attrs
    shown_on_screen = screen if style is None else style(screen)
    st.dataframe(shown_on_screen, hide_index=True, width="stretch", key=key, **kwargs)
    if shown is not df and shown.isin([disclosure.SMALL, disclosure.HIDDEN]).any(axis=None):
        st.caption(t("h7.legend"))


def chart(fig, key: str, container=st, **kwargs):
    """st.plotly_chart of a figure as the signed-in role may see it (small counts as gaps)."""
    return container.plotly_chart(policy().figure(fig), key=key, **kwargs)


def metric(container, *args, **kwargs) -> None:
    """st.metric with a small count (and the delta derived from it) hidden for the role."""
    named = dict(zip(("label", "value", "delta", "delta_color"), args, strict=False)) | kwargs
    container.metric(**policy().metric(named))


# st.file_uploader's dropzone texts ("Upload", "50MB per file • XLSX, CSV", "Drag and drop a file
# here") are English and have no parameter (streamlit/streamlit#13500, open), so CSS hides them and
# writes the current language's text in their place. Streamlit 1.67's DOM: the button's label is a
# Markdown container inside the dropzone's button; the size line is the instructions' only text.
_UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: 0.875rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{limit}"; font-size: 0.875rem; }}
</style>"""


def _css_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def file_uploader(label: str, key: str, **kwargs):
    """st.file_uploader whose dropzone speaks the current language (button and size limit)."""
    mb = st.get_option("server.maxUploadSize")
    st.html(
        _UPLOADER_CSS.format(
            button=_css_text(t("l17.uploader_button")), limit=_css_text(t("l17.uploader_limit", mb=mb))
        )
    )
    return st.file_uploader(label, key=key, **kwargs)


def table(df: pd.DataFrame, name: str, key: str) -> None:
    """Show a table with id-ID formatting and offer it as CSV and XLSX with raw values."""
    dataframe(df, key=f"{key}_table")
    downloads(df, name, key)


# --- Sign-in and roles ------------------------------------------------------------------------

SESSION_KEY = "nol_sesi"
ENDED_KEY = "nol_sesi_berakhir"  # why the last session ended, shown once on the sign-in page
COOKIE_WRITTEN = "nol_sesi_cookie"  # the session record this tab last wrote to the browser's cookie
COOKIE_DEAD = "nol_sesi_cookie_mati"  # session ids of cookies found over: not checked again


def browser_cookie() -> str | None:
    """The session cookie the browser sent when this tab connected (None without one)."""
    return st.context.cookies.get(session_cookie.COOKIE_NAME)


def current_user() -> auth.User | None:
    """The signed-in user, with the role the accounts file gives now (None if not signed in).

    The session is the one this tab signed in with, else the one in the browser's cookie (a reload
    or a new tab). Each call checks it against the accounts file and the session settings and moves
    its last activity to now; a session that is over is dropped, and the reason kept for the next page.
    """
    token = st.session_state.get(SESSION_KEY)
    from_cookie = token is None
    if from_cookie:
        token = session_cookie.decode(browser_cookie())
        if token is None or token.get("sid") in st.session_state.get(COOKIE_DEAD, ()):
            return None
    limits = settings.session_limits(_open_store(str(config.db_path())))
    try:
        user = auth.check_session(token, limits)
    except auth.AuthError as exc:
        st.session_state.pop(SESSION_KEY, None)
        st.session_state.setdefault(COOKIE_DEAD, set()).add(str(token.get("sid")))
        quiet = (t("h6.session_signed_out"), t("h6.session_invalid"))
        if not (from_cookie and str(exc) in quiet):  # a signed-out cookie needs no notice
            st.session_state[ENDED_KEY] = str(exc)
        _end_sso()
        return None
    st.session_state[SESSION_KEY] = auth.refreshed(token)
    if from_cookie:  # the browser already holds this copy
        st.session_state.setdefault(COOKIE_WRITTEN, token)
    return user


def session_cookie_sync(user: auth.User | None) -> None:
    """Keep the browser's session cookie in step with this tab: written after sign-in and again every
    few minutes of activity (its last activity), deleted once the session is over.

    Streamlit cannot set a cookie from the server during a script run, so a small script in the page
    writes it (SameSite=Strict; Secure over https; not HttpOnly: README, "Sesi")."""
    token = st.session_state.get(SESSION_KEY)
    if user is not None and token is not None:
        written = st.session_state.get(COOKIE_WRITTEN)
        if session_cookie.due(written, token):
            st.session_state[COOKIE_WRITTEN] = written = token
        limits = settings.session_limits(_open_store(str(config.db_path())))
        html = session_cookie.set_script(session_cookie.encode(written), limits.absolute)
    elif browser_cookie() or st.session_state.get(COOKIE_WRITTEN):
        st.session_state.pop(COOKIE_WRITTEN, None)
        html = session_cookie.clear_script()
    else:
        return
    with st.sidebar:
        st.html(html, unsafe_allow_javascript=True, width="content")


def session_ended_notice() -> None:
    """Say once why the previous session ended (idle, too old, account changed), if it did."""
    reason = st.session_state.pop(ENDED_KEY, None)
    if reason:
        st.warning(reason, icon="⏱️")


def require(*kinds: str) -> auth.User:
    """Stop the page unless a user of one of these kinds (walikota, dinsos, opd, kecamatan,
    kelurahan, admin) signed in; a broken role is refused on every page."""
    user = current_user()
    if user is None:
        session_ended_notice()
        st.error(t("ui.please_sign_in"))
        st.stop()
    if user.kind == auth.BROKEN:  # a mistyped role opens nothing, with a message, not a traceback
        st.error(t("s3.broken_role", role=fmt.md(user.role)))
        st.stop()
    if kinds and user.kind not in kinds:
        st.error(t("ui.not_for_role"))
        st.stop()
    stale_banner(store())  # every signed-in page passes here first
    return user


def role_refused() -> None:
    """The only page of an account whose role is not a known role: what is wrong, and who mends it."""
    user = current_user()
    st.error(t("s3.broken_role", role=fmt.md(user.role if user else "?")))


def stale_banner(handle: Store) -> None:
    """Say at the top of the page when the latest data is older than the stale-data setting."""
    notice = freshness.stale_notice(handle)
    if notice:
        st.warning(notice, icon="🕰️")


def client_id() -> str:
    """Where this browser session connects from: its IP address (behind a trusted proxy, the last
    X-Forwarded-For entry), or the Streamlit session id when there is no address (localhost)."""
    address = st.context.ip_address
    if config.trusted_proxy():
        forwarded = st.context.headers.get("X-Forwarded-For")
        if forwarded:
            address = forwarded.split(",")[-1].strip()
    if isinstance(address, str) and address:
        return f"ip {address}"
    ctx = get_script_run_ctx()
    return f"sesi {ctx.session_id if ctx else '-'}"


def sign_in(handle: Store, name: str, password: str) -> str | None:
    """Sign in and keep the signed session; returns an error message or None."""
    try:
        user = auth.sign_in(handle, name, password, client=client_id())
    except auth.AuthError as exc:
        return str(exc)
    st.session_state.pop(ENDED_KEY, None)
    st.session_state[SESSION_KEY] = auth.session_token(user)
    st.session_state.pop(COOKIE_WRITTEN, None)  # written by session_cookie_sync on the next run
    return None


def sign_out(handle: Store) -> None:
    """End the session for good (a kept copy of it is dead too) and log it."""
    user = current_user()
    if user is not None:
        token = st.session_state.get(SESSION_KEY)
        auth.end_session(token)
        st.session_state.setdefault(COOKIE_DEAD, set()).add(str(token.get("sid")))
        audit.log(handle, user.name, user.role, "keluar")
    st.session_state.pop(SESSION_KEY, None)
    _end_sso()


def _end_sso() -> None:
    """Drop an OIDC identity too when its session ends; otherwise oidc_user would sign the browser
    straight back in, past the sign-out or the timeout."""
    if oidc_configured() and st.user.is_logged_in:
        st.logout()


def oidc_configured() -> bool:
    """Whether the city configured an OIDC provider in secrets ([auth] section) for st.login."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def oidc_user(handle: Store) -> None:
    """After an OIDC sign-in, map the e-mail to an account with a role (or explain why not)."""
    if current_user() is not None or not oidc_configured() or not st.user.is_logged_in:
        return
    user = auth.user_for_email(str(st.user.get("email", "")))
    if user is None:
        st.error(t("ui.sso_no_role"))
        return
    audit.log(handle, user.name, user.role, "masuk", detail="SSO")
    st.session_state[SESSION_KEY] = auth.session_token(user)


def demo_accounts_active(handle: Store) -> bool:
    """Demo accounts exist only while the store holds nothing but the demo build (and no real key
    is configured); create them on first use."""
    if not bootstrap.demo_allowed():
        return False
    if not demo_building() and not real_data.holds_only_demo(handle):  # the build writes demo data only
        return False
    auth.ensure_demo_accounts()
    users = auth.load_users()
    return all(users.get(n, {}).get("aktif") for n in auth.DEMO_ACCOUNTS)


# --- Find a family (issue 16) -----------------------------------------------------------------

FAMILY_RESULTS = "keluarga_hasil"  # + the field's prefix: the last search's outcome (never the search text)


def family_search(
    handle: Store, user: auth.User, profile_page=None, container=st.sidebar, prefix="cari"
) -> None:
    """A search field for a family (NIK, ID Keluarga or name), for roles with named access only.

    The form clears itself on submit, so a typed NIK does not stay in the field; the search and the
    families found are audited by analytics.profiles.family. One family found opens its profile at once
    (profile_page, or this page when None); more are listed as buttons that open theirs.
    """
    if not user.sees_named_records:
        return
    with container.form(f"{prefix}_keluarga", clear_on_submit=True, border=False):
        text = st.text_input(
            t("s2.search_label"),
            placeholder=t("s2.search_placeholder"),
            help=t("s2.search_help"),
            key=f"{prefix}_keluarga_teks",
        )
        submitted = st.form_submit_button(t("s2.search_button"))

    def open_family(id_keluarga: str) -> None:
        if profile_page is None:
            st.query_params[family.QUERY_PARAM] = id_keluarga
            st.rerun()
        st.switch_page(profile_page, query_params={family.QUERY_PARAM: id_keluarga})

    results = f"{prefix}_{FAMILY_RESULTS}"
    if submitted:
        try:
            found = family.find(handle, user, text)
        except family.FamilyRefusal as exc:
            st.session_state[results] = str(exc)
        else:
            st.session_state[results] = found
            if found.total == 1:
                st.session_state.pop(results)
                open_family(str(found.families["id_keluarga"].iloc[0]))
    found = st.session_state.get(results)
    if isinstance(found, str):
        container.warning(found)
    elif found is not None:
        n = len(found.families)
        if n == 0:
            container.caption(t("s2.none_found"))
        else:
            key = "s2.found" if n == found.total else "s2.found_capped"
            container.caption(t(key, total=fmt.number(found.total), shown=fmt.number(n)))
        for row in found.families.itertuples(index=False):
            names = f" · {row.cocok}" if isinstance(row.cocok, str) else ""
            label = t("s2.result_label", id=row.id_keluarga, place=row.kelurahan or "–", names=names)
            if container.button(label, key=f"{prefix}_buka_{row.id_keluarga}", width="stretch"):
                open_family(str(row.id_keluarga))
