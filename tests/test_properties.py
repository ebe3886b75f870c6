"""Property-based: random sequences of imports keep the interval history equal to a simple model.

Six people, three kelurahan. Each step is a monthly snapshot in which every person is absent,
on the list (in one of three kelurahan, desil 1-4) or listed as having left; so leaving,
changing kelurahan/desil and re-entering all occur. Some steps repeat the previous content under
the new date, and some files carry a duplicated NIK and must be refused without a trace.
"""

from __future__ import annotations

import csv
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.ingest import registry
from analytics.store.db import Store
from tests.helpers import dump

PEOPLE = 6
KELURAHAN = ["6472051004", "6472011001", "6472011002"]
DOTTED = ["64.72.05.1004", "64.72.01.1001", "64.72.01.1002"]
HEADER = [
    "ID Keluarga P3KE",
    "Kode Kemdagri",
    "Nama",
    "NIK",
    "Desil Kesejahteraan",
    "Status",
    "Alasan Keluar",
]

person_state = st.one_of(
    st.just(None),  # absent from the file
    st.tuples(st.just("Aktif"), st.integers(0, 2), st.integers(1, 4)),
    st.tuples(st.just("Keluar"), st.integers(0, 2), st.integers(1, 4)),
)
snapshot = st.lists(person_state, min_size=PEOPLE, max_size=PEOPLE).filter(
    lambda s: any(p is not None for p in s)  # an empty file is refused (tested in test_import.py)
)
step = st.one_of(
    st.tuples(st.just("import"), snapshot),
    st.tuples(st.just("repeat"), st.none()),
    st.tuples(st.just("duplicate"), snapshot),
)


def nik(i: int) -> str:
    return f"647201010190{i:04d}"


def write(folder: Path, as_of: date, state: list, duplicate: bool) -> Path:
    """A CSV whose title row names the date, so repeated content is still a different file."""
    path = folder / f"p3ke_{as_of}{'_dup' if duplicate else ''}.csv"
    rows = [
        [
            f"K{i // 2}",
            KELURAHAN[s[1]],
            f"Orang {i}",
            nik(i),
            str(s[2]),
            s[0],
            "Graduasi" if s[0] == "Keluar" else "",
        ]
        for i, s in enumerate(state)
        if s is not None
    ]
    if duplicate:
        rows.append(["K9", KELURAHAN[0], "Kembar", rows[0][3], "1", "Aktif", ""])  # a NIK already in the file
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([f"P3KE per {as_of}"])
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def model_counts(state: list) -> dict[str, int]:
    """People on the list per kelurahan in one snapshot."""
    out: dict[str, int] = {}
    for s in state:
        if s is not None and s[0] == "Aktif":
            out[DOTTED[s[1]]] = out.get(DOTTED[s[1]], 0) + 1
    return out


# The definition snapshot_changes (migration 013) must agree with: everyone on the list at both
# dates compared directly. Slow on a big store, obviously right on a small one.
REFERENCE_CHANGES = """
with at_from as (
    select person_key, kode_kelurahan from person_interval
    where status = 'aktif' and valid_from <= $d0 and coalesce(valid_to, date '9999-12-31') > $d0
),
at_to as (
    select person_key, kode_kelurahan from person_interval
    where status = 'aktif' and valid_from <= $d1 and coalesce(valid_to, date '9999-12-31') > $d1
),
left_list as (select f.* from at_from f anti join at_to t using (person_key)),
entered as (select t.* from at_to t anti join at_from f using (person_key)),
first_exit as (
    select person_key, arg_min(alasan, valid_from) as alasan from person_interval
    where status = 'keluar' and valid_from > $d0 and valid_from <= $d1
    group by person_key
),
first_seen as (select person_key, min(valid_from) as first_from from person_interval group by person_key)
select l.person_key, l.kode_kelurahan, 'keluar', coalesce(x.alasan, 'tidak_diketahui')
from left_list l left join first_exit x using (person_key)
union all
select e.person_key, e.kode_kelurahan,
       case when s.first_from <= $d0 then 'masuk_kembali' else 'masuk_baru' end, null
from entered e join first_seen s using (person_key)
"""


def check_changes(store: Store, dates: list[date]) -> None:
    """snapshot_changes equals the direct comparison for every pair of snapshot dates."""
    with store.cursor() as cur:
        for i, d0 in enumerate(dates):
            for d1 in dates[i + 1 :]:
                want = sorted(cur.execute(REFERENCE_CHANGES, {"d0": d0, "d1": d1}).fetchall(), key=repr)
                got = cur.execute(
                    "select person_key, kode_kelurahan, arus, alasan from snapshot_changes(?, ?)", [d0, d1]
                ).fetchall()
                assert sorted(got, key=repr) == want, (d0, d1)


def check_invariants(store: Store, history: list[tuple[date, list]]) -> None:
    with store.cursor() as cur:
        open_per_person = cur.execute(
            "select max(n) from "
            "(select count(*) n from person_interval where valid_to is null group by person_key)"
        ).fetchone()[0]
        overlaps = cur.execute(
            "select count(*) from person_interval a join person_interval b using (person_key) "
            "where a.valid_from < b.valid_from and coalesce(a.valid_to, date '9999-12-31') > b.valid_from"
        ).fetchone()[0]
        stats = cur.execute("select as_of, kode_kelurahan, orang_aktif from area_stats").fetchall()
        people, keys = cur.execute("select count(*), count(distinct person_key) from person").fetchone()
        unknown = cur.execute(
            "select count(*) from (select distinct person_key from person_interval) anti join person "
            "using (person_key)"
        ).fetchone()[0]
    assert people == keys and unknown == 0  # one person row per key (no index enforces it)
    assert open_per_person in (None, 1)
    assert overlaps == 0
    got: dict[date, dict[str, int]] = {}
    for as_of, kel, n in stats:
        got.setdefault(as_of, {})[kel] = n
    for as_of, state in history:
        assert got.get(as_of, {}) == model_counts(state), as_of
    people = store.query("snapshot_list")["people_active"].tolist()
    assert people == [sum(model_counts(s).values()) for _, s in history]
    check_changes(store, [d for d, _ in history])


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(first=snapshot, steps=st.lists(step, min_size=1, max_size=5))
def test_random_import_sequences_match_a_simple_model(first, steps):
    store = Store.open(None)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            as_of = date(2022, 11, 30)
            registry.import_file(store, write(folder, as_of, first, False), as_of)
            history = [(as_of, first)]
            check_invariants(store, history)
            for kind, state in steps:
                as_of = as_of + timedelta(days=31)
                if kind == "duplicate":
                    before = dump(store)
                    try:
                        registry.import_file(store, write(folder, as_of, state, True), as_of)
                        raise AssertionError("a duplicated NIK was accepted")
                    except registry.ImportRefused as exc:
                        assert "NIK ganda" in str(exc)
                    assert dump(store) == before
                    as_of = as_of - timedelta(days=31)
                    continue
                if kind == "repeat":
                    state = history[-1][1]
                    before = dump(store)
                # random lists may lose most people at once: confirmed, as a person would after checking
                registry.import_file(store, write(folder, as_of, state, False), as_of, confirmed=True)
                history.append((as_of, state))
                check_invariants(store, history)
                if kind == "repeat":
                    after = dump(store)
                    assert after["person"] == before["person"]
                    for table in ("area_stats", "flow_stats"):
                        old = [r for r in after[table] if r[0] != as_of]
                        assert old == before[table]
                    assert [r for r in after["flow_stats"] if r[0] == as_of] == []
    finally:
        store._con.close()
