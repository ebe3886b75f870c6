"""Ringkasan: the mayor's one screen — where the city stands against the target, and why."""

import streamlit as st

from analytics import formatting as fmt
from analytics import measures, tables, ui
from analytics.burndown import charts, progress
from analytics.i18n import t
from analytics.store import settings
from analytics.ui import opd_focus
from analytics.verval import graduation

store = ui.store()
user = ui.require()
df = progress.series(store)
if df.empty:
    st.info(t("ringkasan.empty"))
    st.stop()

today = settings.today()
s = progress.summary(df, settings.target_in_force(store, today).zero_by, today)
target = settings.target_in_force(store, s.latest)  # the verdict judges the data by its own day's target
now_target = settings.target_in_force(store, today)  # the days count runs to today's target
verdict = progress.verdict(df, "orang", target)
st.title(t("ringkasan.title"))
st.caption(t("ringkasan.caption", date=fmt.tanggal(s.latest)))
# An OPD's own figures first (its account, or "Sorot OPD"), the city's under each and below.
focus = opd_focus.choose(store, user, "ringkasan_opd", st.columns(3)[0])
if opd_focus.headline(store, focus, s.latest):
    st.subheader(t("s4.city_heading"), anchor=False)

c1, c2, c3, c4 = st.columns(4)
ui.metric(
    c1,
    measures.label("orang_daftar_awal"),
    t("ringkasan.n_people", n=fmt.number(s.baseline_people)),
    **fmt.delta_args(
        t(
            "ringkasan.baseline_of",
            families=t("ringkasan.n_families", n=fmt.number(s.baseline_families)),
            date=fmt.bulan(df["as_of"].iloc[0]),
        )
    ),
)
ui.metric(
    c2,
    measures.label("orang_sisa_daftar_awal"),
    t("ringkasan.n_people", n=fmt.number(s.remaining_people)),
    **fmt.delta_args(
        t("ringkasan.since_baseline", pct=fmt.percent(s.reduced_share)), -s.reduced_share, down_is_good=True
    ),
)
family_change = s.remaining_families - s.baseline_families
ui.metric(
    c3,
    measures.label("keluarga_sisa_daftar_awal"),
    fmt.number(s.remaining_families),
    **fmt.delta_args(
        t("ringkasan.n_families", n=fmt.signed(family_change)), family_change, down_is_good=True
    ),
)
counted = t(
    "i15s.counted_from",
    basis=now_target.basis,
    date=fmt.tanggal(now_target.zero_by),
    today=fmt.tanggal(today),
)
if s.days_to_target >= 0:
    c4.metric(t("ringkasan.days_to_target"), fmt.number(s.days_to_target), **fmt.delta_args(counted))
else:
    c4.metric(
        t("ringkasan.target_passed"),
        t("ringkasan.n_days", n=fmt.number(-s.days_to_target)),
        **fmt.delta_args(counted),
    )

box = st.success if verdict.on_track else st.error
box(f"**{verdict.headline}.** {verdict.reason}")
st.markdown(measures.side_by_side(s.on_list_people, s.remaining_people, s.new_people))

# Proven against unproven graduation among the reasons, and graduated families back in poverty.
policy = ui.policy()
grad = graduation.summary(store, s.latest)
if grad.keluar:
    line = t(
        "c19.grad_line",
        proven=fmt.number(grad.graduasi_terbukti),
        unproven=fmt.number(grad.graduasi_tanpa_bukti),
        desil=fmt.number(grad.desil_naik),
        verval=fmt.number(grad.dari_verval),
    )
    st.caption(policy.text(line))
back = graduation.kembali_miskin(store, s.latest)
if len(back):
    st.warning(policy.text(t("c19.kembali_flag", n=fmt.number(len(back)))), icon=":material/replay:")
    named = graduation.named_families(back, user)
    if named is not None:
        with st.expander(t("c19.kembali_list", n=fmt.number(len(named)))):
            ui.table(graduation.named_table(named), "kembali_miskin", key="ringkasan_kembali")
    else:
        with st.expander(policy.text(t("c19.kembali_agg", n=fmt.number(len(back))))):
            ui.table(graduation.kembali_miskin_by_kecamatan(back), "kembali_miskin", key="ringkasan_kembali")

left, right = st.columns([3, 2])
fc = progress.forecast(list(df["as_of"]), list(df["orang_sisa_baseline"]))
ui.chart(
    ui.figure(
        charts.burndown_figure,
        df,
        "orang",
        settings.targets(store),
        fc,
        t("ringkasan.chart_title", n=fmt.number(s.remaining_people), base=fmt.number(s.baseline_people)),
        compact=True,
        changes=ui.kept(progress.source_changes, store),
    ),
    key="ringkasan_burndown",
    container=left,
)
pockets = progress.top_pockets(store)
top = pockets.iloc[0]
pockets_title = t("ringkasan.pockets_title", kec=top["kecamatan"], n=fmt.number(top["orang_aktif"]))
ui.chart(
    ui.figure(charts.pockets_bar, pockets, "orang_aktif", "kecamatan", pockets_title),
    key="ringkasan_pockets",
    container=right,
)
st.caption(t("ringkasan.footer", date=fmt.tanggal(s.latest, "d MMMM yyyy")))
ui.downloads(tables.pockets_table(pockets), "kantong_terbesar", key="ringkasan_pockets_dl")
