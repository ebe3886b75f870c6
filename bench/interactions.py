"""Time what users feel in a real browser: page opens, control changes, presentation mode, the PDF
pack, first start and sign-in (issue 17). Prints a markdown table of median and p95 per interaction.

Run: .venv/bin/python -m bench.interactions [--runs 5] [--db PATH] [--app-root DIR] [--only PATTERN]
                                            [--json PATH]

Set-up (untimed): the demo store is built once with the command line of the checkout that runs
(`--app-root`, default this one) unless `--db` names an existing store; a throwaway accounts file
holds the demo accounts; one `streamlit run <app-root>/app.py` (cwd app-root) serves every row
except first start; headless Debian Chromium (tests/browser/conftest.py), viewport 1400×900,
locale id-ID, signed in as dinsos/dinsos-demo. Every row runs once untimed (warm-up), then `--runs`
timed times; first start has no warm-up (each run is a new server on an empty data folder).

What the clock covers. It starts just before Playwright performs the user's action (the click on a
nav link, an option, a tab, a button or a toggle; the key press on a slider) and stops when all of:
  1. the app has run the script for that action: a MutationObserver, installed on
     `[data-testid="stApp"]` before the action, has seen `data-test-script-state="running"` (so a
     run that has not started yet cannot pass for idle; a fragment run counts as a run), or, for a
     run too short for the page ever to show "running", the server has since reported a run
     finished (a ForwardMsg with `script_finished`, read off the app's WebSocket);
  2. the app is idle: `data-test-script-state="notRunning"`, connected, no `stStatusWidget`;
  3. every Plotly chart on screen is drawn: each `[data-testid="stPlotlyChart"]` that is rendered
     (not in a hidden tab or folded expander, and larger than 20×20 px: the sign-in page's hidden
     one-pixel chart that preloads Plotly does not count) holds `.js-plotly-plot .main-svg`, and no
     `stSkeleton` placeholder is rendered;
  4. the row's own sign, when it has one: the opened page's nav link is `aria-current="page"`, the
     presentation's "next" button is shown (on) or gone (off), Ringkasan holds at least one chart.
The conditions are polled on every animation frame in the page (Playwright wait_for_function), so
the clock includes the browser's layout and Plotly's drawing, not only the server's run.
Opening a dropdown or focusing a slider is not timed (the user's action is the choice itself).
Controls alternate between two values (the value shown and its neighbour), so every timed action
changes something; sliders step right, or left when at the last date.

Rows: page open by sidebar link (from the page before it in the list), control changes, Rapat
presentation (on, every "next" step to the last slide, every "previous" step back, off), the PDF
pack (click → download finished: Playwright's download.path() returns), sign-in on the existing
store (fresh browser context: click Masuk → Ringkasan drawn), and first start: a new server on an
empty data folder (the demo store is built by the app): launch → health answers (printed, no
target), health → sign-in form usable (name field visible and editable), then sign-in straight away
→ Ringkasan drawn, and health → Ringkasan drawn in all. On an app that builds the demo before the
sign-in form (0fa816b) the sign-in row starts after the build; on one that builds it in the
background the sign-in row includes whatever build is left.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bench.startup import (
    PASSWORD,
    ROOT,
    USER,
    build_demo,
    launch_server,
    p95,
    wait_healthy,
    write_accounts,
)
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LOCALE, VIEWPORT, stop_streamlit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

TIMEOUT_MS = 120_000
FIRST_START_TIMEOUT_MS = 300_000

# Sidebar nav link titles (Indonesian, the default language), in the order the pages are opened.
PAGES = [
    "Ringkasan",
    "Laju penurunan",
    "Perubahan",
    "Peta Kantong Kemiskinan",
    "Profil Wilayah",
    "Intervensi OPD",
    "Rapat Koordinasi",
    "Data & Impor",
    "Log audit",
    "Istilah",
]
PAGE_S, CONTROL_S, NEXT_S, PACK_S, FORM_S, SIGNIN_S = 1.0, 1.0, 0.3, 4.0, 5.0, 1.0
# (page, row name, widget key): control changes; the widget is found by its `.st-key-<key>` box.
CONTROLS = [
    ("Perubahan", "Perubahan: data lalu (Dari data per)", "perubahan_dari"),
    ("Perubahan", "Perubahan: data kini (Sampai data per)", "perubahan_sampai"),
    ("Perubahan", "Perubahan: jenis perubahan", "perubahan_jenis"),
    ("Peta Kantong Kemiskinan", "Peta: tanggal, slider satu langkah", "peta_date"),
    ("Peta Kantong Kemiskinan", "Peta: wilayah (kecamatan)", "peta_kecamatan"),
    ("Peta Kantong Kemiskinan", "Peta: ukuran", "peta_metric"),
    ("Peta Kantong Kemiskinan", "Peta: kelas warna", "peta_scheme"),
    ("Laju penurunan", "Laju penurunan: satuan", "burndown_unit"),
    ("Intervensi OPD", "Intervensi: sorot OPD", "intervensi_opd"),
    ("Intervensi OPD", "Intervensi: pindah tab", None),
    ("Rapat Koordinasi", "Rapat: data rapat lalu", "rapat_lalu"),
]
TABS = ("OPD × kecamatan", "Cakupan OPD")
RAPAT = "Rapat Koordinasi"
ROW_PRESENT_ON = "Rapat presentasi: nyalakan"
ROW_NEXT = "Rapat presentasi: berikutnya (tiap slide)"
ROW_PREVIOUS = "Rapat presentasi: sebelumnya (tiap slide)"
ROW_PRESENT_OFF = "Rapat presentasi: matikan"
ROW_PDF = "Rapat: paket PDF (klik → unduhan selesai)"
ROW_SIGN_IN = "Masuk (data ada) → Ringkasan tergambar"
ROW_HEALTH = "Mulai pertama: peluncuran → server menjawab"
ROW_FORM = "Mulai pertama: server menjawab → formulir masuk"
ROW_FIRST_SIGN_IN = "Mulai pertama: Masuk → Ringkasan tergambar"
ROW_FIRST_TOTAL = "Mulai pertama: server menjawab → Ringkasan tergambar (total)"


def page_row(title: str) -> str:
    return f"buka halaman: {title}"


TARGETS: dict[str, float | None] = {
    **{page_row(p): PAGE_S for p in PAGES},
    **{name: CONTROL_S for _, name, _ in CONTROLS},
    ROW_PRESENT_ON: CONTROL_S,
    ROW_NEXT: NEXT_S,
    ROW_PREVIOUS: NEXT_S,
    ROW_PRESENT_OFF: CONTROL_S,
    ROW_PDF: PACK_S,
    ROW_SIGN_IN: SIGNIN_S,
    ROW_HEALTH: None,
    ROW_FORM: FORM_S,
    ROW_FIRST_SIGN_IN: None,
    ROW_FIRST_TOTAL: None,
}

# Counts the runs the server reports finished: each WebSocket message is a ForwardMsg protobuf, and
# a finished run's message carries field 6 (script_finished) as a varint; 0 = finished, 3 = fragment
# run finished (2 = stopped early for a rerun, not counted). Installed before the app's own scripts.
COUNT_FINISHED_JS = """(() => {
  window.__benchFinished = 0;
  const scan = (buffer) => {
    const b = new Uint8Array(buffer);
    let i = 0;
    const varint = () => {
      let v = 0, m = 1, x;
      do { x = b[i++]; v += (x & 127) * m; m *= 128; } while (x & 128 && i < b.length);
      return v;
    };
    while (i < b.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) {
        const v = varint();
        if (field === 6 && (v === 0 || v === 3)) window.__benchFinished += 1;
      }
      else if (wire === 2) { const n = varint(); i += n; }  // not `i += varint()`: i is read first
      else if (wire === 1) { i += 8; }
      else if (wire === 5) { i += 4; }
      else return;
    }
  };
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (event) => {
        if (event.data instanceof ArrayBuffer) scan(event.data);
        else if (event.data instanceof Blob) event.data.arrayBuffer().then(scan);
      });
    }
  };
})();"""
ARM_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const bench = { ran: false, finished: window.__benchFinished || 0 };
  window.__bench = bench;
  if (window.__benchObserver) window.__benchObserver.disconnect();
  window.__benchObserver = new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') bench.ran = true;
  });
  window.__benchObserver.observe(app, { attributes: true, attributeFilter: ['data-test-script-state'] });
}"""
# Conditions 1–3 of the module docstring; `minCharts` = charts the page must show (sign-in rows).
SETTLED_JS = """(minCharts) => {
  const bench = window.__bench;
  // A run too short for React ever to show "running" is still reported finished by the server.
  const finished = (window.__benchFinished || 0) - (bench ? bench.finished : 0);
  if (bench && !bench.ran && finished < 1) return false;  // no bench state: the action reloaded the page
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  // rendered and bigger than a dot: the sign-in page's hidden 1 px chart (ui.warm_charts) is not a chart
  const shown = (el) => { const r = el.getBoundingClientRect(); return r.width > 20 && r.height > 20; };
  if ([...document.querySelectorAll('[data-testid="stSkeleton"]')].some(shown)) return false;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(shown);
  if (charts.length < minCharts) return false;
  return charts.every((c) => c.querySelector('.js-plotly-plot .main-svg') !== null);
}"""


