"""Rapat Koordinasi: what changed since the last meeting, one finding per block, projector mode, the pack."""

from datetime import date

import streamlit as st

from analytics import formatting as fmt
from analytics import pack, ui
from analytics.i18n import t
from analytics.meeting import agenda, charts
from analytics.meeting.agenda import Meeting
from analytics.ui import view_state

store = ui.store()
user = ui.require("walikota", "dinsos", "opd", "kecamatan", "kelurahan", "admin")
dates = ui.snapshot_dates(store)
if len(dates) < 2:
    st.title(t("rapat.title"))
    st.info(t("rapat.need_two"))
    st.stop()

# Sized for a 1366x768 projector and still full on 1080p: type scales with the screen height (vh),
# the numbers stand beside the chart, nothing is cut with "…" (labels, values and deltas wrap).
PROJECTOR_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 0.75rem 2.5rem 0.5rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stAlertContainer"] { padding: 0.3rem 0.9rem; }
[data-testid="stAlertContainer"] p { font-size: clamp(0.8rem, 1.8vh, 1.05rem); }
[data-testid="stHeadingWithActionElements"] h2 {
  font-size: clamp(1.5rem, 3.9vh, 2.6rem); line-height: 1.2; padding: 0; }
[data-testid="stMetricValue"] { font-size: clamp(1.7rem, 4.6vh, 3.2rem); line-height: 1.15; }
[data-testid="stMetricLabel"] p { font-size: clamp(0.95rem, 2.3vh, 1.4rem); }
[data-testid="stMetricDelta"] { font-size: clamp(0.9rem, 2.2vh, 1.35rem); }
[data-testid="stMetricValue"] *, [data-testid="stMetricLabel"] *, [data-testid="stMetricDelta"] *,
[data-testid="stMetricDelta"] {
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: anywhere; }
[data-testid="stMetricDelta"] { height: auto; }
[data-testid="stCaptionContainer"] p, [data-testid="stCaptionContainer"] {
  font-size: clamp(0.9rem, 2.1vh, 1.2rem); }
</style>"""
PROJECTOR_CHART_HEIGHT = 385  # px: title, numbers, chart, note and the folded table fit a 1366x768 screen


def choose_dates(settings) -> tuple[date, date, object]:
    """The two snapshots the meeting compares (they live in the link); returns them and a free column."""
    c1, c2, c3 = settings.columns([2, 2, 1.3], vertical_alignment="bottom")
    prev = view_state.selectbox(
        t("rapat.prev"),
        dates[:-1],
        "lalu",
        container=c1,
        default=agenda.default_previous(dates),
        format_func=fmt.tanggal,
        key="rapat_lalu",
        help=t("rapat.prev_help"),
    )
    later = [d for d in dates if d > prev]
    cur = view_state.selectbox(
        t("rapat.cur"),
        later,
        "kini",
        container=c2,
        default=later[-1],
        format_func=fmt.tanggal,
        key="rapat_kini",
    )
    return prev, cur, c3


def meeting(prev: date, cur: date) -> Meeting:
    """Built once per store version, language, date pair and user, then shared: paging through the
    slides, reloading or opening the page again does not rebuild the findings."""
    return ui.kept(agenda.build, store, prev, cur, user)


def slide_figure(handle, prev: date, cur: date, who, key: str):
    """A finding's chart restyled for the projector, kept like the meeting (paging only looks it up)."""
    finding = next(f for f in ui.kept(agenda.build, handle, prev, cur, who).findings if f.key == key)
    return charts.for_projector(finding.figure(), PROJECTOR_CHART_HEIGHT)


