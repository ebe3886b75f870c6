"""Words and tables around the maps: hover texts, area labels, the headline, the pocket ranking."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics.map_classes import SCHEMES, Classes
from analytics.map_metrics import METRICS, Metric

RANK_BY: dict[str, str] = {
    "orang": "Orang tersisa terbanyak",
    "lambat": "Kemajuan paling lambat (% berkurang terkecil)",
}
UNITS = {"orang": "orang", "keluarga": "keluarga"}


def hover_texts(view: pd.DataFrame, metric: Metric, level: str, as_of: date, since: date | None) -> list[str]:
    """Per area: name, the value, its baseline value and the change (and the compared dates)."""
    base_date = fmt.tanggal(_baseline_date(view, as_of))
    out = []
    for r in view.itertuples():
        where = f" · Kec. {r.kecamatan}" if level == "kelurahan" else ""
        lines = [
            f"<b>{r.nama}</b>{where}",
            f"{metric.label} ({fmt.tanggal(as_of)}): <b>{metric.format(r.nilai)}</b>",
        ]
        lines.append(f"Baseline ({base_date}): {metric.format(r.nilai_baseline)}")
        lines.append(f"Perubahan sejak baseline: {metric.format_change(r.perubahan_baseline)}")
        if since is not None:
            lines.append(
                f"{fmt.tanggal(since)} → {fmt.tanggal(as_of)}: {metric.format(r.nilai_awal)} → "
                f"{metric.format(r.nilai)} (<b>{metric.format_change(r.shown)}</b>)"
            )
        lines.append(
            f"Orang di daftar: {fmt.number(r.orang)} · sisa baseline {fmt.number(r.sisa_baseline)} "
            f"dari {fmt.number(r.orang_baseline)}"
        )
        out.append("<br>".join(lines))
    return out


def _baseline_date(view: pd.DataFrame, as_of: date) -> date:
    return view.attrs.get("baseline", as_of)


def labels(view: pd.DataFrame, metric: Metric, since: date | None) -> list[tuple[str, str]]:
    """(area name, the value shown or the change) per area, for the map labels."""
    value = metric.format_change if since is not None else metric.format
    return [(r.nama, value(r.shown)) for r in view.itertuples()]


def headline(
    view: pd.DataFrame, metric: Metric, scope: str, as_of: date, since: date | None
) -> tuple[str, str]:
    """(title, subtitle) for the map: the title states the finding, the subtitle what and when."""
    v = view.dropna(subset=["shown"])
    when = fmt.tanggal(as_of)
    if v.empty:
        return f"{metric.label} {scope}: tidak ada data", f"per {when}"
    unit = UNITS.get(metric.key)
    if since is None:
        top = v.loc[v["shown"].idxmax()]
        if unit:
            total = v["shown"].sum()
            share = fmt.percent(top["shown"] / total) if total else "–"
            title = (
                f"Kantong terbesar {scope}: {top['nama']}, {metric.format(top['shown'])} dari "
                f"{fmt.number(total)} {unit} tersisa ({share})"
            )
            return title, f"{metric.label} per {when}"
        if metric.key == "persen_turun":
            low = v.loc[v["shown"].idxmin()]
            reduced = metric.format(low["shown"])
            title = f"Paling lambat {scope}: {low['nama']}, baru berkurang {reduced} sejak baseline"
            return title, f"Tercepat: {top['nama']} ({metric.format(top['shown'])}) · per {when}"
        return (
            f"Tertinggi {scope}: {top['nama']}, {metric.format(top['shown'])}",
            f"{metric.label} per {when}",
        )
    period = f"{fmt.tanggal(since)} → {when}"
    best = v.loc[v["shown"].idxmin() if metric.worse_up else v["shown"].idxmax()]
    word = "Penurunan terbesar" if metric.worse_up else "Kenaikan terbesar"
    detail = f"{word}: {best['nama']} ({metric.format_change(best['shown'])}) · {period}"
    if unit:
        before, after = v["nilai_awal"].sum(), v["nilai"].sum()
        if after == before:
            return f"{unit.capitalize()} tersisa {scope} tetap {fmt.number(after)}", f"{period}"
        verb = "turun" if after < before else "naik"
        pct = f" ({fmt.signed((after - before) / before * 100, 1)}%)" if before else ""
        title = (
            f"{unit.capitalize()} tersisa {scope} {verb} {fmt.number(abs(after - before))}{pct}: "
            f"{fmt.number(before)} → {fmt.number(after)}"
        )
        return title, detail
    return f"Perubahan {metric.label.lower()} {scope}", detail


def caption(metric: Metric, scheme: str, since: date | None, drilled: bool) -> str:
    """What the map shows and how its colours are classed, under the map."""
    if since is None:
        classes = (
            f"Kelas warna: {SCHEMES[scheme].lower()}; batasnya dihitung sekali dari semua tanggal, jadi "
            "warna yang sama berarti rentang yang sama di setiap tanggal."
        )
    else:
        classes = (
            f"Warna: perubahan antara dua tanggal, biru = membaik, merah = memburuk, putih = tetap; kelas "
            f"({SCHEMES[scheme].lower()}) dihitung dari perubahan semua wilayah pada pasangan tanggal ini."
        )
    click = "" if drilled else " Klik sebuah kecamatan untuk melihat kelurahannya."
    return f"{metric.note} {classes}{click}"


def map_table(
    view: pd.DataFrame, classes: Classes, metric: Metric, level: str, as_of: date, since: date | None
) -> pd.DataFrame:
    """The numbers behind the map, one row per area, as shown (for display and download)."""
    cls = classes.assign(view["shown"].to_numpy())
    out = pd.DataFrame({"Kode": view["kode"], level.capitalize(): view["nama"]})
    if level == "kelurahan":
        out["Kecamatan"] = view["kecamatan"]
    if since is not None:
        out[f"{metric.label} ({fmt.tanggal(since)})"] = view["nilai_awal"].map(metric.format)
    out[f"{metric.label} ({fmt.tanggal(as_of)})"] = view["nilai"].map(metric.format)
    out["Baseline"] = view["nilai_baseline"].map(metric.format)
    out["Perubahan sejak baseline"] = view["perubahan_baseline"].map(metric.format_change)
    if since is not None:
        out["Perubahan antar tanggal"] = view["shown"].map(metric.format_change)
    out["Kelas warna"] = [classes.labels[c] if c >= 0 else "Tidak ada data" for c in cls]
    return out


def ranking(
    frame: pd.DataFrame, level: str, as_of: date, by: str, kecamatan: str | None = None
) -> pd.DataFrame:
    """Pocket ranking at as_of: areas by remaining people, or by slowest progress since baseline.

    At kelurahan level a chosen kecamatan keeps only its kelurahan.
    """
    df = frame[frame["as_of"] == as_of]
    if kecamatan and level == "kelurahan":
        df = df[df["kode_kecamatan"] == kecamatan]
    if by == "orang":
        df = df.sort_values(["orang", "nama"], ascending=[False, True])
    elif by == "lambat":
        df = df.sort_values(
            ["persen_turun", "orang", "nama"], ascending=[True, False, True], na_position="last"
        )
    else:
        raise KeyError(by)
    out = pd.DataFrame({"Peringkat": range(1, len(df) + 1), level.capitalize(): df["nama"].to_numpy()})
    if level == "kelurahan":
        out["Kecamatan"] = df["kecamatan"].to_numpy()
    out["Orang tersisa"] = df["orang"].map(fmt.number).to_numpy()
    out["Keluarga tersisa"] = df["keluarga"].map(fmt.number).to_numpy()
    out["Orang baseline"] = df["orang_baseline"].map(fmt.number).to_numpy()
    out["% berkurang"] = df["persen_turun"].map(METRICS["persen_turun"].format).to_numpy()
    out["Pangsa kota"] = df["pangsa"].map(METRICS["pangsa"].format).to_numpy()
    out.attrs["kode"] = df["kode"].tolist()
    return out


def summary(frames: dict[str, pd.DataFrame], as_of: date, kecamatan: str = "") -> list[dict]:
    """Key figures for the city or one kecamatan at as_of, as st.metric keyword arguments.

    For the city the totals are area_stats' own sums (the burn-down's numbers), including any
    row whose code has no polygon.
    """
    kec, kel = frames["kecamatan"], frames["kelurahan"]
    first = min(kec["as_of"])
    if kecamatan:
        now = kec[(kec["as_of"] == as_of) & (kec["kode"] == kecamatan)]
        base = kec[(kec["as_of"] == first) & (kec["kode"] == kecamatan)]
        people, families, left = now["orang"].sum(), now["keluarga"].sum(), now["sisa_baseline"].sum()
        people0 = base["orang"].sum()
        kel = kel[kel["kode_kecamatan"] == kecamatan]
    else:
        now, base = kec[kec["as_of"] == as_of].iloc[0], kec[kec["as_of"] == first].iloc[0]
        people, families, left = now["orang_kota"], now["keluarga_kota"], now["sisa_baseline_kota"]
        people0 = base["orang_kota"]
    kel_now = kel[kel["as_of"] == as_of]
    zero = int((kel_now["orang"] == 0).sum())
    reduced = 1 - left / people0 if people0 else None
    return [
        {
            "label": "Orang tersisa",
            "value": fmt.number(people),
            # st.metric reads the direction from an ASCII sign
            "delta": f"{'-' if people < people0 else '+'}{fmt.number(abs(people - people0))} sejak baseline",
            "delta_color": "inverse",
        },
        {"label": "Keluarga tersisa", "value": fmt.number(families)},
        {"label": "Orang baseline sudah keluar", "value": fmt.percent(reduced)},
        {"label": "Kelurahan tanpa kasus", "value": f"{zero} dari {len(kel_now)}"},
    ]


def highlight(table: pd.DataFrame, code: str) -> pd.io.formats.style.Styler | pd.DataFrame:
    """The ranking with the selected area's row shaded (the table itself when nothing is chosen)."""
    codes = table.attrs.get("kode", [])
    if not code or code not in codes:
        return table
    row = codes.index(code)
    style = "background-color: #fde7c8; font-weight: 600"
    return table.style.apply(lambda r: [style if r.name == row else ""] * len(r), axis=1)


def unmatched_table(unmatched: pd.DataFrame) -> pd.DataFrame:
    """The join check's findings with Indonesian headers."""
    return pd.DataFrame(
        {
            "Kode di data": unmatched["kode_kelurahan"],
            "Tanpa poligon kelurahan": unmatched["tanpa_poligon_kelurahan"].map({True: "ya", False: "tidak"}),
            "Tanpa poligon kecamatan": unmatched["tanpa_poligon_kecamatan"].map({True: "ya", False: "tidak"}),
            "Baris ringkasan": unmatched["baris"].map(fmt.number),
            "Snapshot pertama": unmatched["pertama"].map(fmt.tanggal),
            "Snapshot terakhir": unmatched["terakhir"].map(fmt.tanggal),
            "Orang pada snapshot terakhir": unmatched["orang_terakhir"].map(fmt.number),
        }
    )
