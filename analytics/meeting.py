"""The coordination meeting: what changed between the last meeting's snapshot and the current one.

`build` returns one Finding per agenda item. The Rapat page shows them and analytics.pack turns
the very same objects into the PDF, HTML and XLSX meeting pack, so no number is computed twice.
Every number comes from the burn-down, map, OPD and budget modules; this module only puts the
two dates side by side. The one rule defined here is the pace to zero (`needed_fall`).
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from analytics import bootstrap, burndown, charts, map_build, map_metrics, map_tables, opd, settings
from analytics import formatting as fmt
from analytics import meeting_charts as mc
from analytics.auth import User
from analytics.store import Store

# The default "last meeting" is the snapshot a quarter before the current one: national guidance
# asks for monthly monitoring (the burn-down page) and quarterly evaluation, which is what a
# coordination meeting of 15 OPDs, the camat and the lurah does.
LOOKBACK_MONTHS = 3
MAP_METRIC, MAP_SCHEME = "orang", "kuantil"


@dataclass(frozen=True)
class KeyNumber:
    """One headline number of a finding, already formatted the way every output shows it."""

    label: str
    value: str
    delta: str | None = None
    change: float | None = None  # the raw change behind `delta` (its sign gives the arrow)
    down_is_good: bool | None = None  # None: the change is neither good nor bad (grey)

    def metric_args(self) -> dict:
        """Keyword arguments for st.metric (colour and arrow from the raw change, not the text)."""
        args: dict = {"label": self.label, "value": self.value, "delta": self.delta}
        if self.delta is None:
            return args
        if not self.change or self.down_is_good is None:
            args.update(delta_color="gray", delta_arrow="off")
        else:
            good = (self.change < 0) == self.down_is_good
            args.update(
                delta_color="green" if good else "red", delta_arrow="down" if self.change < 0 else "up"
            )
        return args


@dataclass
class Finding:
    """One block of the meeting: a title that states the finding, its numbers, figure and table."""

    key: str
    topic: str
    title: str
    numbers: list[KeyNumber]
    table: pd.DataFrame  # aggregates with raw values and Indonesian headers
    note: str = ""
    figure: Callable[[], go.Figure] | None = None
    is_map: bool = False
    detail: pd.DataFrame | None = None  # person-level rows, only for roles with named access
    detail_title: str = ""

    def __post_init__(self) -> None:
        self.table = self.table.reset_index(drop=True)

    @property
    def file_name(self) -> str:
        """Base name for the table's downloads."""
        return f"rapat_{self.key}"


@dataclass
class Meeting:
    """Everything the page and the pack show for one pair of snapshots and one user."""

    prev: date
    cur: date
    target: date
    role: str
    is_demo: bool
    findings: list[Finding]
    notes: list[str] = field(default_factory=list)


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
    col = burndown.remaining_column("orang")
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


def _since(prev: date) -> str:
    return f"sejak {fmt.tanggal(prev)}"


def remaining_finding(series: pd.DataFrame, prev: date, cur: date, target: date) -> Finding:
    """People and families on the list now, and the change since the last meeting."""
    df = series[series["as_of"] <= cur].reset_index(drop=True)
    a, b = df.set_index("as_of").loc[prev], df.set_index("as_of").loc[cur]
    rows = [
        ("Orang di daftar", "orang_aktif"),
        ("Keluarga di daftar", "keluarga_aktif"),
        ("Sisa daftar awal (orang)", "orang_sisa_baseline"),
        ("Sisa daftar awal (keluarga)", "keluarga_sisa_baseline"),
        ("Temuan baru di daftar (orang)", "orang_baru"),
    ]
    numbers = [
        KeyNumber(label, fmt.number(b[col]), *_delta(int(b[col]), int(a[col]), good))
        for label, col, good in (
            ("Orang di daftar", "orang_aktif", True),
            ("Keluarga di daftar", "keluarga_aktif", True),
            ("Sisa daftar awal", "orang_sisa_baseline", True),
            ("Temuan baru di daftar", "orang_baru", None),  # scope added: neither good nor bad
        )
    ]
    table = pd.DataFrame(
        {
            "Ukuran": [label for label, _ in rows],
            f"Rapat lalu ({fmt.tanggal(prev)})": [int(a[col]) for _, col in rows],
            f"Kini ({fmt.tanggal(cur)})": [int(b[col]) for _, col in rows],
            "Perubahan": [int(b[col]) - int(a[col]) for _, col in rows],
        }
    )
    people, fams = int(b["orang_aktif"]), int(b["keluarga_aktif"])
    title = (
        f"Tersisa {fmt.number(people)} orang dalam {fmt.number(fams)} keluarga di daftar per "
        f"{fmt.tanggal(cur)}: {fmt.signed(people - int(a['orang_aktif']))} orang, "
        f"{fmt.signed(fams - int(a['keluarga_aktif']))} keluarga {_since(prev)}"
    )
    col = burndown.remaining_column("orang")
    fc = burndown.forecast(list(df["as_of"]), list(df[col]))
    verdict = burndown.verdict(df, "orang", target)
    base, last = int(df[col].iloc[0]), int(df[col].iloc[-1])
    chart_title = (
        f"Tersisa {fmt.number(last)} dari {fmt.number(base)} orang daftar awal "
        f"({fmt.signed(-(1 - last / base) * 100, 1)}%)"
        if base
        else "Belum ada daftar awal"
    )
    return Finding(
        "sisa",
        "Sisa di daftar",
        title,
        numbers,
        table,
        note=f"{verdict.headline}. {verdict.reason} Angka = kasus di daftar P3KE kota, bukan angka "
        "kemiskinan BPS; temuan baru dihitung sebagai tambahan cakupan, bukan kemajuan.",
        figure=lambda: mc.mark_previous(charts.burndown_figure(df, "orang", target, fc, chart_title), prev),
    )


