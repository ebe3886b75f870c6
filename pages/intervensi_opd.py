"""Intervensi OPD: who each OPD reached on the list, overlaps, untouched families, off-list, BLT budget."""

import streamlit as st

from analytics import budget, opd, opd_charts, settings, ui
from analytics import formatting as fmt

store = ui.store()
user = ui.require()
st.title("Intervensi OPD")
if problem := opd.ensure_ready(store):
    st.warning(problem)
dates = ui.snapshot_dates(store)
if not dates or not opd.has_interventions(store):
    st.info("Belum ada data intervensi OPD. DinsosPM mengimpor berkas OPD di halaman Data & Impor.")
    st.stop()

names = opd.opd_names(store)
choices = [None, *names]
left, right = st.columns(2)
as_of = left.selectbox(
    "Snapshot daftar P3KE", dates[::-1], format_func=fmt.tanggal, key="intervensi_snapshot"
)
focus = right.selectbox(
    "Sorot OPD",
    choices,
    index=choices.index(user.opd) if user.opd in names else 0,
    format_func=lambda k: "Semua OPD" if k is None else names[k],
    key="intervensi_opd",
)

cov = opd.coverage(store, as_of)
city = cov[cov["kode_opd"] == "*"].iloc[0]
untouched = opd.untouched_by_kecamatan(store, as_of)
cols = st.columns(5)
cols[0].metric("Keluarga di daftar", fmt.number(city["keluarga_di_daftar"]))
cols[1].metric(
    "Tersentuh intervensi",
    fmt.number(city["keluarga_terjangkau"]),
    fmt.percent(city["cakupan_keluarga"]),
    delta_color="off",
    delta_arrow="off",
)
cols[2].metric("Belum tersentuh", fmt.number(untouched["keluarga_belum_tersentuh"].sum()))
cols[3].metric("Penerima di luar daftar", fmt.number(city["penerima_luar_daftar"]))
cols[4].metric("Penugasan belum tersalur", fmt.number(city["penugasan_belum_tersalur"]))
later = opd.records_after(store, as_of)
st.caption(
    f"Angka = keluarga dan orang di daftar P3KE kota pada {fmt.tanggal(as_of)} yang sudah menerima "
    "penyaluran (status Tersalur) sampai tanggal itu; bukan angka kemiskinan BPS. Bantuan per keluarga "
    "menjangkau semua anggota keluarga itu."
    + (f" {fmt.number(later)} catatan bertanggal setelah snapshot ini belum dihitung." if later else "")
)

tabs = st.tabs(
    [
        "Cakupan OPD",
        "OPD × kecamatan",
        "Irisan strategi",
        "Belum tersentuh",
        "Di luar daftar",
        "Kiriman data",
        "Anggaran BLT",
    ]
)

with tabs[0]:
    st.plotly_chart(opd_charts.ranking_figure(cov, focus), key="intervensi_ranking")
    ui.table(opd.coverage_table(cov), f"cakupan_opd_{as_of}", key="intervensi_cov")
    label = "semua OPD" if focus is None else names[focus]
    st.subheader(f"Per program — {label}")
    programs = opd.program_table(opd.program_coverage(store, as_of), focus)
    ui.table(programs, f"cakupan_program_{as_of}", key="intervensi_prog")
    st.caption(
        "Penugasan belum tersalur = pasangan penerima–program berstatus Rencana tanpa catatan Tersalur "
        "sampai snapshot, untuk penerima yang masih di daftar."
    )

with tabs[1]:
    kec = opd.kecamatan_coverage(store, as_of)
    st.plotly_chart(opd_charts.heatmap_figure(kec), key="intervensi_heatmap")
    ui.table(opd.kecamatan_table(kec), f"cakupan_opd_kecamatan_{as_of}", key="intervensi_heat")

with tabs[2]:
    combos = opd.overlap(store, as_of)
    st.plotly_chart(opd_charts.upset_figure(combos), key="intervensi_upset")
    ui.table(opd.overlap_table(combos), f"irisan_strategi_{as_of}", key="intervensi_overlap")
    st.caption(
        "Tunai = bantuan pendapatan (mis. BLT); Usaha = usaha ekonomi produktif; Kantong = kerja kantong "
        "kemiskinan (mis. bedah rumah). Satu keluarga dihitung sekali, pada kombinasi yang diterimanya."
    )

