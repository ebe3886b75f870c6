"""The interaction benchmark drives a real server and browser and reports each chosen row with numbers
(no timing is asserted: the numbers depend on the machine)."""

from __future__ import annotations

import re

from bench import interactions
from tests.browser.conftest import copy_of_store

PAGE_ROW = interactions.page_row("Istilah")
CONTROL_ROW = "Laju penurunan: satuan"


def test_interaction_bench_reports_one_page_open_and_one_control(demo_db, tmp_path, browser):
    db = copy_of_store(demo_db, tmp_path)
    work = tmp_path / "work"
    work.mkdir()

    only = f"^({re.escape(PAGE_ROW)}|{re.escape(CONTROL_ROW)})$"
    # The suite's browser: Playwright's sync API cannot be started twice in one process.
    out = interactions.measure(browser, db=db, runs=1, only=only, work=work, log=lambda _m: None)

    assert set(out.rows) == {PAGE_ROW, CONTROL_ROW}
    assert all(len(v) == 1 and v[0] > 0 for v in out.rows.values())
    lines = interactions.table(out).splitlines()
    number = r"\d+\.\d\d"
    for row, target in ((PAGE_ROW, "≤ 1 s"), (CONTROL_ROW, "≤ 1 s")):
        pattern = rf"^\| {re.escape(row)} \| 1 \| {number} \| {number} \| {target} \| (yes|\*\*no\*\*) \|$"
        assert any(re.match(pattern, line) for line in lines), (row, lines)
    assert len(lines) == 4  # header, rule and the two rows: nothing else was timed
