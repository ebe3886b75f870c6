"""Every slide of Rapat's presentation mode fits a 1366x768 projector: no scrolling, no number cut
with an ellipsis, the chart inside the screen. Checked for a named-data role and an aggregate one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import LOCALE, SCREENSHOT_DIR, nav_to, sign_in, wait_for_app

PROJECTOR = {"width": 1366, "height": 768}

# Measured in the page: every element that could scroll the page, every metric text that could be
# cut (CSS text-overflow leaves innerText whole, so compare widths), and each chart's box.
MEASURE = """() => {
  const scrolls = [];
  for (const sel of ['[data-testid="stMain"]', '[data-testid="stAppScrollToBottomContainer"]',
                     '[data-testid="stAppViewContainer"]']) {
    for (const el of document.querySelectorAll(sel)) {
      scrolls.push({sel, scroll: el.scrollHeight, client: el.clientHeight});
    }
  }
  const doc = document.scrollingElement;
  scrolls.push({sel: 'document', scroll: doc.scrollHeight, client: doc.clientHeight});
  const cut = [];
  for (const box of document.querySelectorAll(
      '[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"]')) {
    for (const el of [box, ...box.querySelectorAll('*')]) {
      const text = (el.innerText || '').trim();
      if (!text || el.clientWidth === 0) continue;
      if (el.scrollWidth > el.clientWidth + 1 || text.endsWith('\u2026')) {
        cut.push({testid: box.dataset.testid, text, scroll: el.scrollWidth, client: el.clientWidth});
        break;
      }
    }
  }
  const charts = [...document.querySelectorAll('.js-plotly-plot')].map(el => {
    const r = el.getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right};
  });
  return {scrolls, cut, charts, width: window.innerWidth, height: window.innerHeight};
}"""


def _slide(page) -> tuple[int, int]:
    """(position, count) from the progress text '3 / 9 · …'."""
    text = page.get_by_test_id("stProgress").inner_text()
    pos, n = re.search(r"(\d+)\s*/\s*(\d+)", text).groups()
    return int(pos), int(n)


def _problems(page, pos: int) -> list[str]:
    m = page.evaluate(MEASURE)
    out = [
        f"slide {pos}: {s['sel']} scrolls ({s['scroll']} > {s['client']} px)"
        for s in m["scrolls"]
        if s["scroll"] > s["client"] + 1
    ]
    out += [
        f"slide {pos}: {c['testid']} cut: {c['text']!r} ({c['scroll']} > {c['client']} px)" for c in m["cut"]
    ]
    for c in m["charts"]:
        if c["top"] < 0 or c["left"] < 0 or c["bottom"] > m["height"] + 1 or c["right"] > m["width"] + 1:
            out.append(f"slide {pos}: chart outside the screen {c}")
    return out


@pytest.mark.parametrize(("user", "password"), [("dinsos", "dinsos-demo"), ("walikota", "walikota-demo")])
def test_every_presentation_slide_fits_a_1366x768_projector(app_server, browser: Browser, user, password):
    context = browser.new_context(viewport=PROJECTOR, locale=LOCALE)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        page.goto(app_server)
        wait_for_app(page)  # the first load builds the demo store
        sign_in(page, user, password)
        nav_to(page, "Rapat Koordinasi")
        page.get_by_text("Mode presentasi", exact=True).click()
        wait_for_app(page)
        pos, n = _slide(page)
        assert (pos, n) == (1, n) and n >= 5
        problems: list[str] = []
        while True:
            if page.get_by_test_id("stPlotlyChart").count():
                expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible()
            page.wait_for_timeout(300)  # plotly and the fonts settle
            problems += _problems(page, pos)
            SCREENSHOT_DIR.mkdir(exist_ok=True)  # what the projector shows, for a look by eye
            page.screenshot(path=str(SCREENSHOT_DIR / f"rapat_slide_{user}_{pos}.png"))
            if pos == n:
                break
            page.get_by_test_id("stButton").get_by_role("button", name="Berikutnya").click()
            wait_for_app(page)
            expect(page.get_by_test_id("stProgress")).to_contain_text(f"{pos + 1} / {n}")
            pos, _ = _slide(page)
        assert not problems, "\n".join(problems)
    finally:
        context.close()