with tabs[3]:
    st.plotly_chart(opd_charts.untouched_figure(untouched), key="intervensi_untouched")
    ui.table(opd.untouched_kecamatan_table(untouched), f"belum_tersentuh_{as_of}", key="intervensi_unt")
    if user.sees_named_records:
        st.subheader("Keluarga yang belum tersentuh")
        families = opd.untouched_families(store, as_of, user)
        scope = "" if user.sees_all_records else f" yang punya catatan/penugasan {user.opd}"
        st.caption(f"{fmt.number(len(families))} keluarga{scope}. NIK ditampilkan tersamar.")
        ui.table(families, f"keluarga_belum_tersentuh_{as_of}", key="intervensi_unt_list")
    else:
        st.info("Daftar per keluarga hanya untuk DinsosPM dan OPD terkait. Angka di atas adalah agregat.")

with tabs[4]:
    st.plotly_chart(opd_charts.off_list_figure(cov), key="intervensi_offlist")
    st.caption(
        "DinsosPM meminta OPD mengambil penerima dari daftar P3KE. Catatan untuk penerima di luar daftar "
        "tetap disimpan dan ditandai, tidak dibuang."
    )
    mine = user.opd if user.kind == "opd" else focus
    if user.sees_named_records:
        rows = opd.off_list_table(opd.off_list(store, as_of, user), user.sees_named_records, mine)
        st.caption(f"{fmt.number(len(rows))} penerima di luar daftar" + (f" — {names[mine]}" if mine else ""))
        ui.table(rows, f"penerima_luar_daftar_{as_of}", key="intervensi_off")
    else:
        st.info("Rincian per penerima hanya untuk DinsosPM dan OPD pemiliknya.")

with tabs[5]:
    fresh = opd.freshness(store, as_of)
    st.plotly_chart(opd_charts.freshness_figure(fresh, as_of), key="intervensi_fresh")
    ui.table(opd.freshness_table(fresh), f"kiriman_data_opd_{as_of}", key="intervensi_fresh_tbl")
    st.caption("Hari sebelum snapshot = jarak tanggal catatan terakhir OPD ke tanggal snapshot yang dipilih.")

with tabs[6]:
    cash = budget.cash_programs(store)
    if cash.empty:
        st.info("Belum ada program bantuan tunai di data/program.csv.")
    else:
        codes = list(cash["kode_program"])
        label_of = dict(zip(cash["kode_program"], cash["nama"], strict=True))
        chosen = st.selectbox(
            "Program",
            codes,
            index=codes.index(budget.default_program(cash, as_of)),
            format_func=lambda k: f"{k} — {label_of[k]}",
            key="intervensi_program",
        )
        b = budget.budget(store, chosen, as_of, settings.target_date(store))
        p = b.program
        st.caption(
            f"Pengaturan program (data/program.csv): {fmt.rupiah(p['nilai'])} per {p['satuan']} per bulan × "
            f"{p['bulan']} bulan, {p['sumber_dana']}. Rencana = penerima × nilai × bulan."
        )
        k = st.columns(4)
        unit = f"{fmt.number(b.penerima)} {p['satuan']}"
        k[0].metric("Rencana", fmt.rupiah(b.rencana), unit, delta_color="off", delta_arrow="off")
        k[1].metric(
            "Tersalur", fmt.rupiah(b.tersalur), fmt.percent(b.realisasi), delta_color="off", delta_arrow="off"
        )
        k[2].metric("Sisa anggaran", fmt.rupiah(b.sisa))
        if b.bulan_ke_target:
            k[3].metric("Kebutuhan s.d. target", fmt.rupiah(b.kebutuhan_ke_target))
        else:
            k[3].metric("Kebutuhan per bulan", fmt.rupiah(b.kebutuhan_per_bulan), "target terlewati", "off")
        st.caption(
            f"Kebutuhan = seluruh sisa daftar ({fmt.number(b.sisa_daftar)} {p['satuan']} pada "
            f"{fmt.tanggal(as_of)}) × {fmt.rupiah(p['nilai'])} = {fmt.rupiah(b.kebutuhan_per_bulan)} "
            f"per bulan, selama {b.bulan_ke_target} bulan sampai target {fmt.tanggal(b.target)}."
            + (" Tanggal target sudah tercapai pada snapshot ini." if not b.bulan_ke_target else "")
        )
        st.plotly_chart(opd_charts.budget_monthly_figure(b), key="intervensi_budget_month")
        ui.table(budget.monthly_table(b), f"anggaran_{chosen}_bulanan", key="intervensi_budget_m")
        st.plotly_chart(opd_charts.budget_kecamatan_figure(b), key="intervensi_budget_kec")
        ui.table(budget.kecamatan_table(b), f"anggaran_{chosen}_kecamatan", key="intervensi_budget_k")
