"""The coordination meeting: what changed between the last meeting's snapshot and the current one.

`build` returns one Finding per agenda item. The Rapat page shows them and analytics.pack turns
the very same objects into the PDF, HTML and XLSX meeting pack, so no number is computed twice.
Every number comes from the burn-down, map, OPD and budget modules; this module only puts the
two dates side by side. The one rule defined here is the pace to zero (`needed_fall`).
"""

from __future__ import annotations

import calendar
import dataclasses
import math
from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics import i18n, measures
from analytics.access import disclosure
from analytics.access.auth import User
from analytics.burndown import charts, progress
from analytics.i18n import t
from analytics.maps import build as map_build
from analytics.maps import metrics, words
from analytics.meeting import charts as mc
from analytics.meeting import opd_findings, verval_findings
from analytics.meeting.model import Finding, KeyNumber, Meeting, count_of, since_label
from analytics.opd import coverage
from analytics.store import settings
from analytics.store.db import Store

# The default "last meeting" is the snapshot a quarter before the current one: national guidance
# asks for monthly monitoring (the burn-down page) and quarterly evaluation, which is what a
# coordination meeting of 15 OPDs, the camat and the lurah does.
LOOKBACK_MONTHS = 3
MAP_METRIC, MAP_SCHEME = "orang", "kuantil"


def months_before(d: date, months: int) -> date:
    """The same day `months` months earlier; a month's last day gives that month's last day."""
    y, m = divmod(d.year * 12 + d.month - 1 - months, 12)
    last = calendar.monthrange(y, m + 1)[1]
    month_end = d.day == calendar.monthrange(d.year, d.month)[1]
    return date(y, m + 1, last if month_end else min(d.day, last))


def default_previous(dates: list[date], months: int = LOOKBACK_MONTHS) -> date:
    """The newest snapshot at least `months` before the latest one (else the first snapshot)."""
    cutoff = months_before(dates[-1], months)
    earlier = [d for d in dates[:-1] if d <= cutoff]
    return earlier[-1] if earlier else dates[0]


def needed_fall(remaining: int, prev: date, cur: date, target: date) -> int:
    """People who had to leave between prev and cur to be on a straight line from prev to zero at target.

    The line starts at the count remaining at the last meeting and ends at zero on the target
    date; a date on or after the target needs everything gone. Rounded up to whole people.
    """
    if remaining <= 0:
        return 0
    if cur >= target:
        return int(remaining)
    share = (cur - prev).days / (target - prev).days
    return math.ceil(round(remaining * share, 6))


def pace(series: pd.DataFrame, prev: date, cur: date, target: date) -> pd.DataFrame:
    """Per kecamatan: baseline remaining at both dates, the fall, the fall needed, and behind or not."""
    col = progress.remaining_column("orang")
    before = series[series["as_of"] == prev].set_index("kode_kecamatan")
    now = series[series["as_of"] == cur].set_index("kode_kecamatan")
    out = pd.DataFrame({"kecamatan": now["kecamatan"], "sisa_lalu": before[col], "sisa_kini": now[col]})
    out["turun"] = out["sisa_lalu"] - out["sisa_kini"]
    out["perlu_turun"] = [needed_fall(int(r), prev, cur, target) for r in out["sisa_lalu"]]
    out["kurang"] = (out["perlu_turun"] - out["turun"]).clip(lower=0)
    out["tertinggal"] = out["turun"] < out["perlu_turun"]
    out = out.reset_index()
    order = ["kurang", "sisa_kini", "kecamatan"]
    return out.sort_values(order, ascending=[False, False, True]).reset_index(drop=True)


def _delta(now: int, before: int, down_is_good: bool | None = True) -> tuple[str, int, bool | None]:
    """KeyNumber's delta, change and down_is_good for a count at two dates."""
    return fmt.signed(now - before), now - before, down_is_good


