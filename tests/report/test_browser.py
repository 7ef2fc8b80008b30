"""Open the index and reports in headless Chromium with the network off, as a reader would.

Uses Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` through selenium with an
explicit driver path, so nothing is ever downloaded. Network is off twice over: Chromium is told
to emulate being offline (CDP ``Network.emulateNetworkConditions``) and pages are opened from
``file://``; any attempt to fetch from the web would show as a console error.

The accessibility checks inject axe-core (installed from the npm registry by ``make
browser-deps`` into ``.browser-deps/``; ``ANALYSIS_AXE_JS`` may point at another copy) and fail
on any WCAG 2.2 AA violation; they skip, saying why, when axe-core is absent.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SKIP_REASON = "Debian chromium/chromium-driver not installed: run `make browser-deps`"
REGION_SLUG = "yorkshire-and-the-humber"
NOTEBOOKS = [
    "00-explore",
    "01-rating-distributions",
    "02-quality-outcome-associations",
    "03-published-inspections",
]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


AXE_JS = Path(
    os.environ.get(
        "ANALYSIS_AXE_JS",
        Path(__file__).resolve().parents[2] / ".browser-deps/node_modules/axe-core/axe.min.js",
    )
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def page_for(stem: str) -> str:
    """Where a report lands: dataset notebooks under the dataset's folder, published data not."""
    if stem == "03-published-inspections":
        return f"{REGION_SLUG}/{stem}.html"
    return f"synthetic/{REGION_SLUG}/{stem}.html"


PAGES = ["index.html", *(page_for(stem) for stem in NOTEBOOKS)]


def _have_browser() -> bool:
    return all(p.is_file() and os.access(p, os.X_OK) for p in (CHROMIUM, CHROMEDRIVER))


@pytest.fixture(scope="module")
def browser():
    if not _have_browser():
        pytest.skip(SKIP_REASON)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.TemporaryDirectory(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile.name}", "--window-size=1200,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": 0, "uploadThroughput": 0},
    )
    yield driver
    driver.quit()
    profile.cleanup()


@pytest.fixture(scope="module")
def reports_dir(small_reports):
    """National and one region, every notebook, run by the project's own runner (shared)."""
    return small_reports


def _open(driver, path: Path):
    driver.get_log("browser")  # drop anything logged before this page
    driver.get(path.resolve().as_uri())
    driver.execute_script(
        "return new Promise(r => document.readyState === 'complete' ? r() :"
        " window.addEventListener('load', () => r()))"
    )
    return driver


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def _check_page(driver, path: Path):
    _open(driver, path)
    assert driver.execute_script("return document.documentElement.lang") == "en"
    assert driver.execute_script("return document.querySelectorAll('h1').length") == 1
    broken = driver.execute_script(
        "return [...document.images].filter(i => !i.complete || i.naturalWidth === 0)"
        ".map(i => i.alt || i.src.slice(0, 60))"
    )
    assert broken == [], f"images that did not load: {broken}"
    unresolved = driver.execute_script(
        "return [...document.querySelectorAll('a[href^=\"#\"]')]"
        ".map(a => a.getAttribute('href').slice(1))"
        ".filter(id => id && !document.getElementById(decodeURIComponent(id)))"
    )
    assert unresolved == [], f"table-of-contents links without a target: {unresolved}"
    code = driver.execute_script(
        "return document.querySelectorAll('.jp-InputArea, .input_area, .jp-CodeCell, pre').length"
    )
    assert code == 0, "code is visible"
    errors = _console_errors(driver)
    assert errors == [], f"console errors in {path.name}: {errors}"


def test_index_opens_offline_and_links_to_every_report(browser, reports_dir):
    index = reports_dir / "index.html"
    _check_page(browser, index)
    hrefs = browser.execute_script(
        "return [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))"
        ".filter(h => !h.startsWith('#') && !h.startsWith('http'))"
    )
    for stem in NOTEBOOKS:
        assert page_for(stem) in hrefs
    for href in hrefs:
        assert (reports_dir / href.split("#")[0]).exists(), href


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_region_report_reads_offline_without_code(browser, reports_dir, stem):
    page = reports_dir / page_for(stem)
    _check_page(browser, page)
    banner = browser.execute_script(
        "const b = document.getElementById('synthetic-data-banner');"
        " return b && b.getBoundingClientRect().height > 0 ? b.innerText : null"
    )
    if stem == "03-published-inspections":  # real published data only: never a banner
        assert banner is None
    else:
        assert banner and "Synthetic data" in banner


