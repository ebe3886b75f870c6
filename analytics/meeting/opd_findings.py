"""The meeting's OPD findings: coverage gained or stalled, untouched families, off-list, the BLT budget.

Every number is read through analytics.opd.coverage and analytics.opd.budget at the two snapshot dates.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics import measures
from analytics.access.auth import User
from analytics.burndown import progress
from analytics.i18n import t
from analytics.meeting import charts as mc
from analytics.meeting.model import Finding, KeyNumber, count_of, since_label
from analytics.opd import budget, charts, coverage
from analytics.store.db import Store


def _points(share: float) -> str:
    return t("metric.points", n=fmt.signed(share * 100, 1))


def coverage_finding(cov_prev: pd.DataFrame, cov_cur: pd.DataFrame, prev: date, cur: date) -> Finding:
    """Per OPD: share of the list's families reached at both dates; gained when the share rose."""
    a, b = cov_prev.set_index("kode_opd"), cov_cur.set_index("kode_opd")
    df = pd.DataFrame(
        {
            "opd": b["singkatan"],
            "nama": b["nama"],
            "keluarga_lalu": a["keluarga_terjangkau"],
            "keluarga_kini": b["keluarga_terjangkau"],
            "cakupan_lalu": a["cakupan_keluarga"].fillna(0.0),
            "cakupan_kini": b["cakupan_keluarga"].fillna(0.0),
            "penerima_baru": b["penerima"] - a["penerima"],
        }
    )
    df["perubahan"] = df["cakupan_kini"] - df["cakupan_lalu"]
    df["naik"] = df["perubahan"] > 0
    city, opds = df.loc["*"], df.drop(index="*").sort_values(["perubahan", "cakupan_kini"], ascending=False)
    gained, stalled = opds[opds["naik"]], opds[~opds["naik"]]
    title = t("meeting.cov_title", n=len(gained), total=len(opds), since=since_label(prev))
    if len(stalled):
        names = ", ".join(stalled.sort_values("cakupan_kini")["opd"].head(3))
        more = t("meeting.cov_more", n=len(stalled) - 3) if len(stalled) > 3 else ""
        title += t("meeting.cov_stalled", n=len(stalled), names=names, more=more)
    numbers = [
        KeyNumber(
            measures.label("persen_keluarga_terjangkau"),
            fmt.percent(city["cakupan_kini"]),
            _points(city["perubahan"]),
            city["perubahan"],
            False,
        ),
        KeyNumber(t("meeting.opd_up"), count_of(len(gained), len(opds))),
        KeyNumber(t("meeting.opd_not_up"), count_of(len(stalled), len(opds))),
    ]
    rows = pd.concat([df.loc[["*"]], opds])
    table = pd.DataFrame(
        {
            "OPD": rows["nama"],
            measures.at_date("keluarga_terjangkau", fmt.tanggal(prev)): rows["keluarga_lalu"].astype("int64"),
            measures.at_date("keluarga_terjangkau", fmt.tanggal(cur)): rows["keluarga_kini"].astype("int64"),
            measures.at_date("persen_keluarga_terjangkau", fmt.tanggal(prev)): (
                rows["cakupan_lalu"] * 100
            ).round(1),
            measures.at_date("persen_keluarga_terjangkau", fmt.tanggal(cur)): (
                rows["cakupan_kini"] * 100
            ).round(1),
            t("meeting.col_change_points"): (rows["perubahan"] * 100).round(1),
            t("meeting.col_new_recipients"): rows["penerima_baru"].astype("int64"),
            t("col.status"): rows["naik"].map(
                {True: t("meeting.status_up"), False: t("meeting.status_not_up")}
            ),
        }
    )
    return Finding(
        "cakupan_opd",
        t("meeting.topic.cakupan_opd"),
        title,
        numbers,
        table,
        note=t("meeting.cov_note"),
        figure=lambda: mc.coverage_figure(opds.reset_index(), prev, cur),
    )


def untouched_finding(store: Store, prev: date, cur: date) -> Finding:
    """Families on the list that no intervention has reached, at both dates, per kecamatan."""
    a = coverage.untouched_by_kecamatan(store, prev).set_index("kode_kecamatan")
    b = coverage.untouched_by_kecamatan(store, cur)
    before, now = int(a["keluarga_belum_tersentuh"].sum()), int(b["keluarga_belum_tersentuh"].sum())
    listed = int(b["keluarga_di_daftar"].sum())
    title = t(
        "meeting.untouched_title",
        n=fmt.number(now),
        listed=fmt.number(listed),
        change=fmt.signed(now - before),
        since=since_label(prev),
    )
    numbers = [
        KeyNumber(
            measures.label("keluarga_belum_tersentuh"),
            fmt.number(now),
            fmt.signed(now - before),
            now - before,
            True,
        ),
        KeyNumber(t("meeting.share_of_listed"), fmt.percent(now / listed) if listed else "–"),
    ]
    rows = b.sort_values(["keluarga_belum_tersentuh", "kecamatan"], ascending=[False, True])
    lalu = rows["kode_kecamatan"].map(a["keluarga_belum_tersentuh"]).astype("int64")
    table = pd.DataFrame(
        {
            t("col.kecamatan"): rows["kecamatan"],
            t("meeting.col_untouched_at", date=fmt.tanggal(prev)): lalu,
            t("meeting.col_untouched_at", date=fmt.tanggal(cur)): rows["keluarga_belum_tersentuh"],
            t("col.perubahan"): rows["keluarga_belum_tersentuh"] - lalu,
            t("meeting.col_listed_at", date=fmt.tanggal(cur)): rows["keluarga_di_daftar"],
            t("col.pct_belum"): (rows["porsi"] * 100).round(1),
        }
    )
    return Finding(
        "belum_tersentuh",
        t("meeting.topic.belum_tersentuh"),
        title,
        numbers,
        table,
        note=t("meeting.untouched_note"),
        figure=lambda: charts.untouched_figure(b),
    )