def remaining_finding(
    series: pd.DataFrame, prev: date, cur: date, target: date, changes: tuple = ()
) -> Finding:
    """People and families on the list now, and the change since the last meeting (the chart marks
    the change of registry: progress.source_changes)."""
    df = series[series["as_of"] <= cur].reset_index(drop=True)
    a, b = df.set_index("as_of").loc[prev], df.set_index("as_of").loc[cur]
    rows = [
        (measures.label("orang_di_daftar"), "orang_aktif"),
        (measures.label("keluarga_di_daftar"), "keluarga_aktif"),
        (measures.label("orang_sisa_daftar_awal"), "orang_sisa_baseline"),
        (measures.label("keluarga_sisa_daftar_awal"), "keluarga_sisa_baseline"),
        (measures.label("orang_masuk_sejak_awal"), "orang_baru"),
    ]
    numbers = [
        KeyNumber(label, fmt.number(b[col]), *_delta(int(b[col]), int(a[col]), good))
        for label, col, good in (
            (measures.label("orang_di_daftar"), "orang_aktif", True),
            (measures.label("keluarga_di_daftar"), "keluarga_aktif", True),
            (measures.label("orang_sisa_daftar_awal"), "orang_sisa_baseline", True),
            (measures.label("orang_masuk_sejak_awal"), "orang_baru", None),  # scope added
        )
    ]
    table = pd.DataFrame(
        {
            t("meeting.measure"): [label for label, _ in rows],
            t("meeting.prev_at", date=fmt.tanggal(prev)): [int(a[col]) for _, col in rows],
            t("meeting.now_at", date=fmt.tanggal(cur)): [int(b[col]) for _, col in rows],
            t("col.perubahan"): [int(b[col]) - int(a[col]) for _, col in rows],
        }
    )
    people, fams = int(b["orang_aktif"]), int(b["keluarga_aktif"])
    title = t(
        "meeting.sisa_title",
        people=fmt.number(people),
        families=fmt.number(fams),
        date=fmt.tanggal(cur),
        d_people=fmt.signed(people - int(a["orang_aktif"])),
        d_families=fmt.signed(fams - int(a["keluarga_aktif"])),
        since=since_label(prev),
    )
    col = progress.remaining_column("orang")
    fc = progress.forecast(list(df["as_of"]), list(df[col]))
    verdict = progress.verdict(df, "orang", target)
    base, last = int(df[col].iloc[0]), int(df[col].iloc[-1])
    chart_title = (
        t(
            "meeting.sisa_chart",
            n=fmt.number(last),
            base=fmt.number(base),
            pct=fmt.signed(-(1 - last / base) * 100, 1),
        )
        if base
        else t("meeting.no_baseline")
    )
    return Finding(
        "sisa",
        t("meeting.topic.sisa"),
        title,
        numbers,
        table,
        note=t("meeting.sisa_note", headline=verdict.headline, reason=verdict.reason),
        figure=lambda: mc.mark_previous(
            charts.burndown_figure(df, "orang", target, fc, chart_title, changes=changes), prev
        ),
    )


def exits_finding(steps: pd.DataFrame, prev: date) -> Finding:
    """Who left the list since the last meeting, by reason: graduation against data correction."""
    parts = progress.fall_breakdown(steps)
    out = parts["keluar"]
    share = lambda n: fmt.percent(n / out) if out else "–"  # noqa: E731
    numbers = [
        KeyNumber(t("perubahan.exits"), fmt.number(out)),
        KeyNumber(t("perubahan.graduation"), fmt.number(parts["graduasi"]), share(parts["graduasi"])),
        KeyNumber(t("perubahan.correction"), fmt.number(parts["koreksi"]), share(parts["koreksi"])),
        KeyNumber(t("reason.tidak_diketahui"), fmt.number(parts["tidak_diketahui"])),
    ]
    if out:
        title = t(
            "meeting.exits_title",
            n=fmt.number(out),
            since=since_label(prev),
            grad=fmt.number(parts["graduasi"]),
            share=share(parts["graduasi"]),
            corr=fmt.number(parts["koreksi"]),
        )
        if parts["tidak_diketahui"]:
            title += t("meeting.exits_unknown", n=fmt.number(parts["tidak_diketahui"]))
    else:
        title = t("meeting.no_exits", since=since_label(prev))
    start, end = int(steps["orang"].iloc[0]), int(steps["orang"].iloc[-1])
    chart_title = t(
        "meeting.exits_chart", start=fmt.number(start), end=fmt.number(end), share=share(parts["graduasi"])
    )
    table = steps[["label", "orang"]].rename(columns={"label": t("perubahan.step"), "orang": t("col.orang")})
    return Finding(
        "keluar",
        t("meeting.topic.keluar"),
        title,
        numbers,
        table,
        note=t("meeting.exits_note"),
        figure=lambda: charts.waterfall_figure(steps, chart_title),
    )