@dataclass
class Timings:
    """Seconds per row name, in the order measured, and notes printed under the table."""

    rows: dict[str, list[float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, row: str, seconds: float, log: Callable[[str], None]) -> None:
        self.rows.setdefault(row, []).append(seconds)
        log(f"  {row}: {seconds:.2f} s")


# --- waiting and timing ------------------------------------------------------------------------


def arm(page: Page) -> None:
    """Start watching for the script run the next action causes (condition 1)."""
    page.evaluate(ARM_JS)


def settle(page: Page, min_charts: int = 0, timeout: float = TIMEOUT_MS) -> None:
    """Wait for conditions 1–3 of the module docstring."""
    page.wait_for_function(SETTLED_JS, arg=min_charts, polling="raf", timeout=timeout)


def timed(
    page: Page, action: Callable[[], None], sign: Callable[[], None] | None = None, min_charts: int = 0
) -> float:
    """Seconds from `action` to the row's sign (if any) and the app settled after it."""
    arm(page)
    started = time.perf_counter()
    action()
    if sign is not None:
        sign()
    settle(page, min_charts)
    return time.perf_counter() - started


def untimed_settle(page: Page) -> None:
    """Settle after something that may or may not rerun the script (set-up steps)."""
    page.evaluate("() => { window.__bench = undefined; }")
    page.wait_for_timeout(300)
    settle(page)


# --- the controls ------------------------------------------------------------------------------


def nav_link(page: Page, title: str) -> Locator:
    """The sidebar nav link `title`, unfolding the nav's "view more" first if it is hidden."""
    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)
    if not link.is_visible():
        more = page.get_by_test_id("stSidebarNavViewButton")
        if more.count() and more.first.is_visible():
            more.first.click()
    return link


