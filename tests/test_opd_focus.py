"""The OPD's own view (issue 16 item 5): analytics.opd.focus on the demo store, checked against the
raw intervention records, and the Ringkasan and Intervensi pages of an OPD account and of DinsosPM
with "Sorot OPD"."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import formatting as fmt
from analytics.i18n import t
from analytics.opd import coverage, focus
from analytics.store.db import Store
from tests.helpers import login, page_path

OPD = "DISKOPUKM"  # the demo accounts' OPD (opd1 in tests/conftest.py)
FULL_NAME = "Dinas Koperasi dan Usaha Kecil Menengah (Diskop UKM)"


@pytest.fixture(scope="module")
def demo(demo_db):
    s = Store.open(demo_db)
    yield s
    s.close()


def snapshots(store: Store) -> list[date]:
    return sorted(pd.Timestamp(d).date() for d in store.query("snapshot_list")["as_of"])


def raw(store: Store, sql: str, **params) -> object:
    """One value computed straight from the stored records (not the summaries the app reads)."""
    with store.cursor() as cur:
        return cur.execute(sql, params).fetchone()[0]


ON_LIST = """onlist as (
    select person_key, id_keluarga from person_interval
    where status = 'aktif' and valid_from <= $d and coalesce(valid_to, date '9999-12-31') > $d
)"""
REACHED = f"""
with {ON_LIST}
select count(distinct o.id_keluarga) from onlist o
where exists (
    select 1 from v_intervensi v
    where ($k is null or v.kode_opd = $k) and v.status = 'tersalur' and v.tanggal <= $d
      and ((v.satuan = 'orang' and v.person_key = o.person_key)
           or (v.satuan = 'keluarga' and v.id_keluarga = o.id_keluarga)))
"""
PLANNED = f"""
with {ON_LIST},
pairs as (
    select kode_program, satuan, penerima,
           min(tanggal) filter (where status = 'rencana') as rencana,
           min(tanggal) filter (where status = 'tersalur') as tersalur
    from v_intervensi where ($k is null or kode_opd = $k) group by all
)
select count(*) from pairs p
where p.rencana <= $d and (p.tersalur is null or p.tersalur > $d)
  and exists (select 1 from onlist o
              where p.penerima = case when p.satuan = 'orang' then o.person_key else o.id_keluarga end)
"""
OFF_LIST = """
select count(distinct penerima) from v_intervensi
where ($k is null or kode_opd = $k) and not di_daftar and tanggal <= $d
"""
LAST = "select max(tanggal) from v_intervensi where ($k is null or kode_opd = $k) and tanggal <= $d"
FAMILIES = "select sum(keluarga_aktif) from area_stats where as_of = $d"


@pytest.mark.parametrize("which", [-1, -7])  # the latest snapshot and one half a year earlier
def test_an_opds_figures_and_the_citys_match_the_records(demo, which):
    day = snapshots(demo)[which]
    f = focus.focus(demo, OPD, day)
    assert (f.kode_opd, f.title, f.as_of) == (OPD, FULL_NAME, day)
    for figures, k in ((f.opd, OPD), (f.city, None)):
        assert figures.keluarga_di_daftar == raw(demo, FAMILIES, d=day)
        assert figures.keluarga_terjangkau == raw(demo, REACHED, d=day, k=k)
        assert figures.cakupan_keluarga == figures.keluarga_terjangkau / figures.keluarga_di_daftar
        assert figures.penugasan_belum_tersalur == raw(demo, PLANNED, d=day, k=k)
        assert figures.penerima_luar_daftar == raw(demo, OFF_LIST, d=day, k=k)
        last = pd.Timestamp(raw(demo, LAST, d=day, k=k)).date()
        assert (figures.data_terakhir, figures.hari_sejak_data) == (last, (day - last).days)
    # the demo OPD has something in every figure, and the city (any OPD) holds at least as much
    assert 0 < f.opd.keluarga_terjangkau < f.city.keluarga_terjangkau < f.opd.keluarga_di_daftar
    assert 0 < f.opd.penerima_luar_daftar <= f.city.penerima_luar_daftar
    assert f.opd.penugasan_belum_tersalur <= f.city.penugasan_belum_tersalur
    assert f.city.hari_sejak_data <= f.opd.hari_sejak_data


def test_the_figures_are_the_intervensi_pages_numbers(demo):
    day = snapshots(demo)[-1]
    f = focus.focus(demo, OPD, day)
    cov = coverage.coverage(demo, day).set_index("kode_opd")
    fresh = coverage.freshness(demo, day).set_index("kode_opd")
    for figures, k in ((f.opd, OPD), (f.city, "*")):
        row = cov.loc[k]
        assert figures.keluarga_terjangkau == row["keluarga_terjangkau"]
        assert figures.penugasan_belum_tersalur == row["penugasan_belum_tersalur"]
        assert figures.penerima_luar_daftar == row["penerima_luar_daftar"]
    assert f.opd.hari_sejak_data == fresh.loc[OPD, "hari_sejak_data"]


def test_names_not_codes_and_an_unknown_opd_is_none(demo):
    day = snapshots(demo)[-1]
    assert focus.short_name(demo, OPD) == "Diskop UKM"
    assert focus.short_name(demo, "diskopukm") == "Diskop UKM"
    assert focus.role_label(demo, "opd:DISKOPUKM") == "OPD Diskop UKM"
    assert focus.role_label(demo, "dinsos") == "dinsos"
    assert focus.focus(demo, "DINKESS", day) is None  # a mistyped role: city figures only
    assert focus.short_name(demo, "DINKESS") is None


# --- the pages ---------------------------------------------------------------------------------


def run(page: str, user: str) -> AppTest:
    at = login(AppTest.from_file(page_path(page), default_timeout=240), user).run()
    assert not at.exception, at.exception
    return at


def shown_text(at: AppTest) -> str:
    """Every text the page shows: headings, captions, metrics, select boxes, tables, chart specs."""
    parts = [
        e.value
        for kind in ("title", "subheader", "caption", "markdown", "info", "warning")
        for e in at.get(kind)
    ]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric]
    parts += [" ".join(map(str, s.options)) for s in at.selectbox]
    # a file's name is shown as it was sent (the demo names its files intervensi_<code>_<year>.xlsx)
    parts += [d.value.drop(columns=[t("col.berkas")], errors="ignore").to_csv() for d in at.dataframe]
    parts += [json.dumps(json.loads(c.proto.spec)["layout"].get("title", {})) for c in at.get("plotly_chart")]
    parts += [json.dumps(json.loads(c.proto.spec).get("data", [])) for c in at.get("plotly_chart")]
    return "\n".join(map(str, parts))


def headline(at: AppTest) -> dict[str, tuple[str, str]]:
    """The OPD headline's metrics (the first five on the page): label -> (value, city delta)."""
    return {m.label: (m.value, m.delta) for m in list(at.metric)[:5]}