def entrants_finding(
    store: Store, steps: pd.DataFrame, series: pd.DataFrame, prev: date, cur: date
) -> Finding:
    """New entrants and re-entries since the last meeting, per kecamatan."""
    kec = series.drop_duplicates("kode_kecamatan")[["kode_kecamatan", "kecamatan"]]
    per = []
    for r in kec.itertuples():
        s = progress.waterfall(store, prev, cur, kode_kecamatan=r.kode_kecamatan).set_index("langkah")[
            "orang"
        ]
        per.append((r.kecamatan, int(s["masuk_baru"]), int(s["masuk_kembali"])))
    ent = pd.DataFrame(per, columns=["kecamatan", "masuk_baru", "masuk_kembali"])
    ent["jumlah"] = ent["masuk_baru"] + ent["masuk_kembali"]
    ent = ent.sort_values(["jumlah", "kecamatan"], ascending=[False, True]).reset_index(drop=True)
    step = steps.set_index("langkah")["orang"]
    new, back = int(step["masuk_baru"]), int(step["masuk_kembali"])
    at = series.groupby("as_of")["orang_baru"].sum()
    numbers = [
        KeyNumber(t("flow.masuk_baru"), fmt.number(new)),
        KeyNumber(t("flow.masuk_kembali"), fmt.number(back)),
        KeyNumber(
            measures.label("orang_masuk_sejak_awal"),
            fmt.number(at[cur]),
            *_delta(int(at[cur]), int(at[prev]), None),
        ),
    ]
    title = t("meeting.entrants_title", n=fmt.number(new), since=since_label(prev))
    if back:
        title += t("meeting.entrants_back", n=fmt.number(back))
    if ent["jumlah"].iloc[0] > 0:
        title += t("opd_charts.most_in", kec=ent["kecamatan"].iloc[0], n=fmt.number(ent["jumlah"].iloc[0]))
    table = pd.DataFrame(
        {
            t("col.kecamatan"): ent["kecamatan"],
            t("col.masuk_baru"): ent["masuk_baru"],
            t("col.masuk_kembali"): ent["masuk_kembali"],
            t("meeting.total"): ent["jumlah"],
        }
    )
    return Finding(
        "masuk",
        t("meeting.topic.masuk"),
        title,
        numbers,
        table,
        note=t("meeting.entrants_note"),
        figure=lambda: mc.entrants_figure(ent, prev, cur),
    )


def map_finding(store: Store, prev: date, cur: date) -> Finding:
    """The map of the change in people on the list per kecamatan since the last meeting."""
    frames = map_build.frames(store)
    result = map_build.build(frames, MAP_METRIC, MAP_SCHEME, cur, since=prev)
    view = result.view.dropna(subset=["shown"]).sort_values("shown")
    shown = view["shown"]
    no_cases = words.summary(frames, cur)[-1]  # the peta page's "kelurahan without cases"
    numbers = [
        KeyNumber(t("meeting.kec_down"), count_of(int((shown < 0).sum()), len(shown))),
        KeyNumber(t("meeting.kec_up"), count_of(int((shown > 0).sum()), len(shown))),
        KeyNumber(no_cases["label"], no_cases["value"]),
    ]
    metric = metrics.METRICS[MAP_METRIC]
    down, up = view[shown < 0], view[shown > 0]
    title = t("meeting.map_title", n=len(down), total=len(view), since=since_label(prev))
    if len(down):
        title += t(
            "meeting.map_largest",
            name=down["nama"].iloc[0],
            change=metric.format_change(down["shown"].iloc[0]),
        )
    if len(up):
        title += t("meeting.map_rose", names=", ".join(up["nama"]))
    return Finding(
        "peta",
        t("meeting.topic.peta"),
        title,
        numbers,
        result.table,
        note=f"{result.subtitle}. {words.caption(metric, MAP_SCHEME, prev, drilled=True)}",
        figure=lambda: result.figure,
        is_map=True,
    )


