"""The startup benchmark drives a real server and browser through all four steps, then stops it."""

from __future__ import annotations

import os

import pytest

from bench import startup
from tests.browser.conftest import copy_of_store


def test_startup_bench_times_every_step_and_stops_the_server(demo_db, tmp_path, browser):
    db = copy_of_store(demo_db, tmp_path)
    work = tmp_path / "work"
    work.mkdir()

    # The suite's browser: Playwright's sync API cannot be started twice in one process.
    result = startup.measure(db, runs=1, work=work, log=lambda _m: None, browser=browser)

    assert len(result.runs) == 1 and set(result.runs[0]) == set(startup.STEPS)
    assert all(seconds > 0 for seconds in result.runs[0].values())
    assert result.runs[0]["c"] == pytest.approx(result.runs[0]["a"] + result.runs[0]["b"])
    assert len(result.server_pids) == 1
    with pytest.raises(ProcessLookupError):  # the whole process group is gone, not just the parent
        os.killpg(result.server_pids[0], 0)
    assert "| (a) start → sign-in form usable |" in startup.table(result)