def expected(day: date, store_path) -> dict[str, tuple[str, str]]:
    s = Store.open(store_path)
    try:
        f = focus.focus(s, OPD, day)
    finally:
        s.close()
    return {
        "Keluarga terjangkau OPD": (
            fmt.number(f.opd.keluarga_terjangkau),
            f"Kota: {fmt.number(f.city.keluarga_terjangkau)}",
        ),
        "Keluarga terjangkau OPD (%)": (
            fmt.percent(f.opd.cakupan_keluarga),
            f"Kota: {fmt.percent(f.city.cakupan_keluarga)}",
        ),
        "Penugasan belum tersalur": (
            fmt.number(f.opd.penugasan_belum_tersalur),
            f"Kota: {fmt.number(f.city.penugasan_belum_tersalur)}",
        ),
        "Penerima di luar daftar": (
            fmt.number(f.opd.penerima_luar_daftar),
            f"Kota: {fmt.number(f.city.penerima_luar_daftar)}",
        ),
        "Hari sejak data OPD terakhir": (
            f"{fmt.number(f.opd.hari_sejak_data)} hari",
            f"Kota: {fmt.number(f.city.hari_sejak_data)} hari",
        ),
    }


@pytest.mark.parametrize("page", ["ringkasan.py", "intervensi_opd.py"])
def test_an_opd_account_sees_its_own_figures_beside_the_citys_by_name(demo_app, accounts, page):
    at = run(page, "opd1")  # opd:DISKOPUKM
    key = "ringkasan_opd" if page == "ringkasan.py" else "intervensi_opd"
    assert at.selectbox(key=key).value == OPD
    assert f"Sorotan {FULL_NAME}" in [s.value for s in at.subheader]
    s = Store.open(demo_app)
    try:
        latest = snapshots(s)[-1]
    finally:
        s.close()
    assert headline(at) == expected(latest, demo_app)
    assert "Kota Samarinda (semua OPD)" in [s.value for s in at.subheader]  # the city's own figures follow
    text = shown_text(at)
    assert "Diskop UKM" in text
    assert OPD not in text, [line for line in text.splitlines() if OPD in line][:3]  # names, never the code


def test_sorot_opd_switches_the_ringkasan_headline_for_dinsospm(demo_app, accounts):
    at = run("ringkasan.py", "dinsos1")
    assert at.selectbox(key="ringkasan_opd").value is None
    assert not any(s.value.startswith("Sorotan") for s in at.subheader)
    city_first = at.metric[0].label  # the city's headline comes first without an OPD
    at.selectbox(key="ringkasan_opd").set_value(OPD).run()
    assert not at.exception, at.exception
    assert f"Sorotan {FULL_NAME}" in [s.value for s in at.subheader]
    s = Store.open(demo_app)
    try:
        latest = snapshots(s)[-1]
    finally:
        s.close()
    assert headline(at) == expected(latest, demo_app)
    assert city_first in [m.label for m in list(at.metric)[5:]]  # and the city's still stands below
    at.selectbox(key="ringkasan_opd").set_value(None).run()
    assert not any(s.value.startswith("Sorotan") for s in at.subheader)


def test_sorot_opd_switches_the_intervensi_headline_for_dinsospm(demo_app, accounts):
    at = run("intervensi_opd.py", "dinsos1")
    assert not any(s.value.startswith("Sorotan") for s in at.subheader)
    at.selectbox(key="intervensi_opd").set_value(OPD).run()
    assert not at.exception, at.exception
    assert f"Sorotan {FULL_NAME}" in [s.value for s in at.subheader]
    s = Store.open(demo_app)
    try:
        latest = snapshots(s)[-1]
    finally:
        s.close()
    assert headline(at) == expected(latest, demo_app)