def behind_finding(series: pd.DataFrame, prev: date, cur: date, target: date) -> Finding:
    """Kecamatan whose fall since the last meeting is short of the pace that reaches zero by the target."""
    p = pace(series, prev, cur, target)
    behind = p[p["tertinggal"]]
    active = int((p["sisa_lalu"] > 0).sum())
    numbers = [
        KeyNumber(t("meeting.topic.tertinggal"), count_of(len(behind), len(p))),
        KeyNumber(t("meeting.fell_since"), fmt.number(p["turun"].sum())),
        KeyNumber(t("meeting.needed"), fmt.number(p["perlu_turun"].sum())),
    ]
    if len(behind):
        worst = behind.iloc[0]
        title = t(
            "meeting.behind_title",
            n=len(behind),
            active=active,
            target=fmt.tanggal(target),
            kec=worst["kecamatan"],
            fell=fmt.number(worst["turun"]),
            need=fmt.number(worst["perlu_turun"]),
        )
    else:
        title = t("meeting.none_behind", target=fmt.tanggal(target))
    status = [
        t("meeting.status_zero")
        if r.sisa_lalu <= 0 and r.sisa_kini <= 0
        else t("verdict.behind")
        if r.tertinggal
        else t("meeting.status_on_pace")
        for r in p.itertuples()
    ]
    table = pd.DataFrame(
        {
            t("col.kecamatan"): p["kecamatan"],
            measures.at_date("orang_sisa_daftar_awal", fmt.tanggal(prev)): p["sisa_lalu"].astype("int64"),
            measures.at_date("orang_sisa_daftar_awal", fmt.tanggal(cur)): p["sisa_kini"].astype("int64"),
            t("meeting.col_fell"): p["turun"].astype("int64"),
            t("meeting.col_needed"): p["perlu_turun"].astype("int64"),
            t("meeting.col_short"): p["kurang"].astype("int64"),
            t("col.status"): status,
        }
    )
    return Finding(
        "tertinggal",
        t("meeting.topic.tertinggal"),
        title,
        numbers,
        table,
        note=t(
            "meeting.behind_note", prev=fmt.tanggal(prev), cur=fmt.tanggal(cur), target=fmt.tanggal(target)
        ),
        figure=lambda: mc.pace_figure(p, prev, cur, target),
    )


def build(store: Store, prev: date, cur: date, user: User) -> Meeting:
    """All findings between snapshots prev and cur as the role may see them, in the current language."""
    if prev >= cur:
        raise ValueError(t("meeting.order_error"))
    target = settings.target_in_force(store, cur).zero_by  # the target in force on the meeting's data
    problem = coverage.catalog_notice(store)
    with store.read():
        series = progress.series(store)
        kec = progress.kecamatan_series(store)
        steps = progress.waterfall(store, prev, cur)
        findings = [
            remaining_finding(series, prev, cur, target, progress.source_changes(store)),
            exits_finding(steps, prev),
            entrants_finding(store, steps, kec, prev, cur),
            map_finding(store, prev, cur),
            behind_finding(kec, prev, cur, target),
            verval_findings.finding(store, prev, cur, user),
        ]
        notes = opd_findings.add_findings(store, findings, prev, cur, target, user)
        demo = store.holds_demo()
    notes = ([problem] if problem else []) + notes
    meeting = Meeting(prev, cur, target, user.role, demo, findings, notes, lang=i18n.language())
    return protect(meeting, disclosure.for_role(user))


def protect(meeting: Meeting, policy: disclosure.Policy) -> Meeting:
    """The meeting as a role may see it: every finding's table, key numbers, texts and figure with
    small counts suppressed (the page and all three pack formats are made from this)."""
    if not policy.suppress:
        return meeting
    return dataclasses.replace(meeting, findings=[_protect(f, policy) for f in meeting.findings])


def _protect(f: Finding, policy: disclosure.Policy) -> Finding:
    def number(k: KeyNumber) -> KeyNumber:
        args = policy.metric({"value": k.value, "delta": k.delta})
        hidden = args["delta"] == disclosure.HIDDEN  # a hidden change shows no arrow either
        return dataclasses.replace(
            k, value=args["value"], delta=args["delta"], change=None if hidden else k.change
        )

    figure = None if f.figure is None else (lambda make=f.figure: policy.figure(make()))
    return dataclasses.replace(
        f,
        title=policy.text(f.title),
        note=policy.text(f.note),
        numbers=[number(k) for k in f.numbers],
        table=policy.table(f.table),
        figure=figure,
    )
