"""Words and tables around the maps: hover texts, area labels, the headline, the pocket ranking."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import formatting as fmt
from analytics import measures
from analytics.i18n import t
from analytics.maps.classes import Classes, scheme_label
from analytics.maps.metrics import METRICS, Metric

RANK_BY: tuple[str, ...] = ("orang", "lambat")  # labels: rank_by.<key> in the locale files
UNITS = ("orang", "keluarga")


def rank_by_label(key: str) -> str:
    """The ranking choice in the current language."""
    return t(f"rank_by.{key}")


def hover_texts(view: pd.DataFrame, metric: Metric, level: str, as_of: date, since: date | None) -> list[str]:
    """Per area: name, the value, its baseline value and the change (and the compared dates)."""
    base_date = fmt.tanggal(_baseline_date(view, as_of))
    out = []
    for r in view.itertuples():
        where = " · " + t("ui.area_kec", kec=r.kecamatan) if level == "kelurahan" else ""
        lines = [
            f"<b>{r.nama}</b>{where}",
            f"{metric.label} ({fmt.tanggal(as_of)}): <b>{metric.format(r.nilai)}</b>",
        ]
        lines.append(t("maps.hover_baseline", date=base_date, value=metric.format(r.nilai_baseline)))
        lines.append(t("maps.hover_change", change=metric.format_change(r.perubahan_baseline)))
        if since is not None:
            lines.append(
                f"{fmt.tanggal(since)} → {fmt.tanggal(as_of)}: {metric.format(r.nilai_awal)} → "
                f"{metric.format(r.nilai)} (<b>{metric.format_change(r.shown)}</b>)"
            )
        lines.append(
            t(
                "maps.hover_people",
                n=fmt.number(r.orang),
                left=fmt.number(r.sisa_baseline),
                base=fmt.number(r.orang_baseline),
            )
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
        key = "h7.map_hidden" if view.attrs.get("suppressed") else "maps.no_data"
        return t(key, label=metric.label, scope=scope), t("maps.per", date=when)
    unit = t(f"unit.{metric.key}") if metric.key in UNITS else None
    if since is None:
        top = v.loc[v["shown"].idxmax()]
        if unit:
            total = v["shown"].sum()
            share = fmt.percent(top["shown"] / total) if total else "–"
            title = t(
                "maps.largest",
                scope=scope,
                name=top["nama"],
                value=metric.format(top["shown"]),
                total=fmt.number(total),
                unit=unit,
                share=share,
            )
            return title, t("maps.label_per", label=metric.label, date=when)
        if metric.key == "persen_turun":
            low = v.loc[v["shown"].idxmin()]
            reduced = metric.format(low["shown"])
            title = t("maps.slowest", scope=scope, name=low["nama"], reduced=reduced)
            return title, t("maps.fastest", name=top["nama"], value=metric.format(top["shown"]), date=when)
        return (
            t("maps.highest", scope=scope, name=top["nama"], value=metric.format(top["shown"])),
            t("maps.label_per", label=metric.label, date=when),
        )
    period = f"{fmt.tanggal(since)} → {when}"
    best = v.loc[v["shown"].idxmin() if metric.worse_up else v["shown"].idxmax()]
    word = t("maps.biggest_fall") if metric.worse_up else t("maps.biggest_rise")
    detail = f"{word}: {best['nama']} ({metric.format_change(best['shown'])}) · {period}"
    if unit:
        before, after = v["nilai_awal"].sum(), v["nilai"].sum()
        if after == before:
            return t("maps.unchanged", unit=unit.capitalize(), scope=scope, n=fmt.number(after)), period
        verb = t("maps.fell") if after < before else t("maps.rose")
        pct = f" ({fmt.signed((after - before) / before * 100, 1)}%)" if before else ""
        title = t(
            "maps.changed",
            unit=unit.capitalize(),
            scope=scope,
            verb=verb,
            n=fmt.number(abs(after - before)),
            pct=pct,
            before=fmt.number(before),
            after=fmt.number(after),
        )
        return title, detail
    return t("maps.change_of", label=metric.label.lower(), scope=scope), detail


def caption(metric: Metric, scheme: str, since: date | None, drilled: bool) -> str:
    """What the map shows and how its colours are classed, under the map."""
    if since is None:
        classes = t("maps.classes_level", scheme=scheme_label(scheme).lower())
    else:
        classes = t("maps.classes_change", scheme=scheme_label(scheme).lower())
    click = "" if drilled else " " + t("maps.click")
    return f"{metric.note} {classes}{click}"


def baseline_label(metric: Metric) -> str:
    """The header of a metric's value on the start list: the catalogue's name where it has one."""
    if metric.key in ("orang", "keluarga"):
        return measures.label(f"{metric.key}_daftar_awal")
    return t("i15c.at_baseline", label=metric.header())


def change_label(metric: Metric, label: str) -> str:
    """A change's header: a share changes in percentage points."""
    return t("i15c.in_points", label=label) if metric.kind == "percent" else label


