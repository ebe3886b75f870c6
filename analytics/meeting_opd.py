"""The meeting's OPD findings: coverage gained or stalled, untouched families, off-list, the BLT budget.

Every number is read through analytics.opd and analytics.budget at the two snapshot dates.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import budget, opd, opd_charts
from analytics import formatting as fmt
from analytics import meeting_charts as mc
from analytics.auth import User
from analytics.meeting import Finding, KeyNumber
from analytics.store import Store


def _points(share: float) -> str:
    return f"{fmt.signed(share * 100, 1)} poin"


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
    title = f"{len(gained)} dari {len(opds)} OPD menaikkan cakupan keluarga {_since(prev)}"
    if len(stalled):
        names = ", ".join(stalled.sort_values("cakupan_kini")["opd"].head(3))
        more = f" dan {len(stalled) - 3} lainnya" if len(stalled) > 3 else ""
        title += f"; {len(stalled)} tidak naik ({names}{more})"
    numbers = [
        KeyNumber(
            "Keluarga tersentuh intervensi",
            fmt.percent(city["cakupan_kini"]),
            _points(city["perubahan"]),
            city["perubahan"],
            False,
        ),
        KeyNumber("OPD naik", f"{len(gained)} dari {len(opds)}"),
        KeyNumber("OPD tidak naik", f"{len(stalled)} dari {len(opds)}"),
    ]
    rows = pd.concat([df.loc[["*"]], opds])
    table = pd.DataFrame(
        {
            "OPD": rows["nama"],
            f"Keluarga terjangkau {fmt.tanggal(prev)}": rows["keluarga_lalu"].astype("int64"),
            f"Keluarga terjangkau {fmt.tanggal(cur)}": rows["keluarga_kini"].astype("int64"),
            f"% keluarga di daftar {fmt.tanggal(prev)}": (rows["cakupan_lalu"] * 100).round(1),
            f"% keluarga di daftar {fmt.tanggal(cur)}": (rows["cakupan_kini"] * 100).round(1),
            "Perubahan (poin %)": (rows["perubahan"] * 100).round(1),
            "Penerima baru tercatat": rows["penerima_baru"].astype("int64"),
            "Status": rows["naik"].map({True: "Naik", False: "Tidak naik"}),
        }
    )
    return Finding(
        "cakupan_opd",
        "Cakupan OPD",
        title,
        numbers,
        table,
        note="Cakupan = keluarga di daftar pada tanggal itu yang sudah menerima penyaluran OPD (status "
        "Tersalur) sampai tanggal itu, dibagi keluarga di daftar. Naik = bagian itu bertambah; penerima "
        "baru tercatat termasuk penerima di luar daftar.",
        figure=lambda: mc.coverage_figure(opds.reset_index(), prev, cur),
    )


def untouched_finding(store: Store, prev: date, cur: date) -> Finding:
    """Families on the list that no intervention has reached, at both dates, per kecamatan."""
    a = opd.untouched_by_kecamatan(store, prev).set_index("kode_kecamatan")
    b = opd.untouched_by_kecamatan(store, cur)
    before, now = int(a["keluarga_belum_tersentuh"].sum()), int(b["keluarga_belum_tersentuh"].sum())
    listed = int(b["keluarga_di_daftar"].sum())
    title = (
        f"{fmt.number(now)} dari {fmt.number(listed)} keluarga di daftar belum tersentuh intervensi apa pun "
        f"({fmt.signed(now - before)} {_since(prev)})"
    )
    numbers = [
        KeyNumber("Keluarga belum tersentuh", fmt.number(now), fmt.signed(now - before), now - before, True),
        KeyNumber("Bagian dari keluarga di daftar", fmt.percent(now / listed) if listed else "–"),
    ]
    rows = b.sort_values(["keluarga_belum_tersentuh", "kecamatan"], ascending=[False, True])
    lalu = rows["kode_kecamatan"].map(a["keluarga_belum_tersentuh"]).astype("int64")
    table = pd.DataFrame(
        {
            "Kecamatan": rows["kecamatan"],
            f"Belum tersentuh {fmt.tanggal(prev)}": lalu,
            f"Belum tersentuh {fmt.tanggal(cur)}": rows["keluarga_belum_tersentuh"],
            "Perubahan": rows["keluarga_belum_tersentuh"] - lalu,
            f"Keluarga di daftar {fmt.tanggal(cur)}": rows["keluarga_di_daftar"],
            "% belum tersentuh": (rows["porsi"] * 100).round(1),
        }
    )
    return Finding(
        "belum_tersentuh",
        "Keluarga belum tersentuh",
        title,
        numbers,
        table,
        note="Belum tersentuh = keluarga di daftar yang belum menerima penyaluran dari OPD mana pun. "
        "Keluarga yang keluar dari daftar tidak dihitung lagi.",
        figure=lambda: opd_charts.untouched_figure(b),
    )


def off_list_finding(
    store: Store, cov_prev: pd.DataFrame, cov_cur: pd.DataFrame, prev: date, cur: date, user: User
) -> Finding:
    """Beneficiaries outside the P3KE list per OPD, and those recorded since the last meeting."""
    a, b = cov_prev.set_index("kode_opd"), cov_cur.set_index("kode_opd")
    before, now = int(a.at["*", "penerima_luar_daftar"]), int(b.at["*", "penerima_luar_daftar"])
    per = pd.DataFrame(
        {
            "OPD": b["nama"],
            f"Di luar daftar s.d. {fmt.tanggal(prev)}": a["penerima_luar_daftar"].astype("int64"),
            f"Di luar daftar s.d. {fmt.tanggal(cur)}": b["penerima_luar_daftar"].astype("int64"),
            "Baru sejak rapat lalu": (b["penerima_luar_daftar"] - a["penerima_luar_daftar"]).astype("int64"),
        }
    ).drop(index="*")
    per = per[per.iloc[:, 2] > 0].sort_values(
        ["Baru sejak rapat lalu", per.columns[2], "OPD"], ascending=[False, False, True]
    )
    title = (
        f"{fmt.number(now)} penerima OPD di luar daftar P3KE, {fmt.number(now - before)} baru {_since(prev)}"
    )
    if len(per) and per["Baru sejak rapat lalu"].iloc[0] > 0:
        top = per.index[0]
        title += (
            f"; terbanyak baru: {b.at[top, 'singkatan']} ({fmt.number(per.at[top, 'Baru sejak rapat lalu'])})"
        )
    numbers = [
        KeyNumber("Penerima di luar daftar", fmt.number(now), fmt.signed(now - before), now - before, True),
        KeyNumber("OPD dengan penerima di luar daftar", f"{len(per)} dari {len(b) - 1}"),
    ]
    detail = None
    if user.sees_named_records:
        rows = opd.off_list(store, cur, user)
        rows = rows[rows["tanggal"].map(lambda v: v.date()) > prev]
        detail = opd.off_list_table(rows, user.sees_named_records)
    return Finding(
        "luar_daftar",
        "Penerima di luar daftar",
        title,
        numbers,
        per.reset_index(drop=True),
        note="DinsosPM meminta OPD mengambil penerima dari daftar P3KE. Dihitung sekali per penerima "
        "(orang atau keluarga) pada catatan pertamanya di luar daftar.",
        figure=lambda: opd_charts.off_list_figure(cov_cur),
        detail=detail,
        detail_title=f"Catatan penerima di luar daftar yang pertama tercatat setelah {fmt.tanggal(prev)} "
        "(per OPD dan program)",
    )


def budget_finding(store: Store, prev: date, cur: date, target: date) -> Finding | None:
    """The BLT budget now: planned, delivered (and since the last meeting), left, the need to the target."""
    cash = budget.cash_programs(store)
    code = budget.default_program(cash, cur)
    if code is None:
        return None
    b, b_prev = budget.budget(store, code, cur, target), budget.budget(store, code, prev, target)
    moved = b.tersalur - b_prev.tersalur
    p = b.program
    share = fmt.percent(b.realisasi) if b.realisasi is not None else "–"
    title = (
        f"{code}: tersalur {fmt.rupiah(b.tersalur)} dari rencana {fmt.rupiah(b.rencana)} ({share}); "
        f"{fmt.rupiah(moved)} {_since(prev)}"
    )
    need = (
        KeyNumber("Kebutuhan s.d. target", fmt.rupiah(b.kebutuhan_ke_target))
        if b.bulan_ke_target
        else KeyNumber("Kebutuhan per bulan", fmt.rupiah(b.kebutuhan_per_bulan), "target terlewati")
    )
    numbers = [
        KeyNumber("Rencana", fmt.rupiah(b.rencana), f"{fmt.number(b.penerima)} {p['satuan']}"),
        KeyNumber("Tersalur", fmt.rupiah(b.tersalur), f"{fmt.rupiah(moved)} {_since(prev)}"),
        KeyNumber("Sisa anggaran", fmt.rupiah(b.sisa)),
        need,
    ]
    return Finding(
        "anggaran_blt",
        "Anggaran BLT",
        title,
        numbers,
        budget.kecamatan_table(b),
        note=f"{p['nama']}: {fmt.rupiah(p['nilai'])} per {p['satuan']} per bulan × {p['bulan']} bulan, "
        f"{p['sumber_dana']}. Rencana = penerima × nilai × bulan. Kebutuhan = sisa daftar "
        f"({fmt.number(b.sisa_daftar)} {p['satuan']}) × {fmt.rupiah(p['nilai'])} per bulan sampai target.",
        figure=lambda: opd_charts.budget_monthly_figure(b),
    )


def _since(prev: date) -> str:
    return f"sejak {fmt.tanggal(prev)}"


def add_findings(
    store: Store, findings: list[Finding], prev: date, cur: date, target: date, user: User
) -> list[str]:
    """Append the OPD findings (when OPD data exists); returns notes for the reader.

    Call opd.ensure_ready first (outside a read block: it may bring the summaries up to date).
    """
    if not opd.has_interventions(store):
        return [
            "Belum ada data intervensi OPD, jadi temuan cakupan OPD, keluarga belum tersentuh, penerima "
            "di luar daftar dan anggaran BLT belum dapat disusun."
        ]
    cov_prev, cov_cur = opd.coverage(store, prev), opd.coverage(store, cur)
    findings.append(coverage_finding(cov_prev, cov_cur, prev, cur))
    findings.append(untouched_finding(store, prev, cur))
    findings.append(off_list_finding(store, cov_prev, cov_cur, prev, cur, user))
    if (blt := budget_finding(store, prev, cur, target)) is not None:
        findings.append(blt)
    return []
