"""Profil Wilayah: one kecamatan or kelurahan, for the camat and the lurah (?kode=<area code>)."""

import streamlit as st

from analytics import formatting as fmt
from analytics import measures, ui
from analytics.burndown import charts, progress
from analytics.i18n import t
from analytics.profiles import area as area_profile
from analytics.store import settings
from analytics.ui import area as ui_area

store = ui.store()
user = ui.require()
areas = area_profile.all_areas(store)
link = st.query_params.get("kode")
if link != st.session_state.get("wilayah_url"):  # opened by a link (Peta, a table, a copied URL)
    st.session_state["wilayah_url"] = link
    asked = area_profile.find(areas, link)
    if asked is not None:
        st.session_state["wilayah_kode"] = asked.code
    elif link:
        st.warning(t("s3.unknown_area", code=fmt.md(link)))
if st.session_state.get("wilayah_kode") not in areas:
    st.session_state["wilayah_kode"] = area_profile.default_code(areas, user)
code = st.selectbox(
    t("s3.area"),
    list(areas),
    format_func={c: a.label if a.level == "kecamatan" else f"· {a.label}" for c, a in areas.items()}.get,
    key="wilayah_kode",
)
area = areas[code]
st.query_params["kode"] = st.session_state["wilayah_url"] = code
st.title(t("s3.title", area=area.label))

df = area_profile.progress(store, area)
if df.empty or df["orang_sisa_baseline"].iloc[0] == 0:
    st.info(t("burndown.empty", area=area.label))
    st.stop()
dates = list(df["as_of"])
as_of = dates[-1]

st.subheader(t("s3.progress"))
every = settings.targets(store)
in_force = settings.target_in_force(store, as_of)
col = progress.remaining_column("orang")
fc = progress.forecast(dates, list(df[col]))
verdict = progress.verdict(df, "orang", in_force)
base, last = int(df[col].iloc[0]), int(df[col].iloc[-1])
title = t(
    "burndown.chart_title",
    area=area.label,
    n=fmt.number(last),
    base=fmt.number(base),
    noun=t("unit.orang"),
    pct=fmt.signed(-(1 - last / base) * 100, 1),
)
(st.success if verdict.on_track else st.error)(f"**{verdict.headline}.** {verdict.reason}")
ui.chart(
    ui.figure(
        charts.burndown_figure,
        df,
        "orang",
        every,
        fc,
        ui.policy().text(title),
        changes=ui.kept(progress.source_changes, store),
    ),
    key="wilayah_burndown",
)

meeting = area_profile.last_meeting(dates)
if meeting:
    st.subheader(t("s3.since_meeting", date=fmt.tanggal(meeting[0])))
    ch = area_profile.change(store, area, *meeting)
    cols = st.columns(4)
    ui.metric(
        cols[0],
        measures.label("orang_di_daftar"),
        fmt.number(ch.end),
        **fmt.delta_args(fmt.signed(ch.end - ch.start), ch.end - ch.start, down_is_good=True),
    )
    ui.metric(cols[1], measures.label("orang_keluar"), fmt.number(ch.left))
    ui.metric(cols[2], t("perubahan.graduation"), fmt.number(ch.graduated))
    ui.metric(cols[3], t("s3.entered"), fmt.number(ch.entered))
    ui_area.link("pages/perubahan.py", t("s3.see_changes"), ":material/waterfall_chart:")

st.subheader(t("s3.opd_reach", date=fmt.tanggal(as_of)))
reach = area_profile.opd_reach(store, area, as_of)
ui.table(area_profile.opd_reach_table(reach), f"jangkauan_opd_{code}_{as_of}", key="wilayah_reach")

st.subheader(measures.label("keluarga_belum_tersentuh"))
kel = area_profile.kelurahan_in(store, area, as_of)
ui.metric(st, measures.label("keluarga_belum_tersentuh"), fmt.number(kel["keluarga_belum_tersentuh"].sum()))
ui.table(area_profile.untouched_table(kel), f"belum_tersentuh_{code}_{as_of}", key="wilayah_untouched")
if area_profile.named_here(user, area):
    named = area_profile.untouched_families(store, user, area, as_of)
    st.caption(t("s3.named_families", n=fmt.number(len(named))))
    ui.table(named, f"keluarga_belum_tersentuh_{code}_{as_of}", key="wilayah_families")

if area.level == "kecamatan":
    st.subheader(t("s3.pockets", date=fmt.tanggal(as_of)))
    ranked = area_profile.pockets(store, area, as_of)
    st.caption(t("s3.pick_row"))
    ui.dataframe(ranked, key="wilayah_pockets", on_select="rerun", selection_mode="single-row")
    ui.downloads(ranked, f"kantong_{code}", key="wilayah_pockets_dl")
    ui_area.open_profile_on_select(ranked, "wilayah_pockets")
else:
    ui_area.profile_link(area.kecamatan, areas[area.kecamatan].label)
