"""Streamlit helpers shared by the pages: the store handle, the demo banner, downloads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics import audit, auth, bootstrap, config, export, i18n, inbox, manifest, permissions, real_data
from analytics import formatting as fmt
from analytics.i18n import t
from analytics.store import Store


@st.cache_resource(max_entries=4)
def _open_store(path: str) -> Store:
    # Waits while a command-line process holds the file; a store that fails its manifest check
    # raises (and is not cached), so it is never served. Runtime files are made private first.
    permissions.private_umask()
    permissions.secure(Path(path))
    return manifest.open_verified(Path(path))


def store() -> Store:
    """The process-wide store for the configured path, built from demo data on first run.

    Also imports files handed over by the command line while the app held the store (inbox),
    and sets the session's language (pages call this first, so a page run alone follows it too).
    """
    i18n.set_language(st.session_state.get(i18n.SESSION_KEY))
    try:
        handle = _open_store(str(config.db_path()))
    except manifest.StoreUnavailable as exc:
        st.error(str(exc), icon="⛔")
        st.stop()
    for outcome in inbox.process(handle):
        icon = "⛔" if outcome.status == "ditolak" else "✅"
        text = t("ui.cli_import", file=outcome.file_name, status=outcome.status, message=outcome.message)
        st.toast(text, icon=icon)
    try:
        config.nik_secret()
    except config.SecretUnreadable as exc:  # a configured key file that cannot be used: say so, serve nothing
        st.error(str(exc), icon="⛔")
        st.stop()
    if bootstrap.snapshot_count(handle) == 0 and bootstrap.demo_allowed():
        bar = st.progress(0.0, text=t("ui.preparing_demo"))
        bootstrap.ensure_demo(handle, lambda f, m: bar.progress(min(f, 1.0), text=m))
        bar.empty()
    return handle


def demo_banner(handle: Store) -> None:
    """Say plainly when the numbers on screen are demo data."""
    if bootstrap.is_demo_store(handle):
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
    st.dataframe(display_frame(rows), hide_index=True, width="stretch", key=f"{key}_table")
    _download_buttons(
        name,
        key,
        lambda kind: t("paging.download_all", kind=kind.upper(), n=fmt.number(total)),
        lambda handle, kind, user: export.deferred_query(handle, fetch_all, name, kind, user),
    )
    return total


def area_filter(handle: Store, prefix: str, container=st) -> tuple[str | None, str | None, str]:
    """Kecamatan and kelurahan select boxes; returns (kode_kecamatan, kode_kelurahan, label)."""
    areas = handle.query("area_list")
    kec = areas.drop_duplicates("kode_kecamatan").set_index("kode_kecamatan")["kecamatan"]
    kode_kec = container.selectbox(
        t("ui.kecamatan"),
        [None, *kec.index],
        format_func={None: t("ui.whole_city"), **kec.to_dict()}.get,
        key=f"{prefix}_kecamatan",
    )
    if kode_kec is None:
        return None, None, t("ui.city")
    kel = areas[areas["kode_kecamatan"] == kode_kec].set_index("kode_kelurahan")["kelurahan"]
    kode_kel = container.selectbox(
        t("ui.kelurahan"),
        [None, *kel.index],
        format_func={None: t("ui.all_kelurahan"), **kel.to_dict()}.get,
        key=f"{prefix}_kelurahan",
    )
    label = (
        t("ui.area_kel", kel=kel[kode_kel], kec=kec[kode_kec])
        if kode_kel
        else t("ui.area_kec", kec=kec[kode_kec])
    )
    return kode_kec, kode_kel, label


def snapshot_dates(handle: Store) -> list:
    """The stored snapshot dates, oldest first."""
    return list(handle.query("snapshot_list")["as_of"].dt.date)


def display_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy for the screen: integers as 9.032, decimals as 12,5, dates as 30 Nov 2022."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.map({True: t("ui.yes"), False: t("ui.no")})
        elif pd.api.types.is_integer_dtype(s):
            out[col] = s.map(fmt.number)
        elif pd.api.types.is_float_dtype(s):
            out[col] = s.map(lambda v: fmt.number(v, 1))
        elif pd.api.types.is_datetime64_any_dtype(s) or (len(s) and isinstance(s.iloc[0], date)):
            out[col] = s.map(lambda v: fmt.tanggal(v) if pd.notna(v) else "–")
    return out


def table(df: pd.DataFrame, name: str, key: str) -> None:
    """Show a table with id-ID formatting and offer it as CSV and XLSX with raw values."""
    st.dataframe(display_frame(df), hide_index=True, width="stretch", key=f"{key}_table")
    downloads(df, name, key)


# --- Sign-in and roles ------------------------------------------------------------------------

SESSION_KEY = "nol_sesi"


def current_user() -> auth.User | None:
    """The signed-in user, with the role the accounts file gives now (None if not signed in)."""
    return auth.user_from_token(st.session_state.get(SESSION_KEY))


def require(*kinds: str) -> auth.User:
    """Stop the page unless a user of one of these kinds (walikota, dinsos, opd, admin) signed in."""
    user = current_user()
    if user is None:
        st.error(t("ui.please_sign_in"))
        st.stop()
    if kinds and user.kind not in kinds:
        st.error(t("ui.not_for_role"))
        st.stop()
    return user


def sign_in(handle: Store, name: str, password: str) -> str | None:
    """Sign in and keep the signed session; returns an error message or None."""
    try:
        user = auth.sign_in(handle, name, password)
    except auth.AuthError as exc:
        return str(exc)
    st.session_state[SESSION_KEY] = auth.session_token(user)
    return None


def sign_out(handle: Store) -> None:
    """End the session and log it."""
    user = current_user()
    if user is not None:
        audit.log(handle, user.name, user.role, "keluar")
    st.session_state.pop(SESSION_KEY, None)


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
    if not bootstrap.demo_allowed() or not real_data.holds_only_demo(handle):
        return False
    auth.ensure_demo_accounts()
    users = auth.load_users()
    return all(users.get(n, {}).get("aktif") for n in auth.DEMO_ACCOUNTS)
