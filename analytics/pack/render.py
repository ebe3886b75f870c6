"""Charts as PNG for the PDF pack, from one Chromium kept warm between packs (kaleido >= 1).

Starting the browser costs about 1.5–2.5 s on the 2-CPU server, more than rendering the nine demo
charts once it runs (about 0.18 s each). So one browser is started on first use (or ahead of it by
`warm()`, which the Rapat page calls when it opens) and kept for the next pack; it is closed after
IDLE_SECONDS without a render, when the process ends, or when a render fails (the next render starts
a fresh one). Renders run on a daemon thread with its own event loop, so a caller on any thread (the
script run, the server's download handler) gets a concurrent.futures.Future per figure and can lay
out the PDF's first pages while the browser draws the later charts.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import threading
from concurrent.futures import Future
from pathlib import Path

import plotly.graph_objects as go

from analytics.maps.figure import EMPTY_TOPOJSON_URL

BROWSERS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
IDLE_SECONDS = 15 * 60
SCALE = 1.5  # px per layout px: 1050 px wide charts print 180 mm wide at about 220 dpi (2 = 300 dpi
# made the PNGs 78% larger, and fpdf recompresses every pixel: about 0.5 s more per pack)
TIMEOUT_SECONDS = 60  # one figure; a browser that hangs longer is closed and the pack fails


def browser_path() -> str | None:
    """The Chromium kaleido drives: BROWSER_PATH or NOL_CHROMIUM, else Debian's /usr/bin/chromium."""
    for path in (os.environ.get("BROWSER_PATH"), os.environ.get("NOL_CHROMIUM"), *BROWSERS):
        if path and Path(path).is_file():
            return path
    return None


class Renderer:
    """One kaleido browser on one background event loop, opened on demand and shared by every pack."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._kaleido = None  # kaleido.Kaleido once open
        self._opening: asyncio.Task | None = None
        self._idle: asyncio.TimerHandle | None = None
        self._busy = 0

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="pack-kaleido", daemon=True).start()
                self._loop = loop
                atexit.register(self.close)
            return self._loop

    async def _browser(self):
        """The open browser, opening it if needed (one opening at a time, shared by all callers)."""
        if self._kaleido is not None:
            return self._kaleido
        if self._opening is None:
            self._opening = asyncio.ensure_future(self._open())
        try:
            return await asyncio.shield(self._opening)
        finally:
            if self._opening is not None and self._opening.done():
                self._opening = None

    async def _open(self):
        import kaleido

        path = browser_path()
        # One tab, figures in turn: on the 2-CPU server a second tab was no faster warm and
        # slower to open (2.6 s against 1.4 s).
        k = kaleido.Kaleido(n=1, mathjax=False, **({"path": path} if path else {}))
        await k.open()
        self._kaleido = k
        self._arm_idle()
        return k

    def _arm_idle(self) -> None:
        if self._idle is not None:
            self._idle.cancel()
        self._idle = asyncio.get_running_loop().call_later(
            IDLE_SECONDS, lambda: asyncio.ensure_future(self._shut())
        )

    async def _shut(self, force: bool = False) -> None:
        """Close the browser when idle (or now, with force: after a failed render, at exit)."""
        if self._busy and not force:
            self._arm_idle()
            return
        k, self._kaleido = self._kaleido, None
        if k is not None:
            try:
                await k.close()
            except Exception:  # noqa: BLE001  (a browser that already died has nothing left to close)
                pass

    async def _png(self, fig: go.Figure, width: int) -> bytes:
        self._busy += 1
        try:
            k = await self._browser()
            opts = {"format": "png", "width": width, "height": int(fig.layout.height or 500), "scale": SCALE}
            # geo maps: no world topojson fetched from the internet
            return await asyncio.wait_for(
                k.calc_fig(fig, opts=opts, topojson=EMPTY_TOPOJSON_URL), TIMEOUT_SECONDS
            )
        except BaseException:
            await self._shut(force=True)  # the next pack starts a fresh browser
            raise
        finally:
            self._busy -= 1
            if self._kaleido is not None:
                self._arm_idle()

    def submit(self, fig: go.Figure, width: int) -> Future[bytes]:
        """Start rendering fig as PNG; figures are drawn in the order they are submitted."""
        return asyncio.run_coroutine_threadsafe(self._png(fig, width), self._ensure_loop())

    def warm(self) -> Future:
        """Start the browser now (if it is not running) without waiting for it."""
        return asyncio.run_coroutine_threadsafe(self._browser(), self._ensure_loop())

    def close(self) -> None:
        """Close the browser (at exit, and in tests); a later render opens a new one."""
        loop = self._loop
        if loop is None or not loop.is_running():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shut(force=True), loop).result(timeout=10)
        except Exception:  # noqa: BLE001  (closing at exit must not raise)
            pass


RENDERER = Renderer()


def warm() -> None:
    """Start the chart browser in the background, so the first pack does not wait for it."""
    RENDERER.warm()
