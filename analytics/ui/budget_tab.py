"""Intervensi OPD's BLT budget tab: the cash programme chosen (kept in the link), planned against
delivered, what remains and what the list needs to the target date, by month and kecamatan."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics import formatting as fmt
from analytics import ui
from analytics.burndown import progress
from analytics.i18n import t
from analytics.opd import budget, charts
from analytics.store import settings
from analytics.store.db import Store
from analytics.ui import view_state


def show(store: Store, as_of: date) -> None:
    """The tab's selector, key figures, note, charts and tables at the snapshot as_of."""
    cash = budget.cash_programs(store)
    if cash.empty:
        st.info(t("intervensi.no_cash"))
        return
    codes = list(cash["kode_program"])
    label_of = dict(zip(cash["kode_program"], cash["nama"], strict=True))
    chosen = view_state.selectbox(
        t("intervensi.program"),
        codes,
        "program",
        default=budget.default_program(cash, as_of),
        format_func=lambda k: f"{k} — {label_of[k]}",
        key="intervensi_program",
    )
    b = budget.budget(store, chosen, as_of, settings.target_in_force(store, as_of).zero_by)
    p = b.program
    st.caption(
        t(
            "intervensi.program_settings",
            value=fmt.rupiah(p["nilai"]),
            unit=t(f"meeting.per_unit.{p['satuan']}"),
            months=p["bulan"],
            source=p["sumber_dana"],
        )
    )
    k = st.columns(4)
    unit = fmt.number(b.penerima) + " " + t(f"unit.{p['satuan']}")
    ui.metric(k[0], t("intervensi.plan"), fmt.rupiah(b.rencana), unit, delta_color="off", delta_arrow="off")
    ui.metric(
        k[1],
        t("intervensi.delivered"),
        fmt.rupiah(b.tersalur),
        fmt.percent(b.realisasi),
        delta_color="off",
        delta_arrow="off",
    )
    ui.metric(k[2], t("intervensi.budget_left"), fmt.rupiah(b.sisa))
    if b.bulan_ke_target:
        ui.metric(k[3], t("intervensi.need_to_target"), fmt.rupiah(b.kebutuhan_ke_target))
    else:
        ui.metric(
            k[3],
            t("intervensi.need_per_month"),
            fmt.rupiah(b.kebutuhan_per_bulan),
            **fmt.delta_args(t("ringkasan.target_passed")),
        )
    st.caption(
        t(
            "intervensi.need_note",
            n=fmt.number(b.sisa_daftar),
            unit=t(f"unit.{p['satuan']}"),
            date=fmt.tanggal(as_of),
            value=fmt.rupiah(p["nilai"]),
            monthly=fmt.rupiah(b.kebutuhan_per_bulan),
            months=b.bulan_ke_target,
            target=fmt.tanggal(b.target),
        )
        + (" " + t("intervensi.target_reached") if not b.bulan_ke_target else "")
    )
    changes = ui.kept(progress.source_changes, store)  # the change of registry, marked on the months
    ui.chart(ui.figure(charts.budget_monthly_figure, b, changes), key="intervensi_budget_month")
    ui.table(budget.monthly_table(b), f"anggaran_{chosen}_bulanan", key="intervensi_budget_m")
    ui.chart(ui.figure(charts.budget_kecamatan_figure, b), key="intervensi_budget_kec")
    ui.table(budget.kecamatan_table(b), f"anggaran_{chosen}_kecamatan", key="intervensi_budget_k")