def exits_finding(steps: pd.DataFrame, prev: date) -> Finding:
    """Who left the list since the last meeting, by reason: graduation against data correction."""
    parts = burndown.fall_breakdown(steps)
    out = parts["keluar"]
    share = lambda n: fmt.percent(n / out) if out else "–"  # noqa: E731
    numbers = [
        KeyNumber("Keluar dari daftar", fmt.number(out)),
        KeyNumber("Graduasi (nyata)", fmt.number(parts["graduasi"]), share(parts["graduasi"])),
        KeyNumber("Koreksi data", fmt.number(parts["koreksi"]), share(parts["koreksi"])),
        KeyNumber("Alasan tidak diketahui", fmt.number(parts["tidak_diketahui"])),
    ]
    if out:
        title = (
            f"{fmt.number(out)} orang keluar dari daftar {_since(prev)}: {fmt.number(parts['graduasi'])} "
            f"graduasi ({share(parts['graduasi'])}), {fmt.number(parts['koreksi'])} koreksi data"
        )
        if parts["tidak_diketahui"]:
            title += f", {fmt.number(parts['tidak_diketahui'])} tanpa alasan"
    else:
        title = f"Tidak ada orang yang keluar dari daftar {_since(prev)}"
    start, end = int(steps["orang"].iloc[0]), int(steps["orang"].iloc[-1])
    chart_title = (
        f"{fmt.number(start)} → {fmt.number(end)} orang; {share(parts['graduasi'])} dari yang keluar "
        "karena graduasi"
    )
    table = steps[["label", "orang"]].rename(columns={"label": "Langkah", "orang": "Orang"})
    return Finding(
        "keluar",
        "Keluar menurut alasan",
        title,
        numbers,
        table,
        note="Graduasi = lepas dari miskin ekstrem. Koreksi data = meninggal, pindah, tidak layak, menolak, "
        "data ganda. Orang yang hilang dari berkas tanpa baris Keluar dicatat 'alasan tidak diketahui'.",
        figure=lambda: charts.waterfall_figure(steps, chart_title),
    )


def entrants_finding(
    store: Store, steps: pd.DataFrame, series: pd.DataFrame, prev: date, cur: date
) -> Finding:
    """New entrants and re-entries since the last meeting, per kecamatan."""
    kec = series.drop_duplicates("kode_kecamatan")[["kode_kecamatan", "kecamatan"]]
    per = []
    for r in kec.itertuples():
        s = burndown.waterfall(store, prev, cur, kode_kecamatan=r.kode_kecamatan).set_index("langkah")[
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
        KeyNumber("Masuk baru (temuan verifikasi)", fmt.number(new)),
        KeyNumber("Masuk kembali", fmt.number(back)),
        KeyNumber(
            "Temuan baru di daftar kini",
            fmt.number(at[cur]),
            *_delta(int(at[cur]), int(at[prev]), None),
        ),
    ]
    title = f"{fmt.number(new)} orang temuan baru masuk daftar {_since(prev)}"
    if back:
        title += f" dan {fmt.number(back)} masuk kembali"
    if ent["jumlah"].iloc[0] > 0:
        title += f"; terbanyak di {ent['kecamatan'].iloc[0]} ({fmt.number(ent['jumlah'].iloc[0])})"
    table = pd.DataFrame(
        {
            "Kecamatan": ent["kecamatan"],
            "Masuk baru": ent["masuk_baru"],
            "Masuk kembali": ent["masuk_kembali"],
            "Jumlah": ent["jumlah"],
        }
    )
    return Finding(
        "masuk",
        "Masuk baru",
        title,
        numbers,
        table,
        note="Temuan baru verifikasi adalah tambahan cakupan: mereka tidak mengurangi kemajuan daftar awal, "
        "tetapi harus ikut sampai nol.",
        figure=lambda: mc.entrants_figure(ent, prev, cur),
    )