def map_table(
    view: pd.DataFrame, classes: Classes, metric: Metric, level: str, as_of: date, since: date | None
) -> pd.DataFrame:
    """The numbers behind the map, one row per area, as shown (for display and download)."""
    cls = classes.assign(view["shown"].to_numpy())
    out = pd.DataFrame({t("maps.code"): view["kode"], t(f"col.{level}"): view["nama"]})
    if level == "kelurahan":
        out[t("col.kecamatan")] = view["kecamatan"]
    if since is not None:
        out[f"{metric.header()} ({fmt.tanggal(since)})"] = metric.raw(view["nilai_awal"])
    out[f"{metric.header()} ({fmt.tanggal(as_of)})"] = metric.raw(view["nilai"])
    out[baseline_label(metric)] = metric.raw(view["nilai_baseline"])
    out[change_label(metric, t("maps.change_since_baseline"))] = metric.raw(view["perubahan_baseline"])
    if since is not None:
        out[change_label(metric, t("maps.change_between"))] = metric.raw(view["shown"])
    out[t("peta.scheme")] = [classes.labels[c] if c >= 0 else t("maps.no_data_cell") for c in cls]
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
    out = pd.DataFrame({t("maps.rank"): range(1, len(df) + 1), t(f"col.{level}"): df["nama"].to_numpy()})
    if level == "kelurahan":
        out[t("col.kecamatan")] = df["kecamatan"].to_numpy()
    out[measures.label("orang_di_daftar")] = df["orang"].astype("Int64").to_numpy()
    out[measures.label("keluarga_di_daftar")] = df["keluarga"].astype("Int64").to_numpy()
    out[measures.label("orang_daftar_awal")] = df["orang_baseline"].astype("Int64").to_numpy()
    out[measures.label("persen_turun")] = METRICS["persen_turun"].raw(df["persen_turun"]).to_numpy()
    out[METRICS["pangsa"].header()] = METRICS["pangsa"].raw(df["pangsa"]).to_numpy()
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
            "label": measures.label("orang_di_daftar"),
            "value": fmt.number(people),
            **fmt.delta_args(
                t("maps.since_baseline", n=fmt.signed(people - people0)), people - people0, down_is_good=True
            ),
        },
        {"label": measures.label("keluarga_di_daftar"), "value": fmt.number(families)},
        {"label": measures.label("persen_turun"), "value": fmt.percent(reduced)},
        {"label": t("maps.kel_zero"), "value": t("maps.of", n=zero, total=len(kel_now))},
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
    """The join check's findings with headers in the current language."""
    yes_no = {True: t("ui.yes"), False: t("ui.no")}
    return pd.DataFrame(
        {
            t("maps.code_in_data"): unmatched["kode_kelurahan"],
            t("maps.no_kel_polygon"): unmatched["tanpa_poligon_kelurahan"].map(yes_no),
            t("maps.no_kec_polygon"): unmatched["tanpa_poligon_kecamatan"].map(yes_no),
            t("maps.summary_rows"): unmatched["baris"].map(fmt.number),
            t("maps.first_snapshot"): unmatched["pertama"].map(fmt.tanggal),
            t("maps.last_snapshot"): unmatched["terakhir"].map(fmt.tanggal),
            t("maps.people_last"): unmatched["orang_terakhir"].map(fmt.number),
        }
    )


def on_list_parts(frames: dict[str, pd.DataFrame], as_of: date, kecamatan: str = "") -> tuple[int, int]:
    """People on the list and people left of the start list at as_of, for the city or one kecamatan."""
    kec = frames["kecamatan"]
    if kecamatan:
        now = kec[(kec["as_of"] == as_of) & (kec["kode"] == kecamatan)]
        return int(now["orang"].sum()), int(now["sisa_baseline"].sum())
    now = kec[kec["as_of"] == as_of].iloc[0]
    return int(now["orang_kota"]), int(now["sisa_baseline_kota"])