def open_page(page: Page, title: str) -> float:
    """Click the sidebar link `title` (timed); the sign is its link becoming the current page."""
    from playwright.sync_api import expect

    link = nav_link(page, title)
    return timed(page, link.click, lambda: expect(link).to_have_attribute("aria-current", "page"))


def go(page: Page, title: str) -> None:
    """Open page `title` untimed, unless it is open already."""
    link = nav_link(page, title)
    if link.get_attribute("aria-current") != "page":
        link.click()
        untimed_settle(page)


class Alternator:
    """Changes one widget (found by its `.st-key-<key>` box) back and forth between two values."""

    def __init__(self, page: Page, key: str) -> None:
        self.page, self.key = page, key
        self.pair: tuple[str, str] | None = None

    def box(self) -> Locator:
        return self.page.locator(f".st-key-{self.key}").first

    def _other(self, current: str, options: list[str]) -> str:
        if self.pair is None:  # a select box showing its placeholder (value None) is at the first option
            i = options.index(current) if current in options else 0
            self.pair = (options[i], options[i + 1] if i + 1 < len(options) else options[i - 1])
        return self.pair[0] if current == self.pair[1] else self.pair[1]

    def prepare(self) -> Callable[[], None]:
        """Do the untimed part (open the dropdown, focus the slider); return the timed action."""
        box = self.box()
        box.wait_for(state="visible")
        if box.get_by_role("combobox").count():
            return self._selectbox(box)
        if box.get_by_role("slider").count():
            slider = box.get_by_role("slider").first
            slider.focus()
            at_end = slider.get_attribute("aria-valuenow") == slider.get_attribute("aria-valuemax")
            key = "ArrowLeft" if at_end else "ArrowRight"
            return lambda: self.page.keyboard.press(key)
        if box.get_by_role("radio").count():
            radios = box.get_by_role("radio")
            labels = [str(x).strip() for x in box.get_by_test_id("stRadioOption").all_inner_texts()]
            current = next(labels[i] for i in range(radios.count()) if radios.nth(i).is_checked())
            target = self._other(current, labels)
            return lambda: box.get_by_test_id("stRadioOption").nth(labels.index(target)).click()
        buttons = box.get_by_role("button")  # segmented control or pills
        ids = [str(buttons.nth(i).get_attribute("data-testid") or "") for i in range(buttons.count())]
        labels = [str(x).strip() for x in buttons.all_inner_texts()]
        current = next((labels[i] for i, d in enumerate(ids) if d.endswith("Active")), labels[0])
        target = self._other(current, labels)
        return lambda: buttons.nth(labels.index(target)).click()

    def _selectbox(self, box: Locator) -> Callable[[], None]:
        combo = box.get_by_role("combobox").first
        current = combo.input_value().strip()
        combo.scroll_into_view_if_needed()
        combo.focus()  # a click sometimes does not open the list (the page still lays out below)
        combo.press("ArrowDown")
        # CSS, not get_by_role: the list (in a portal) is not always in the accessibility tree
        options = self.page.locator('[role="listbox"] [role="option"]')
        for attempt in range(5):  # a key press or click while the page still lays out can be lost
            try:
                options.first.wait_for(state="visible", timeout=2_000)
                break
            except Exception:
                if attempt == 4:
                    raise
                combo.click() if attempt % 2 else combo.press("ArrowDown")
        target = self._other(current, [str(x).strip() for x in options.all_inner_texts()])
        option = options.filter(has_text=re.compile(f"^{re.escape(target)}$"))
        if not option.count():  # a long list renders only part: filter it by typing
            combo.fill(target)
        return option.first.click


