"""Time the app in a real browser: server start to sign-in form, sign-in to Ringkasan, one page change.

Run: .venv/bin/python -m bench.startup [--db PATH] [--runs 5]

Target (city scale, existing store): the app is interactive in the browser ≤ 3 s after start.
Each run starts a fresh `streamlit run app.py` on a free port against an existing store (the demo
store is built once beforehand, untimed, unless --db names an existing one) and drives a fresh
headless Chromium (launched before the clock starts, as a user's browser is already open):
  (a) server launch -> the sign-in form's "Nama pengguna" input visible and editable;
  (b) click "Masuk" as dinsos/dinsos-demo -> Ringkasan title and burn-down chart drawn, app idle;
  (c) (a) + (b);
  (d) sidebar link "Laju penurunan" -> its title and chart drawn, app idle.
The server's whole process group is stopped after every run. Sign-in goes through a throwaway
accounts file holding the demo accounts; it writes a sign-in line to the store's audit log.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tests.browser.conftest import (
    APP_SELECTOR,
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCALE,
    VIEWPORT,
    free_port,
    health_ok,
    stop_streamlit,
    streamlit_command,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0
TIMEOUT_MS = 120_000
POLL_S = 0.05
USER, PASSWORD = "dinsos", "dinsos-demo"
STEPS = {
    "a": "(a) start → sign-in form usable",
    "b": "(b) Masuk → Ringkasan drawn",
    "c": "(c) total (a)+(b)",
    "d": "(d) Ringkasan → Burn-down drawn",
}
TARGETS = {"a": TARGET_S, "b": TARGET_S}


@dataclass
class Measured:
    """Per-run step durations in seconds (keys of STEPS) and the server process ids used."""

    runs: list[dict[str, float]] = field(default_factory=list)
    server_pids: list[int] = field(default_factory=list)


def build_demo(db: Path, root: Path = ROOT) -> float:
    """Build the demo store at db with the command line of the checkout at root (data files next
    to it); return seconds."""
    started = time.perf_counter()
    env = {**os.environ, "NOL_EKSTREM_DATA_DIR": str(db.parent)}
    command = [sys.executable, "-m", "analytics.cli", "--db", str(db), "demo"]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"demo build failed:\n{done.stderr[-4000:]}")
    return time.perf_counter() - started


def write_accounts(path: Path) -> None:
    """Create an accounts file at path holding the documented demo accounts."""
    from analytics.access import auth

    old = os.environ.get("NOL_EKSTREM_USERS")
    os.environ["NOL_EKSTREM_USERS"] = str(path)
    try:
        auth.ensure_demo_accounts()
    finally:
        if old is None:
            os.environ.pop("NOL_EKSTREM_USERS", None)
        else:
            os.environ["NOL_EKSTREM_USERS"] = old


def launch_server(
    env: dict[str, str], log_path: Path, root: Path = ROOT
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run <root>/app.py` (cwd root) in its own process group on a free port;
    do not wait."""
    port = free_port()
    command = streamlit_command(root / "app.py", port)
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            command,
            cwd=root,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return proc, f"http://127.0.0.1:{port}"


def wait_healthy(
    proc: subprocess.Popen[bytes], url: str, log_path: Path, timeout_s: float = TIMEOUT_MS / 1000
) -> None:
    """Poll the server's health endpoint every POLL_S until it answers."""
    deadline = time.monotonic() + timeout_s
    while not health_ok(url, timeout=1.0):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"Streamlit did not come up (log {log_path}):\n{log_path.read_text()[-4000:]}")
        time.sleep(POLL_S)


def wait_idle(page: Page) -> None:
    """Wait until the script run has finished and no status widget ("Running") is shown.

    Call only after something produced by the awaited run is visible, so a run that has not
    started yet cannot pass for a finished one (no fixed sleeps, unlike tests' wait_for_app).
    """
    page.wait_for_selector(f'{APP_SELECTOR}[data-test-connection-state="CONNECTED"]', state="attached")
    page.wait_for_selector(f'{APP_SELECTOR}[data-test-script-state="notRunning"]', state="attached")
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached")


def wait_drawn(page: Page, heading: str, chart_key: str) -> None:
    """Wait for a page's title heading and its keyed Plotly chart to be drawn, then for idle."""
    page.get_by_role("heading", name=heading).first.wait_for(state="visible")
    page.locator(f".st-key-{chart_key} .js-plotly-plot .main-svg").first.wait_for(state="visible")
    wait_idle(page)