def map_finding(store: Store, prev: date, cur: date) -> Finding:
    """The map of the change in people on the list per kecamatan since the last meeting."""
    frames = map_build.frames(store)
    result = map_build.build(frames, MAP_METRIC, MAP_SCHEME, cur, since=prev)
    view = result.view.dropna(subset=["shown"]).sort_values("shown")
    shown = view["shown"]
    no_cases = map_tables.summary(frames, cur)[-1]  # the peta page's "kelurahan without cases"
    numbers = [
        KeyNumber("Kecamatan yang turun", f"{int((shown < 0).sum())} dari {len(shown)}"),
        KeyNumber("Kecamatan yang naik", f"{int((shown > 0).sum())} dari {len(shown)}"),
        KeyNumber(no_cases["label"], no_cases["value"]),
    ]
    metric = map_metrics.METRICS[MAP_METRIC]
    down, up = view[shown < 0], view[shown > 0]
    title = f"Orang di daftar turun di {len(down)} dari {len(view)} kecamatan {_since(prev)}"
    if len(down):
        title += f"; terbesar {down['nama'].iloc[0]} ({metric.format_change(down['shown'].iloc[0])})"
    if len(up):
        title += f"; naik di {', '.join(up['nama'])}"
    return Finding(
        "peta",
        "Peta perubahan",
        title,
        numbers,
        result.table,
        note=f"{result.subtitle}. {map_tables.caption(metric, MAP_SCHEME, prev, drilled=True)}",
        figure=lambda: result.figure,
        is_map=True,
    )


def behind_finding(series: pd.DataFrame, prev: date, cur: date, target: date) -> Finding:
    """Kecamatan whose fall since the last meeting is short of the pace that reaches zero by the target."""
    p = pace(series, prev, cur, target)
    behind = p[p["tertinggal"]]
    active = int((p["sisa_lalu"] > 0).sum())
    numbers = [
        KeyNumber("Kecamatan tertinggal", f"{len(behind)} dari {len(p)}"),
        KeyNumber("Turun sejak rapat lalu", fmt.number(p["turun"].sum())),
        KeyNumber("Perlu turun (laju ke nol)", fmt.number(p["perlu_turun"].sum())),
    ]
    if len(behind):
        worst = behind.iloc[0]
        title = (
            f"{len(behind)} dari {active} kecamatan tertinggal dari laju menuju nol pada "
            f"{fmt.tanggal(target)}; terjauh {worst['kecamatan']} (turun {fmt.number(worst['turun'])}, perlu "
            f"{fmt.number(worst['perlu_turun'])})"
        )
    else:
        title = f"Semua kecamatan turun sesuai laju menuju nol pada {fmt.tanggal(target)}"
    status = [
        "Sudah nol"
        if r.sisa_lalu <= 0 and r.sisa_kini <= 0
        else "Tertinggal"
        if r.tertinggal
        else "Sesuai laju"
        for r in p.itertuples()
    ]
    table = pd.DataFrame(
        {
            "Kecamatan": p["kecamatan"],
            f"Sisa daftar awal {fmt.tanggal(prev)}": p["sisa_lalu"].astype("int64"),
            f"Sisa daftar awal {fmt.tanggal(cur)}": p["sisa_kini"].astype("int64"),
            "Turun": p["turun"].astype("int64"),
            "Perlu turun": p["perlu_turun"].astype("int64"),
            "Kekurangan": p["kurang"].astype("int64"),
            "Status": status,
        }
    )
    return Finding(
        "tertinggal",
        "Kecamatan tertinggal",
        title,
        numbers,
        table,
        note=f"Perlu turun = sisa daftar awal pada {fmt.tanggal(prev)} × (hari {fmt.tanggal(prev)} → "
        f"{fmt.tanggal(cur)}) ÷ (hari {fmt.tanggal(prev)} → target {fmt.tanggal(target)}), dibulatkan "
        "ke atas: garis lurus dari rapat lalu ke nol pada tanggal target (seluruh sisa bila target sudah "
        "lewat). Tertinggal = turun kurang dari itu.",
        figure=lambda: mc.pace_figure(p, prev, cur, target),
    )


def build(store: Store, prev: date, cur: date, user: User) -> Meeting:
    """All findings for the meeting between snapshots prev and cur, as the user's role may see them."""
    from analytics import meeting_opd  # the OPD findings; imported here to keep this module short

    if prev >= cur:
        raise ValueError("Snapshot rapat lalu harus lebih awal dari snapshot kini.")
    target = settings.target_date(store)
    problem = opd.ensure_ready(store)
    with store.read():
        series = burndown.series(store)
        kec = burndown.kecamatan_series(store)
        steps = burndown.waterfall(store, prev, cur)
        findings = [
            remaining_finding(series, prev, cur, target),
            exits_finding(steps, prev),
            entrants_finding(store, steps, kec, prev, cur),
            map_finding(store, prev, cur),
            behind_finding(kec, prev, cur, target),
        ]
        notes = meeting_opd.add_findings(store, findings, prev, cur, target, user)
        demo = bootstrap.is_demo_store(store)
    return Meeting(prev, cur, target, user.role, demo, findings, ([problem] if problem else []) + notes)