def change(page: Page, widget: Alternator) -> float:
    return timed(page, widget.prepare())


def switch_tab(page: Page, turn: int) -> float:
    tab = page.get_by_role("tab", name=TABS[turn % 2], exact=True)
    return timed(page, tab.click)


def rows_selected(names: list[str], only: re.Pattern[str] | None) -> list[str]:
    return [n for n in names if only is None or only.search(n)]


# --- the groups of rows ------------------------------------------------------------------------


def sign_in_form(page: Page, timeout: float = TIMEOUT_MS) -> None:
    """Wait for the sign-in form's name field visible and editable."""
    from playwright.sync_api import expect

    name = page.get_by_label("Nama pengguna")
    name.wait_for(state="visible", timeout=timeout)
    expect(name).to_be_editable(timeout=timeout)


def fill_and_sign_in(page: Page) -> float:
    """Fill the form, click Masuk (timed) until Ringkasan is drawn with at least one chart."""
    page.get_by_label("Nama pengguna").fill(USER)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    button = page.get_by_role("button", name="Masuk", exact=True)
    return timed(page, button.click, min_charts=1)


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(COUNT_FINISHED_JS)
    return context.new_page()


def measure_sign_in(browser: Browser, url: str, runs: int, out: Timings, log) -> None:
    """Sign-in on the existing store, each in a fresh browser context (no session cookie)."""
    for i in range(runs + 1):
        page = new_page(browser)
        try:
            page.goto(url)
            sign_in_form(page)
            untimed_settle(page)
            seconds = fill_and_sign_in(page)
            if i:
                out.add(ROW_SIGN_IN, seconds, log)
        finally:
            page.context.close()


def measure_pages(page: Page, titles: list[str], runs: int, out: Timings, log) -> None:
    """Each round opens every page in turn, from the page before it; round 0 is the warm-up."""
    for i in range(runs + 1):
        for title in titles:
            if nav_link(page, title).get_attribute("aria-current") == "page":
                go(page, "Istilah" if title != "Istilah" else "Ringkasan")
            seconds = open_page(page, title)
            if i:
                out.add(page_row(title), seconds, log)


def measure_controls(page: Page, chosen: list[tuple[str, str, str | None]], runs: int, out: Timings, log):
    for title, row, key in chosen:
        go(page, title)
        widget = Alternator(page, key) if key else None
        for i in range(runs + 1):
            seconds = change(page, widget) if widget else switch_tab(page, i)
            if i:
                out.add(row, seconds, log)
        # leave the page as the link opens it (the widget at its first value) for the next rows
        if widget is not None and (runs + 1) % 2:
            change(page, widget)
        elif widget is None and (runs + 1) % 2:
            switch_tab(page, runs + 1)


