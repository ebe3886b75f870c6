"""End-to-end test infrastructure: a Streamlit server, headless Chromium and selector recipes.

Browser
    Playwright cannot download its own browsers here, so Debian's Chromium is used
    (`scripts/install_browser.sh`, path overridable with NOL_CHROMIUM). Without it the whole
    folder is skipped, except when CI is set: then every test errors, because CI must run them.

Server
    `app_server` builds the demo store with the command line (~50 s), then starts `app.py` once
    per session (or uses NOL_APP_URL). On a fresh data folder the app itself builds it in the
    background while pages show its progress (tests/browser/test_first_start.py).

Waiting
    Always call `wait_for_app(page)` after `goto` and after every interaction that reruns the
    script. It waits for `[data-testid="stApp"]` to report `data-test-script-state="notRunning"`
    and for `stStatusWidget` to be gone. The status widget alone is not enough: Streamlit shows
    it only after a run has lasted 500 ms.

Selector recipes verified with Streamlit 1.67 (see the helpers below and test_smoke_infra.py)
    selectbox   react-aria combobox:
                `page.get_by_role("combobox", name=LABEL).click()`, then
                `page.get_by_role("option", name=OPTION, exact=True).click()` (the listbox
                renders in a portal, outside stSelectbox). Typing to filter also works:
                `combobox.fill("mang")` and click the option. Current value:
                `combobox.input_value()`.
    radio       click the option's text: `get_by_test_id("stRadio").filter(has_text=LABEL)
                .get_by_text(OPTION, exact=True).click()`. The `<input type=radio>` is visually
                hidden, so `get_by_role("radio", name=OPTION).check()` needs `force=True`.
    button      `get_by_test_id("stButton").get_by_role("button", name=TEXT).click()`
                (the `<button>` has data-testid `stBaseButton-secondary`/`-primary`).
    tabs        `page.get_by_role("tab", name=TEXT).click()`; selected tab has
                `aria-selected="true"`; inactive panels (`stTabPanel`) stay in the DOM but are
                hidden and inert, so use `expect(...).to_be_visible()` on panel content.
                Switching tabs does not rerun the script.
    navigation  sidebar links from st.navigation:
                `get_by_test_id("stSidebarNav").get_by_role("link", name=TITLE).click()`
                (each `<a data-testid="stSidebarNavLink">`, current one has
                `aria-current="page"`); the URL becomes `<base>/<url_path>`. Loading
                `<base>/<url_path>` directly also works (it logs two benign 404s, filtered).
                The default page lives at `<base>/`; `<base>/<its url_path>` logs a console
                error "The page that you have requested does not seem to exist".
    metric      `get_by_test_id("stMetric").filter(has_text=LABEL)` then
                `.get_by_test_id("stMetricValue")` / `stMetricDelta` / `stMetricLabel`
                `.inner_text()`.
    download    `with page.expect_download() as info:
                get_by_test_id("stDownloadButton").get_by_role("button", name=TEXT).click()`;
                then `info.value.suggested_filename` and `info.value.path()`.
    file upload `get_by_test_id("stFileUploader").filter(has_text=LABEL)
                .get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path)`; the
                uploaded file appears as `stFileChipName`.
    text        `expect(page.get_by_text(TEXT)).to_be_visible()`; headings:
                `page.get_by_role("heading", name=TEXT)`.

Screenshots
    Streamlit scrolls inside `<main data-testid="stMain">`, not the document, so a plain
    full-page screenshot stops at the viewport; `screenshot()` grows the viewport first.
    Files go to tests/browser/screenshots/ (git-ignored).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SCREENSHOT_DIR = HERE / "screenshots"
CHROMIUM = Path(os.environ.get("NOL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--metrics-recording-only",
]
VIEWPORT = {"width": 1400, "height": 900}
LOCALE = "id-ID"
SERVER_START_TIMEOUT_S = 180.0
APP_RUN_TIMEOUT_MS = 120_000
APP_SELECTOR = '[data-testid="stApp"]'
# Streamlit probes `<page path>/_stcore/...` before the base path when a sub-page URL is loaded.
BENIGN_CONSOLE_ERRORS = (re.compile(r"/_stcore/(health|host-config)$"),)


def _ci() -> bool:
    """Whether we run in CI, where missing browser tests must fail instead of skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _chromium_problem() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return (
            f"Chromium not found at {CHROMIUM}: run scripts/install_browser.sh "
            "or set NOL_CHROMIUM to a Chromium binary"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is missing: pip install -r requirements-dev.txt"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in this folder `browser` (select or deselect with -m)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item so `page` can screenshot failed tests."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(autouse=True)
def nik_secret(monkeypatch):
    """The browser tests drive the demo store and its demo accounts: no NIK key, as a fresh checkout."""
    monkeypatch.delenv("NOL_EKSTREM_SECRET", raising=False)
    monkeypatch.delenv("NOL_EKSTREM_SECRET_FILE", raising=False)


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Skip this folder without Chromium; in CI (env CI set) fail loudly instead."""
    problem = _chromium_problem()
    if problem is None:
        return
    if _ci():
        pytest.fail(f"CI is set, so browser tests must run, but {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


# --- Streamlit server -------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def health_ok(url: str, timeout: float = 2.0) -> bool:
    """Whether `<url>/_stcore/health` answers "ok"."""
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (OSError, urllib.error.URLError):
        return False


def stop_streamlit(proc: subprocess.Popen[bytes]) -> None:
    """Terminate the server's whole process group (SIGTERM, then SIGKILL after 10 s)."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def streamlit_command(script_path: Path, port: int) -> list[str]:
    """`streamlit run` for a headless server on 127.0.0.1:port, no telemetry, no file watcher."""
    return [
        sys.executable, "-m", "streamlit", "run", str(script_path),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip


def start_streamlit(
    script_path: Path,
    env: Mapping[str, str] | None = None,
    *,
    cwd: Path | None = None,
    timeout: float = SERVER_START_TIMEOUT_S,
    log_path: Path | None = None,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run script_path` on a free port and wait until it is healthy.

    `env` is added to os.environ; `cwd` defaults to the script's folder; output goes to
    `log_path` (default: a temp file), whose tail is shown if the server dies or times out.
    The process runs in its own session: stop it with `stop_streamlit(proc)`.
    """
    script_path = Path(script_path).resolve()
    if log_path is None:
        log_path = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    full_env = {**os.environ, **(env or {})}
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    for _attempt in range(3):  # the free port may be taken between probe and bind
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = streamlit_command(script_path, port)
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                command,
                cwd=cwd or script_path.parent,
                env=full_env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if health_ok(url):
                return proc, url
            if proc.poll() is not None:
                break
            time.sleep(0.25)
        output = log_path.read_text(errors="replace")
        if proc.poll() is not None and "already in use" in output:
            continue
        stop_streamlit(proc)
        state = "exited" if proc.returncode is not None else "timed out"
        raise RuntimeError(
            f"Streamlit {state} before {url}/_stcore/health answered ok (log {log_path}):\n{output[-4000:]}"
        )
    raise RuntimeError(f"no free port for Streamlit after 3 attempts (log {log_path})")


# The data folder of each server app_server started (its accounts file lives there).
DATA_DIRS: dict[str, Path] = {}


def copy_of_store(db: Path, folder: Path) -> Path:
    """A copy of the store file db and its companions (manifest, WAL) in folder/store, so that no other
    test's open handle on the session store can lock a server out; returns the copy's path."""
    import shutil

    store_dir = folder / "store"
    store_dir.mkdir()
    for part in db.parent.glob(f"{db.name}*"):
        shutil.copy2(part, store_dir / part.name)
    return store_dir / db.name


def add_account(app_url: str, name: str, role: str, password: str) -> None:
    """Create an account in the accounts file of a server app_server started (after its first
    page load, which creates the demo accounts); skips the test on an external NOL_APP_URL."""
    from analytics.access import auth

    if app_url not in DATA_DIRS:
        pytest.skip("accounts of an external NOL_APP_URL server cannot be created here")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NOL_EKSTREM_USERS", str(DATA_DIRS[app_url] / "pengguna.json"))
        if name not in auth.load_users():
            auth.add_user(name, role, password)


def build_demo_store(env: Mapping[str, str]) -> None:
    """Build the demo store named by env with the command line (as `python -m analytics.cli demo`).

    The app builds it in the background on first start and pages wait for it meanwhile
    (tests/browser/test_first_start.py); the other tests want a server whose data is there."""
    command = [sys.executable, "-m", "analytics.cli", "--db", env["NOL_EKSTREM_DB"], "demo"]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("NOL_EKSTREM_SECRET")}
    done = subprocess.run(command, cwd=ROOT, env={**full_env, **env}, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"demo build failed:\n{done.stderr[-4000:]}")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real app (app.py) on a throwaway store; NOL_APP_URL reuses a server."""
    external = os.environ.get("NOL_APP_URL", "").strip().rstrip("/")
    if external:
        if not health_ok(external, timeout=10):
            pytest.fail(f"NOL_APP_URL={external} does not answer /_stcore/health", pytrace=False)
        yield external
        return
    tmp = tmp_path_factory.mktemp("app_server")
    data_dir = tmp / "data"
    data_dir.mkdir()
    env = {
        "NOL_EKSTREM_DB": str(tmp / "nol_ekstrem.duckdb"),
        "NOL_EKSTREM_DATA_DIR": str(data_dir),
    }
    build_demo_store(env)
    proc, url = start_streamlit(ROOT / "app.py", env, cwd=ROOT, log_path=tmp / "streamlit.log")
    DATA_DIRS[url] = data_dir
    try:
        yield url
    finally:
        stop_streamlit(proc)


# --- Browser ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def console_errors() -> list[str]:
    """Console errors and uncaught page errors seen by `page` (benign Streamlit 404s removed)."""
    return []


@pytest.fixture
def page(browser: Browser, console_errors: list[str], request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh 1400x900 id-ID page; saves a screenshot named after the test when it fails."""
    context = browser.new_context(viewport=VIEWPORT, locale=LOCALE, accept_downloads=True)
    context.set_default_timeout(30_000)
    new_page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        """Record console errors that are not known Streamlit noise."""
        if message.type != "error":
            return
        source = (message.location or {}).get("url", "")
        if any(pattern.search(source) for pattern in BENIGN_CONSOLE_ERRORS):
            return
        console_errors.append(f"{message.text} ({source})" if source else message.text)

    new_page.on("console", on_console)
    new_page.on("pageerror", lambda error: console_errors.append(f"pageerror: {error}"))
    try:
        yield new_page
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            with contextlib.suppress(Exception):
                screenshot(new_page, f"FAILED-{request.node.name}")
        context.close()


# --- Helpers ----------------------------------------------------------------------------------


def wait_for_app(page: Page, timeout: float = APP_RUN_TIMEOUT_MS) -> None:
    """Wait until Streamlit is connected and has finished running the script (ms timeout)."""
    page.wait_for_timeout(250)  # let a just-triggered rerun reach the server and come back
    page.wait_for_selector(
        f'{APP_SELECTOR}[data-test-connection-state="CONNECTED"]', state="attached", timeout=timeout
    )
    page.wait_for_selector(
        f'{APP_SELECTOR}[data-test-script-state="notRunning"]', state="attached", timeout=timeout
    )
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout)
    page.wait_for_timeout(100)  # let React paint the last deltas


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of the app as tests/browser/screenshots/<name>.png; return its path."""
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "screenshot"
    path = SCREENSHOT_DIR / (safe if safe.endswith(".png") else f"{safe}.png")
    size = page.viewport_size or VIEWPORT
    height = page.evaluate(
        """() => Math.max(document.documentElement.scrollHeight,
            ...['stMain', 'stSidebarContent'].map(id =>
                document.querySelector(`[data-testid="${id}"]`)?.scrollHeight ?? 0))"""
    )
    grown = int(height) > size["height"]
    if grown:
        page.set_viewport_size({"width": size["width"], "height": min(int(height), 16_000)})
        page.wait_for_timeout(200)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if grown:
            page.set_viewport_size(size)
    return path


def select_option(page: Page, label: str, option: str) -> None:
    """Choose `option` in the st.selectbox labelled `label`, then wait for the rerun."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app(page)


def choose_radio(page: Page, label: str, option: str) -> None:
    """Choose `option` in the st.radio labelled `label`, then wait for the rerun."""
    group = page.get_by_test_id("stRadio").filter(has=page.get_by_role("radiogroup", name=label))
    group.get_by_test_id("stRadioOption").filter(has_text=option).click()
    wait_for_app(page)


def click_button(page: Page, text: str) -> None:
    """Click the st.button showing `text`, then wait for the rerun."""
    page.get_by_test_id("stButton").get_by_role("button", name=text, exact=True).click()
    wait_for_app(page)


def open_tab(page: Page, text: str) -> None:
    """Select the st.tabs tab named `text`, then wait for the rerun (view_state.tabs keeps the open
    tab in the link, so a click reruns the page)."""
    page.get_by_role("tab", name=text, exact=True).click()
    wait_for_app(page)


def nav_to(page: Page, title: str) -> None:
    """Follow the st.navigation sidebar link `title`, then wait for the page to run."""
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True).click()
    wait_for_app(page)


def metric_value(page: Page, label: str) -> str:
    """The displayed value of the st.metric labelled `label`."""
    metric = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return str(metric.get_by_test_id("stMetricValue").inner_text()).strip()


def download(page: Page, text: str | re.Pattern[str], index: int = 0) -> tuple[str, bytes]:
    """Click the index-th st.download_button showing `text`; return (file name, content)."""
    with page.expect_download() as info:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name=text).nth(index).click()
    result = info.value
    return str(result.suggested_filename), Path(result.path()).read_bytes()


def upload_file(page: Page, label: str, path: Path) -> None:
    """Put `path` into the st.file_uploader labelled `label`, then wait for the rerun."""
    uploader = page.get_by_test_id("stFileUploader").filter(has_text=label)
    uploader.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    wait_for_app(page)


def sign_in(page: Page, name: str, password: str) -> None:
    """Fill the Masuk form and wait for the first page after it."""
    page.get_by_label("Nama pengguna").fill(name)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk", exact=True).click()
    wait_for_app(page)
