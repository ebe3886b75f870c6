"""Rapat Koordinasi: what changed since the last meeting, one finding per block, projector mode, the pack."""

import streamlit as st

from analytics import formatting as fmt
from analytics import pack, ui
from analytics.i18n import t
from analytics.meeting import agenda, charts
from analytics.meeting.agenda import Finding
from analytics.ui import view_state

store = ui.store()
user = ui.require("walikota", "dinsos", "opd", "kecamatan", "kelurahan", "admin")
dates = ui.snapshot_dates(store)
if len(dates) < 2:
    st.title(t("rapat.title"))
    st.info(t("rapat.need_two"))
    st.stop()

PROJECTOR_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-top: 3.6rem; }
[data-testid="stHeadingWithActionElements"] h2 { font-size: 2.6rem; line-height: 1.2; }
[data-testid="stMetricValue"] { font-size: 3.4rem; }
[data-testid="stMetricLabel"] p { font-size: 1.4rem; }
[data-testid="stMetricDelta"] { font-size: 1.4rem; }
[data-testid="stCaptionContainer"] p, [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
</style>"""
PROJECTOR_CHART_HEIGHT = 470  # px: title, numbers and chart fit one 1080p screen

# presentation mode lives in the link (?presentasi=1): the page is laid out by it before its switch is drawn
present = view_state.seed("presentasi", view_state.SWITCH, key="rapat_presentasi", default=False)
if present:  # the finding fills the screen: paging on top, the date choice folded away at the bottom
    st.html(PROJECTOR_CSS)
    nav = st.columns([1.2, 4, 1.2, 1.4], vertical_alignment="center")
    body = st.container()
    settings = st.expander(t("rapat.dates"))
else:
    st.title(t("rapat.title"))
    settings, body = st.container(), st.container()
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
    t("rapat.cur"), later, "kini", container=c2, default=later[-1], format_func=fmt.tanggal, key="rapat_kini"
)
view_state.toggle(
    t("rapat.present"),
    "presentasi",
    container=nav[3] if present else c3,
    key="rapat_presentasi",
    help=t("rapat.present_help"),
)
m = agenda.build(store, prev, cur, user)
n = len(m.findings)


def show(f: Finding, i: int, big: bool) -> None:
    """One finding: position, title, key numbers, chart, note and its table."""
    st.caption(t("meeting.position", i=i, n=n, topic=f.topic))
    st.subheader(f.title, anchor=False)
    for col, k in zip(st.columns(max(1, len(f.numbers))), f.numbers, strict=False):
        col.metric(**k.metric_args())
    if f.figure is not None:
        fig = charts.for_projector(f.figure(), PROJECTOR_CHART_HEIGHT) if big else f.figure()
        st.plotly_chart(fig, key=f"rapat_grafik_{f.key}", config=pack.chart_config(f))
    st.caption(f.note)
    if big:
        with st.expander(t("rapat.table")):
            ui.dataframe(f.table, key=f"rapat_layar_tabel_{f.key}")
        return
    ui.table(f.table, f"{f.file_name}_{prev}_{cur}", key=f"rapat_tabel_{f.key}")
    if f.detail is not None:
        with st.expander(t("rapat.detail", title=f.detail_title, n=fmt.number(len(f.detail)))):
            ui.table(f.detail, f"{f.file_name}_rincian_{prev}_{cur}", key=f"rapat_rincian_{f.key}")


def move(step: int) -> None:
    """Page through the findings in presentation mode (also with the ← and → keys)."""
    st.session_state["rapat_posisi"] = min(max(st.session_state.get("rapat_posisi", 0) + step, 0), n - 1)


if present:
    pos = min(st.session_state.get("rapat_posisi", 0), n - 1)
    nav[0].button(t("rapat.previous"), key="rapat_prev", on_click=move, args=(-1,), disabled=pos == 0,
                  shortcut="Left", width="stretch")  # fmt: skip
    nav[1].progress((pos + 1) / n, text=f"**{pos + 1} / {n}** · {fmt.tanggal(prev)} → {fmt.tanggal(cur)}")
    nav[2].button(t("rapat.next"), key="rapat_next", on_click=move, args=(1,), disabled=pos == n - 1,
                  shortcut="Right", type="primary", width="stretch")  # fmt: skip
    with body:
        show(m.findings[pos], pos + 1, big=True)
    st.stop()

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
    for i, f in enumerate(m.findings, 1):
        st.divider()
        show(f, i, big=False)