def measure_presentation(page: Page, wanted: set[str], runs: int, out: Timings, log) -> None:
    """Cycles of: toggle on, "next" to the last slide, "previous" back to the first, toggle off.
    The warm-up cycle steps once each way."""
    from playwright.sync_api import expect

    go(page, RAPAT)
    toggle = page.locator(".st-key-rapat_presentasi label").first
    next_button = page.locator(".st-key-rapat_next button").first
    prev_button = page.locator(".st-key-rapat_prev button").first
    for i in range(runs + 1):
        seconds = timed(page, toggle.click, lambda: expect(next_button).to_be_visible())
        if i and ROW_PRESENT_ON in wanted:
            out.add(ROW_PRESENT_ON, seconds, log)
        forward = 0
        while next_button.is_enabled() and (i or forward < 1):
            seconds = timed(page, next_button.click)
            forward += 1
            if i:
                out.add(ROW_NEXT, seconds, log)
        for _ in range(forward):
            seconds = timed(page, prev_button.click)
            if i:
                out.add(ROW_PREVIOUS, seconds, log)
        if i:
            log(f"  cycle {i}: {forward} steps each way")
        seconds = timed(page, toggle.click, lambda: expect(next_button).to_have_count(0))
        if i and ROW_PRESENT_OFF in wanted:
            out.add(ROW_PRESENT_OFF, seconds, log)
    for row in (ROW_NEXT, ROW_PREVIOUS):
        if row not in wanted:
            out.rows.pop(row, None)


def measure_pdf(page: Page, runs: int, out: Timings, log) -> None:
    go(page, RAPAT)
    button = page.locator(".st-key-rapat_paket_pdf button").first
    for i in range(runs + 1):
        button.wait_for(state="visible")
        started = time.perf_counter()
        with page.expect_download(timeout=TIMEOUT_MS) as info:
            button.click()
        info.value.path()  # returns when the download has finished
        seconds = time.perf_counter() - started
        if i:
            out.add(ROW_PDF, seconds, log)
        untimed_settle(page)


def measure_first_start(browser: Browser, root: Path, work: Path, runs: int, out: Timings, log) -> None:
    """A new server on an empty data folder per run; the app builds the demo store itself."""
    for i in range(runs):
        folder = work / f"first-start-{i + 1}"
        data = folder / "data"
        data.mkdir(parents=True)
        env = {
            "NOL_EKSTREM_DB": str(folder / "nol_ekstrem.duckdb"),
            "NOL_EKSTREM_DATA_DIR": str(data),
            "NOL_EKSTREM_USERS": str(data / "pengguna.json"),
        }
        page = new_page(browser)
        log_path = folder / "streamlit.log"
        launched = time.perf_counter()
        proc, url = launch_server(env, log_path, root)
        try:
            wait_healthy(proc, url, log_path)
            answered = time.perf_counter()
            page.goto(url)
            sign_in_form(page, FIRST_START_TIMEOUT_MS)
            form = time.perf_counter() - answered
            untimed_settle(page)  # the run that drew the form may still go on (the demo build)
            signed = fill_and_sign_in(page)  # as soon as that run is over
            total = time.perf_counter() - answered
        finally:
            page.context.close()
            stop_streamlit(proc)
        out.add(ROW_HEALTH, answered - launched, log)
        out.add(ROW_FORM, form, log)
        out.add(ROW_FIRST_SIGN_IN, signed, log)
        out.add(ROW_FIRST_TOTAL, total, log)


# --- the whole run -----------------------------------------------------------------------------