@pytest.mark.parametrize("page", ["index.html", page_for("01-rating-distributions")])
def test_pages_fit_a_phone_screen(browser, reports_dir, page):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        _open(browser, reports_dir / page)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page} is {overflow}px wider than a phone screen"
        # wide tables scroll inside their own box instead of widening the page
        loose = browser.execute_script(
            "const w = document.documentElement.clientWidth;"
            " return [...document.querySelectorAll('main table')]"
            ".filter(t => !t.closest('.table-scroll') && t.getBoundingClientRect().right > w)"
            ".length"
        )
        assert loose == 0
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# --- accessibility ---------------------------------------------------------------------------


def _wait_for_tables(driver, timeout: float = 10.0) -> None:
    """Wait until every interactive table on the page has been drawn by its script."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = driver.execute_script(
            "return [...document.querySelectorAll('table[id^=itables_]')]"
            ".filter(t => !t.closest('.dt-container')).length"
        )
        if pending == 0:
            return
        time.sleep(0.1)
    raise AssertionError("an interactive table was not drawn within 10 s")


@pytest.fixture(scope="module")
def axe_source():
    if not AXE_JS.is_file():
        pytest.skip(f"axe-core not found at {AXE_JS}: run `make browser-deps` (needs npm)")
    return AXE_JS.read_text(encoding="utf-8")


def _axe_violations(driver, axe_source: str) -> list[str]:
    driver.execute_script(axe_source)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        " axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): '"
        " + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))))"
        ".catch(e => done(['axe failed: ' + e]))",
        AXE_TAGS,
    )


def test_axe_check_catches_a_known_violation(browser, axe_source, tmp_path):
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#aaa;background:#fff">Pale text</p></main></body></html>',
        encoding="utf-8",
    )
    _open(browser, page)
    found = " ".join(_axe_violations(browser, axe_source))
    assert "image-alt" in found and "color-contrast" in found, found


@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_wcag_22_aa_violation(browser, reports_dir, axe_source, page):
    _open(browser, reports_dir / page)
    _wait_for_tables(browser)
    violations = _axe_violations(browser, axe_source)
    assert violations == [], f"{page}: {violations}"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_alt_texts_are_distinct_and_open_with_a_short_finding(browser, reports_dir, stem):
    _open(browser, reports_dir / page_for(stem))
    alts = browser.execute_script("return [...document.images].map(i => i.alt)")
    assert len(alts) == len(set(alts)), f"repeated alt texts: {alts}"
    for alt in alts:
        assert alt and len(alt) <= 400, alt
        assert not alt.startswith(("Stacked bars", "Heatmap", "Forest plot", "Scatter")), alt


def test_interactive_tables_sort_from_the_heading_with_enter_and_space(browser, reports_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, reports_dir / page_for("00-explore"))
    _wait_for_tables(browser)
    table = browser.find_elements(By.CSS_SELECTOR, "table.dataTable")[0]
    headings = table.find_elements(By.CSS_SELECTOR, "thead th")

    from selenium.webdriver.support.ui import WebDriverWait

    def sort_state():
        return [h.get_attribute("aria-sort") for h in headings[:3]]

    def settles_to(column, state, others=()):
        """The table redraws after the key or click: wait (5 s at most) for the new state."""

        def reached(_):
            now = sort_state()
            return now[column] == state and all(now[c] is None for c in others)

        try:
            WebDriverWait(browser, 5, poll_frequency=0.1).until(reached)
        except Exception:
            pass
        return sort_state()

    # a click on the heading's text sorts, not only a click on the arrow
    headings[1].find_element(By.CSS_SELECTOR, ".dt-column-title").click()
    assert settles_to(1, "ascending")[1] == "ascending"
    # the keyboard reaches each heading's sort button, which answers Enter and Space
    button = headings[2].find_element(By.CSS_SELECTOR, "[role=button][tabindex='0']")
    button.send_keys(Keys.ENTER)
    state = settles_to(2, "ascending", others=(1,))
    assert state[2] == "ascending" and state[1] is None
    scrolled = browser.execute_script("return window.scrollY")
    button.send_keys(Keys.SPACE)
    assert settles_to(2, "descending")[2] == "descending"
    assert browser.execute_script("return window.scrollY") == scrolled, "Space scrolled the page"
    # headings are the reader's words, not machine names
    texts = [h.text for h in headings]
    assert "Applicable cases" in texts and "n_applicable" not in texts


def _contrast_script() -> str:
    return """
    const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(v => {
        v = v / 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [h, l] = [lum(a), lum(b)].sort((x, y) => y - x);
      return (h + 0.05) / (l + 0.05); };
    """


def test_sort_arrows_contrast_and_pagination_landmarks_are_named(browser, reports_dir):
    _open(browser, reports_dir / page_for("00-explore"))
    _wait_for_tables(browser)
    ratios = browser.execute_script(
        _contrast_script()
        + """
        return [...document.querySelectorAll('th .dt-column-order')].flatMap(s =>
          ['::before', '::after'].map(p => getComputedStyle(s, p))
            .filter(st => st.content !== 'none' && st.visibility !== 'hidden')
            .map(st => [ratio(st.color, 'rgb(255, 255, 255)'), Number(st.opacity)]));
        """
    )
    # arrows drawn fully opaque (a faded arrow's real contrast is lower than its colour's)
    assert ratios and all(opacity == 1 for _, opacity in ratios), ratios
    lowest = min(r for r, _ in ratios)
    assert lowest >= 3, f"sort arrows below 3:1 against white: {lowest:.2f}"
    labels = browser.execute_script(
        "return [...document.querySelectorAll('.dt-container nav')]"
        ".map(n => n.getAttribute('aria-label'))"
    )
    captions = browser.execute_script(
        "return [...document.querySelectorAll('table.dataTable caption')].map(c => c.innerText)"
    )
    assert len(labels) == len(captions) >= 2 and len(set(labels)) == len(labels)
    for label, caption in zip(labels, captions, strict=True):
        assert caption in label


@pytest.mark.parametrize("page", PAGES)
def test_nothing_overflows_at_320_px_and_focus_is_visible(browser, reports_dir, page):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        _open(browser, reports_dir / page)
        _wait_for_tables(browser)
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = browser.execute_script(
            "const w = document.documentElement.clientWidth;"
            " return [...document.querySelectorAll('body *')]"
            ".filter(e => !e.closest('.table-scroll, .dt-scroll, .dt-layout-table'))"
            ".filter(e => e.getBoundingClientRect().right > w + 1)"
            ".slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + e.textContent.slice(0, 60))"
        )
        assert overflow <= 0 and wide == [], f"{page} overflows at 320 px: {wide}"
        # GOV.UK focus: a focused link turns yellow with a black underline
        style = browser.execute_script(
            "const a = document.querySelector('main a[href], a.skip-link'); a.focus();"
            " const s = getComputedStyle(a); return [s.backgroundColor, s.boxShadow]"
        )
        assert style[0] == "rgb(255, 221, 0)" and "rgb(11, 12, 12)" in style[1], style
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# --- the finding first: main points on the first screen, tables that fit ----------------------

REPORT_PAGES = [page_for(stem) for stem in NOTEBOOKS]


def _at_width(browser, width: int, height: int = 900):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_tables_fit_their_column_and_captions_are_whole_at_1280_px(browser, reports_dir, page):
    _at_width(browser, 1280)
    try:
        _open(browser, reports_dir / page)
        _wait_for_tables(browser)
        wide = browser.execute_script(
            "const main = document.querySelector('main'), s = getComputedStyle(main);"
            " const column = main.clientWidth - parseFloat(s.paddingLeft)"
            " - parseFloat(s.paddingRight);"
            "return [...document.querySelectorAll('table.data-table')]"
            ".map(t => [t.querySelector('caption').textContent.slice(0, 60),"
            " Math.round(t.getBoundingClientRect().width), Math.round(column),"
            " t.closest('.table-scroll').scrollWidth - t.closest('.table-scroll').clientWidth])"
            ".filter(([c, w, room, scroll]) => w > room + 1 || scroll > 1)"
        )
        assert wide == [], f"{page}: tables wider than the text column at 1280 px: {wide}"
        cut = browser.execute_script(
            "return [...document.querySelectorAll('table.data-table caption')]"
            ".filter(c => { const r = c.getBoundingClientRect();"
            " const box = (c.closest('.table-scroll') || document.body).getBoundingClientRect();"
            " return c.scrollWidth > c.clientWidth + 1 || r.right > box.right + 1; })"
            ".map(c => c.textContent.slice(0, 60))"
        )
        assert cut == [], f"{page}: captions cut off at 1280 px: {cut}"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("page", REPORT_PAGES)
@pytest.mark.parametrize("width", [1280, 320])
def test_the_main_finding_is_on_the_first_screen(browser, reports_dir, page, width):
    _at_width(browser, width, 900)
    try:
        _open(browser, reports_dir / page)
        top = browser.execute_script(
            "const m = document.querySelector('#main-points + ul li, p.headline');"
            " return m ? m.getBoundingClientRect().top : null"
        )
        assert top is not None, f"{page}: no main points or headline"
        assert top < 900, f"{page}: the first main point starts {top:.0f}px down at {width} px"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def test_main_points_are_plain_short_sentences(browser, reports_dir):
    for stem in (
        "01-rating-distributions",
        "02-quality-outcome-associations",
        "03-published-inspections",
    ):
        _open(browser, reports_dir / page_for(stem))
        points = browser.execute_script(
            "return [...document.querySelectorAll('ul.main-points li')].map(l => l.textContent)"
        )
        assert 3 <= len(points) <= 5, (stem, points)
        for point in points:
            assert len(point) <= 200, point
            assert "_" not in point and "CR3" not in point and "df" not in point.split()


@pytest.mark.parametrize("page", [page_for("02-quality-outcome-associations")])
def test_the_row_label_stays_in_view_when_a_table_scrolls_at_320_px(browser, reports_dir, page):
    _at_width(browser, 320, 640)
    try:
        _open(browser, reports_dir / page)
        lost = browser.execute_script(
            "return [...document.querySelectorAll('.table-scroll')].filter(box => {"
            " const th = box.querySelector('tbody th[scope=row]');"
            " if (!th || box.scrollWidth <= box.clientWidth) return false;"
            " box.scrollLeft = box.scrollWidth;"
            " const left = th.getBoundingClientRect().left, edge = box.getBoundingClientRect().left;"
            " box.scrollLeft = 0; return Math.abs(left - edge) > 2; })"
            ".map(b => b.getAttribute('aria-label').slice(0, 60))"
        )
        assert lost == [], f"row labels scrolled out of view at 320 px: {lost}"
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


# Words a reader should never meet: project files, rule identifiers, column names, commands.
INTERNAL = re.compile(
    r"\(seeds?[ /]\d{3}|UNCONFIRMED|`|\b[a-z0-9]+_[a-z0-9_]+\b|listed by the build|\(s\)"
)


@pytest.mark.parametrize("page", REPORT_PAGES)
def test_reader_text_holds_no_internal_references(browser, reports_dir, page):
    """What a reader sees (the page's text outside code, downloads, addresses and the
    provenance footer) has no file names, rule ids, column names or commands."""
    _open(browser, reports_dir / page)
    text = browser.execute_script(  # innerText of the page as shown: hidden parts left out
        "document.querySelectorAll('script, style, footer, code, .table-download, td.address,"
        " .skip-link').forEach(e => { e.style.display = 'none'; });"
        " return document.body.innerText"
    )
    found = {
        m.group(0): text[max(0, m.start() - 80) : m.end() + 40] for m in INTERNAL.finditer(text)
    }
    assert found == {}, f"{page}: internal references in reader text: {found}"