def show(m: Meeting, i: int, big: bool, foot=None) -> None:
    """Finding i (from 1): position, title, key numbers, chart, note and its table."""
    f, n = m.findings[i - 1], len(m.findings)
    st.caption(t("meeting.position", i=i, n=n, topic=f.topic))
    st.subheader(f.title, anchor=False)
    side = big and f.figure is not None  # on the projector the numbers stand beside the chart
    numbers, chart = st.columns([1, 3.2], gap="medium") if side else (st.container(), st.container())
    cols = [numbers] * len(f.numbers) if side else numbers.columns(max(1, len(f.numbers)))
    for col, k in zip(cols, f.numbers, strict=False):
        col.metric(**k.metric_args())
    if f.figure is not None:
        if big:  # one chart element for every slide: paging redraws it instead of mounting a new one
            fig = ui.kept(slide_figure, store, m.prev, m.cur, user, f.key)
            chart.plotly_chart(fig, key="rapat_grafik_slide", config=pack.chart_config(f))
        else:
            chart.plotly_chart(f.figure(), key=f"rapat_grafik_{f.key}", config=pack.chart_config(f))
    st.caption(f.note)
    if big:  # folded tables are drawn only once opened (an open fold reruns this slide)
        table = foot.expander(t("rapat.table"), key=f"rapat_layar_buka_{f.key}", on_change="rerun")
        if table.open:
            with table:
                ui.dataframe(f.table, key=f"rapat_layar_tabel_{f.key}")
        return
    table = st.expander(t("rapat.table"), key=f"rapat_tabel_buka_{f.key}", on_change="rerun")
    if table.open:  # the table and its downloads are drawn once the fold is opened
        with table:
            ui.table(f.table, f"{f.file_name}_{m.prev}_{m.cur}", key=f"rapat_tabel_{f.key}")
    if f.detail is not None:  # person-level rows, drawn only once their fold is opened
        label = t("rapat.detail", title=f.detail_title, n=fmt.number(len(f.detail)))
        detail = st.expander(label, key=f"rapat_rincian_buka_{f.key}", on_change="rerun")
        if detail.open:
            with detail:
                ui.table(f.detail, f"{f.file_name}_rincian_{m.prev}_{m.cur}", key=f"rapat_rincian_{f.key}")


def move(step: int, n: int) -> None:
    """Page through the findings in presentation mode (also with the ← and → keys)."""
    st.session_state["rapat_posisi"] = min(max(st.session_state.get("rapat_posisi", 0) + step, 0), n - 1)


@st.fragment
def slides() -> None:
    """Presentation mode: one finding fills the screen, paging on top, the table and the date choice
    folded away in one row under it. Paging and the date choice rerun only this fragment."""
    nav = st.columns([1.2, 4, 1.2, 1.4], vertical_alignment="center")
    body = st.container()
    foot = st.columns(2)
    prev, cur, _ = choose_dates(foot[1].expander(t("rapat.dates")))
    m = meeting(prev, cur)
    n = len(m.findings)
    pos = min(st.session_state.get("rapat_posisi", 0), n - 1)
    nav[0].button(t("rapat.previous"), key="rapat_prev", on_click=move, args=(-1, n), disabled=pos == 0,
                  shortcut="Left", width="stretch")  # fmt: skip
    nav[1].progress((pos + 1) / n, text=f"**{pos + 1} / {n}** · {fmt.tanggal(prev)} → {fmt.tanggal(cur)}")
    nav[2].button(t("rapat.next"), key="rapat_next", on_click=move, args=(1, n), disabled=pos == n - 1,
                  shortcut="Right", type="primary", width="stretch")  # fmt: skip
    label, help_text = t("rapat.present"), t("rapat.present_help")
    if not view_state.toggle(label, "presentasi", container=nav[3], key="rapat_presentasi", help=help_text):
        st.rerun(scope="app")  # leaving presentation mode lays the whole page out again
    with body:
        show(m, pos + 1, big=True, foot=foot[0])


# presentation mode lives in the link (?presentasi=1): the page is laid out by it before its switch is drawn
if view_state.seed("presentasi", view_state.SWITCH, key="rapat_presentasi", default=False):
    st.html(PROJECTOR_CSS)
    slides()
    st.stop()

st.title(t("rapat.title"))
settings, body = st.container(), st.container()
prev, cur, c3 = choose_dates(settings)
view_state.toggle(t("rapat.present"), "presentasi", container=c3, key="rapat_presentasi",
                  help=t("rapat.present_help"))  # fmt: skip
m = meeting(prev, cur)

with body:
    for note in m.notes:
        st.info(note)
    st.caption(t("rapat.story", prev=fmt.tanggal(prev), cur=fmt.tanggal(cur), target=fmt.tanggal(m.target)))
    pack.warm()  # the PDF's chart browser starts now, in the background, not on the click
    for col, (kind, (label, mime)) in zip(st.columns(3), pack.KINDS.items(), strict=True):
        col.download_button(
            t(label),
            pack.deferred(store, m, kind, user),
            f"{pack.file_stem(m)}.{kind}",
            mime,
            key=f"rapat_paket_{kind}",
            on_click="ignore",
            width="stretch",
        )
    scope = t("rapat.scope_named") if user.sees_named_records else t("rapat.scope_aggregate")
    st.caption(t("rapat.pack_note", scope=scope))
    summary = "\n".join(f"{i}. {f.title}" for i, f in enumerate(m.findings, 1))
    st.markdown("**" + t("pack.summary_heading") + "**\n\n" + summary)
    for i in range(1, len(m.findings) + 1):
        st.divider()
        show(m, i, big=False)