def measure(
    browser: Browser,
    *,
    db: Path,
    root: Path = ROOT,
    runs: int = 5,
    only: str | None = None,
    work: Path | None = None,
    log: Callable[[str], None] = print,
    out: Timings | None = None,
) -> Timings:
    """Time every row matching `only` (a regular expression, case-insensitive) against the
    existing store at db, served from the checkout at root (see the module docstring)."""
    pattern = re.compile(only, re.IGNORECASE) if only else None
    wanted = set(rows_selected(list(TARGETS), pattern))
    work = work or Path(tempfile.mkdtemp(prefix="nol-interactions-"))
    out = out if out is not None else Timings()  # the caller's: it keeps what was timed if a row fails
    users = work / "pengguna.json"
    write_accounts(users)
    env = {"NOL_EKSTREM_DB": str(db), "NOL_EKSTREM_DATA_DIR": str(db.parent), "NOL_EKSTREM_USERS": str(users)}
    titles = [p for p in PAGES if page_row(p) in wanted]
    controls = [c for c in CONTROLS if c[1] in wanted]
    present = wanted & {ROW_PRESENT_ON, ROW_NEXT, ROW_PREVIOUS, ROW_PRESENT_OFF}
    if wanted - {ROW_HEALTH, ROW_FORM, ROW_FIRST_SIGN_IN, ROW_FIRST_TOTAL}:
        log_path = work / "streamlit.log"
        proc, url = launch_server(env, log_path, root)
        try:
            wait_healthy(proc, url, log_path)
            if ROW_SIGN_IN in wanted:
                log("sign-in")
                measure_sign_in(browser, url, runs, out, log)
            page = new_page(browser)
            try:
                page.goto(url)
                sign_in_form(page)
                untimed_settle(page)
                fill_and_sign_in(page)
                if titles:
                    log("page opens")
                    measure_pages(page, titles, runs, out, log)
                if controls:
                    log("controls")
                    measure_controls(page, controls, runs, out, log)
                if present:
                    log("presentation")
                    measure_presentation(page, present, runs, out, log)
                if ROW_PDF in wanted:
                    log("PDF pack")
                    measure_pdf(page, runs, out, log)
            finally:
                page.context.close()
        finally:
            stop_streamlit(proc)
    if wanted & {ROW_HEALTH, ROW_FORM, ROW_FIRST_SIGN_IN, ROW_FIRST_TOTAL}:
        log("first start (empty data folder)")
        measure_first_start(browser, root, work, runs, out, log)
        for row in {ROW_HEALTH, ROW_FORM, ROW_FIRST_SIGN_IN, ROW_FIRST_TOTAL} - wanted:
            out.rows.pop(row, None)
    return out


def commit_of(root: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True)
    return done.stdout.strip() or "?"


def table(out: Timings) -> str:
    """The markdown table: interaction | runs | median s | p95 s | target | met?"""
    lines = ["| interaction | runs | median s | p95 s | target | met? |", "|---|---:|---:|---:|---:|---|"]
    for row in TARGETS:
        values = out.rows.get(row)
        if not values:
            continue
        med, high = statistics.median(values), p95(values)
        target = TARGETS[row]
        shown = "—" if target is None else f"≤ {target:g} s"
        met = "—" if target is None else "yes" if high <= target else "**no**"
        lines.append(f"| {row} | {len(values)} | {med:.2f} | {high:.2f} | {shown} | {met} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build the demo store if needed, time the rows and print the table."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(prog="python -m bench.interactions")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=None, help="existing store (default: build the demo)")
    parser.add_argument("--app-root", type=Path, default=ROOT, help="checkout whose app.py is served")
    parser.add_argument("--only", default=None, help="regular expression on the row names")
    parser.add_argument("--json", type=Path, default=None, help="save the raw timings here")
    args = parser.parse_args(argv)
    root = args.app_root.resolve()
    for name in ("NOL_EKSTREM_SECRET", "NOL_EKSTREM_SECRET_FILE", "NOL_EKSTREM_DEMO"):
        os.environ.pop(name, None)  # the demo store and its accounts, as a fresh checkout
    work = Path(tempfile.mkdtemp(prefix="nol-interactions-"))
    db = (args.db or work / "demo" / "demo.duckdb").resolve()
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"demo store built in {build_demo(db, root):.1f} s (not measured): {db}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        out = Timings()
        try:
            measure(browser, db=db, root=root, runs=args.runs, only=args.only, work=work, out=out)
        except Exception:
            print("\nFAILED; rows timed so far:\n" + table(out))
            raise
        finally:
            browser.close()
    commit, nproc = commit_of(root), os.cpu_count()
    print()
    print(table(out))
    print(
        f"\ncommit {commit} ({root}), {dt.date.today().isoformat()}, nproc {nproc}, --runs {args.runs}; "
        'p95 = nearest rank (the maximum for ≤ 19 runs). "met?": yes = p95 within target.'
    )
    if args.json:
        raw = {"commit": commit, "date": dt.date.today().isoformat(), "nproc": nproc, "runs": args.runs}
        args.json.write_text(json.dumps({**raw, "timings": out.rows}, indent=2, ensure_ascii=False))
    shutil.rmtree(work)  # kept on failure: it holds the server logs the error names
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