def one_run(browser: Browser, env: dict[str, str], log_path: Path, on_start: Callable[[int], None]) -> dict:
    """One fresh server and browser context: the four step durations in seconds."""
    from playwright.sync_api import expect

    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    started = time.perf_counter()
    proc, url = launch_server(env, log_path)
    on_start(proc.pid)
    try:
        wait_healthy(proc, url, log_path)
        page.goto(url)
        name = page.get_by_label("Nama pengguna")
        name.wait_for(state="visible")
        expect(name).to_be_editable(timeout=TIMEOUT_MS)
        a = time.perf_counter() - started
        wait_idle(page)  # untimed: let the sign-in page finish before typing
        name.fill(USER)
        page.get_by_label("Kata sandi").fill(PASSWORD)
        clicked = time.perf_counter()
        page.get_by_role("button", name="Masuk", exact=True).click()
        wait_drawn(page, "Menuju nol miskin ekstrem", "ringkasan_burndown")
        b = time.perf_counter() - clicked
        clicked = time.perf_counter()
        page.get_by_test_id("stSidebarNav").get_by_role("link", name="Laju penurunan", exact=True).click()
        wait_drawn(page, "Laju penurunan: sisa daftar menuju nol", "burndown_chart")
        d = time.perf_counter() - clicked
    finally:
        context.close()
        stop_streamlit(proc)
    return {"a": a, "b": b, "c": a + b, "d": d}


def measure(
    db: Path,
    runs: int = 5,
    work: Path | None = None,
    log: Callable[[str], None] = print,
    browser: Browser | None = None,
) -> Measured:
    """Time `runs` cold server starts against the existing store at db (see the module docstring).

    Each run launches its own Chromium, unless a running browser is given (a test suite's, where
    Playwright's sync API cannot be started a second time); each run still gets a fresh context.
    """
    from playwright.sync_api import sync_playwright

    work = work or Path(tempfile.mkdtemp(prefix="nol-startup-"))
    users = work / "pengguna.json"
    write_accounts(users)
    env = {"NOL_EKSTREM_DB": str(db), "NOL_EKSTREM_DATA_DIR": str(db.parent), "NOL_EKSTREM_USERS": str(users)}
    result = Measured()

    def record(i: int, chromium: Browser) -> None:
        times = one_run(chromium, env, work / f"streamlit-{i + 1}.log", result.server_pids.append)
        result.runs.append(times)
        log(f"run {i + 1}/{runs}: " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))

    if browser is not None:
        for i in range(runs):
            record(i, browser)
        return result
    with sync_playwright() as playwright:
        for i in range(runs):
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            try:
                record(i, chromium)
            finally:
                chromium.close()
    return result


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (bench/run.py's convention; the maximum for 5 runs)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, -(-95 * len(ordered) // 100) - 1)]


def table(m: Measured) -> str:
    """The markdown result table with a note on what the target covers."""
    lines = ["| step | median s | p95 s | target | met? |", "|---|---:|---:|---:|---|"]
    for key, label in STEPS.items():
        values = [run[key] for run in m.runs]
        med, high = statistics.median(values), p95(values)
        target = TARGETS.get(key)
        if target is None:
            shown, met = "—", "—"
        else:
            shown = f"≤ {target:.0f} s"
            met = "yes" if high <= target else "median only" if med <= target else "**no**"
        lines.append(f"| {label} | {med:.2f} | {high:.2f} | {shown} | {met} |")
    lines.append(
        f'\n{len(m.runs)} runs, each a fresh server process and browser context. "Interactive after '
        'start" = (a); (b) is the first page after sign-in; the ≤ 3 s target applies to each. '
        '"met?": yes = p95 within target, median only = median within but p95 over.'
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build the demo store if needed, time the runs and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.startup")
    parser.add_argument("--db", type=Path, default=None, help="existing store (default: build the demo)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="nol-startup-"))
    db = (args.db or work / "demo" / "demo.duckdb").resolve()
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"demo store built in {build_demo(db):.1f} s (not measured): {db}")
    print(table(measure(db, args.runs, work)))
    shutil.rmtree(work)  # kept on failure: it holds the server logs the error names
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