def off_list_finding(
    store: Store, cov_prev: pd.DataFrame, cov_cur: pd.DataFrame, prev: date, cur: date, user: User
) -> Finding:
    """Beneficiaries outside the P3KE list per OPD, and those recorded since the last meeting."""
    a, b = cov_prev.set_index("kode_opd"), cov_cur.set_index("kode_opd")
    before, now = int(a.at["*", "penerima_luar_daftar"]), int(b.at["*", "penerima_luar_daftar"])
    new = t("meeting.col_new_since")
    per = pd.DataFrame(
        {
            "OPD": b["nama"],
            t("meeting.col_off_until", date=fmt.tanggal(prev)): a["penerima_luar_daftar"].astype("int64"),
            t("meeting.col_off_until", date=fmt.tanggal(cur)): b["penerima_luar_daftar"].astype("int64"),
            new: (b["penerima_luar_daftar"] - a["penerima_luar_daftar"]).astype("int64"),
        }
    ).drop(index="*")
    per = per[per.iloc[:, 2] > 0].sort_values([new, per.columns[2], "OPD"], ascending=[False, False, True])
    title = t("meeting.off_title", n=fmt.number(now), new=fmt.number(now - before), since=since_label(prev))
    if len(per) and per[new].iloc[0] > 0:
        top = per.index[0]
        title += t("meeting.off_top", opd=b.at[top, "singkatan"], n=fmt.number(per.at[top, new]))
    numbers = [
        KeyNumber(
            measures.label("penerima_luar_daftar"),
            fmt.number(now),
            fmt.signed(now - before),
            now - before,
            True,
        ),
        KeyNumber(t("meeting.opd_with_off"), count_of(len(per), len(b) - 1)),
    ]
    detail = None
    if user.sees_named_records:
        rows = coverage.off_list(store, cur, user)
        rows = rows[rows["tanggal"].map(lambda v: v.date()) > prev]
        detail = coverage.off_list_table(rows, user.sees_named_records)
    return Finding(
        "luar_daftar",
        t("meeting.topic.luar_daftar"),
        title,
        numbers,
        per.reset_index(drop=True),
        note=t("meeting.off_note"),
        figure=lambda: charts.off_list_figure(cov_cur),
        detail=detail,
        detail_title=t("meeting.off_detail", date=fmt.tanggal(prev)),
    )


def budget_finding(store: Store, prev: date, cur: date, target: date) -> Finding | None:
    """The BLT budget now: planned, delivered (and since the last meeting), left, the need to the target."""
    cash = budget.cash_programs(store)
    code = budget.default_program(cash, cur)
    if code is None:
        return None
    b, b_prev = budget.budget(store, code, cur, target), budget.budget(store, code, prev, target)
    moved = b.tersalur - b_prev.tersalur
    changes = progress.source_changes(store)
    p = b.program
    share = fmt.percent(b.realisasi) if b.realisasi is not None else "–"
    title = t(
        "meeting.blt_title",
        code=code,
        delivered=fmt.rupiah(b.tersalur),
        plan=fmt.rupiah(b.rencana),
        share=share,
        moved=fmt.rupiah(moved),
        since=since_label(prev),
    )
    need = (
        KeyNumber(t("intervensi.need_to_target"), fmt.rupiah(b.kebutuhan_ke_target))
        if b.bulan_ke_target
        else KeyNumber(
            t("intervensi.need_per_month"), fmt.rupiah(b.kebutuhan_per_bulan), t("meeting.target_passed")
        )
    )
    units = t(f"unit.{p['satuan']}")
    numbers = [
        KeyNumber(t("intervensi.plan"), fmt.rupiah(b.rencana), f"{fmt.number(b.penerima)} {units}"),
        KeyNumber(
            t("intervensi.delivered"), fmt.rupiah(b.tersalur), f"{fmt.rupiah(moved)} {since_label(prev)}"
        ),
        KeyNumber(t("intervensi.budget_left"), fmt.rupiah(b.sisa)),
        need,
    ]
    return Finding(
        "anggaran_blt",
        t("meeting.topic.anggaran_blt"),
        title,
        numbers,
        budget.kecamatan_table(b),
        note=t(
            "meeting.blt_note",
            name=p["nama"],
            value=fmt.rupiah(p["nilai"]),
            unit=t(f"meeting.per_unit.{p['satuan']}"),
            months=p["bulan"],
            source=p["sumber_dana"],
            left=fmt.number(b.sisa_daftar),
            units=units,
        ),
        figure=lambda: charts.budget_monthly_figure(b, changes),
    )


def add_findings(
    store: Store, findings: list[Finding], prev: date, cur: date, target: date, user: User
) -> list[str]:
    """Append the OPD findings (when OPD data exists); returns notes for the reader."""
    if not coverage.has_interventions(store):
        return [t("meeting.no_opd_data")]
    cov_prev, cov_cur = coverage.coverage(store, prev), coverage.coverage(store, cur)
    findings.append(coverage_finding(cov_prev, cov_cur, prev, cur))
    findings.append(untouched_finding(store, prev, cur))
    findings.append(off_list_finding(store, cov_prev, cov_cur, prev, cur, user))
    if (blt := budget_finding(store, prev, cur, target)) is not None:
        findings.append(blt)
    return []
