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
import tempfile
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SKIP_REASON = "Debian chromium/chromium-driver not installed: run `make browser-deps`"
REGION = "Yorkshire and the Humber"
REGION_SLUG = "yorkshire-and-the-humber"
NOTEBOOKS = ["00-explore", "01-rating-distributions", "02-quality-outcome-associations"]
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
        Path(__file__).resolve().parents[1] / ".browser-deps/node_modules/axe-core/axe.min.js",
    )
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ["index.html", *(f"{REGION_SLUG}/{stem}.html" for stem in NOTEBOOKS)]


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
def reports_dir(small_processed_dir, tmp_path_factory):
    """National and one region, every notebook, run by the project's own runner."""
    from analysis.runner import run_reports

    out = tmp_path_factory.mktemp("reports")
    run_reports(
        regions=["national", REGION],
        notebooks=NOTEBOOKS,
        jobs=2,
        processed_dir=small_processed_dir,
        reports_dir=out,
        progress=False,
    )
    return out


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
        assert f"{REGION_SLUG}/{stem}.html" in hrefs
    for href in hrefs:
        assert (reports_dir / href.split("#")[0]).exists(), href


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_region_report_reads_offline_without_code(browser, reports_dir, stem):
    page = reports_dir / REGION_SLUG / f"{stem}.html"
    _check_page(browser, page)
    banner = browser.execute_script(
        "const b = document.getElementById('synthetic-data-banner');"
        " return b && b.getBoundingClientRect().height > 0 ? b.innerText : null"
    )
    assert banner and "Synthetic data" in banner


@pytest.mark.parametrize("page", ["index.html", f"{REGION_SLUG}/01-rating-distributions.html"])
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
    _open(browser, reports_dir / REGION_SLUG / f"{stem}.html")
    alts = browser.execute_script("return [...document.images].map(i => i.alt)")
    assert len(alts) == len(set(alts)), f"repeated alt texts: {alts}"
    for alt in alts:
        assert alt and len(alt) <= 400, alt
        assert not alt.startswith(("Stacked bars", "Heatmap", "Forest plot", "Scatter")), alt


def test_interactive_tables_sort_from_the_heading_with_enter_and_space(browser, reports_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    _open(browser, reports_dir / REGION_SLUG / "00-explore.html")
    _wait_for_tables(browser)
    table = browser.find_elements(By.CSS_SELECTOR, "table.dataTable")[0]
    headings = table.find_elements(By.CSS_SELECTOR, "thead th")

    def sort_state():
        return [h.get_attribute("aria-sort") for h in headings[:3]]

    # a click on the heading's text sorts, not only a click on the arrow
    headings[1].find_element(By.CSS_SELECTOR, ".dt-column-title").click()
    assert sort_state()[1] == "ascending"
    # the keyboard reaches each heading's sort button, which answers Enter and Space
    button = headings[2].find_element(By.CSS_SELECTOR, "[role=button][tabindex='0']")
    button.send_keys(Keys.ENTER)
    assert sort_state()[2] == "ascending" and sort_state()[1] is None
    scrolled = browser.execute_script("return window.scrollY")
    button.send_keys(Keys.SPACE)
    assert sort_state()[2] == "descending"
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
    _open(browser, reports_dir / REGION_SLUG / "00-explore.html")
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


# --- JupyterLab ------------------------------------------------------------------------------

LAB_REGION = "North East"


def _kernel_registered() -> bool:
    from jupyter_client.kernelspec import KernelSpecManager

    from analysis import config

    return config.KERNEL_NAME in KernelSpecManager().find_kernel_specs()


@pytest.fixture(scope="module")
def lab_server(small_processed_dir, tmp_path_factory):
    """JupyterLab started by the project's own helper (what `make lab` runs) on a free loopback
    port with a token, over a copy of the project holding the small processed data."""
    import json
    import shutil
    import subprocess
    import sys
    import urllib.request

    from analysis import config
    from analysis.lab import free_port, lab_command

    if not _have_browser():
        pytest.skip(SKIP_REASON)
    if not _kernel_registered():
        pytest.skip(f"Jupyter kernel {config.KERNEL_NAME!r} not registered: run `make install`")
    root = tmp_path_factory.mktemp("lab-project")
    (root / "data").mkdir()
    (root / "data" / "processed").symlink_to(small_processed_dir, target_is_directory=True)
    (root / "notebooks").mkdir()
    shutil.copy(config.NOTEBOOKS_DIR / "00-explore.ipynb", root / "notebooks")
    port, token = free_port(), "test-" + os.urandom(12).hex()
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {
        **os.environ,
        "ANALYSIS_PROJECT_ROOT": str(root),
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    command = lab_command(port=port, token=token, notebook_dir=root / "notebooks")
    command[0] = sys.executable
    log = (root / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    status = f"http://127.0.0.1:{port}/api/status"
    deadline = time.monotonic() + 60
    try:
        while True:
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"JupyterLab did not start: {(root / 'lab.log').read_text()[-2000:]}")
            try:
                request = urllib.request.Request(
                    status, headers={"Authorization": f"token {token}"}
                )
                with urllib.request.urlopen(request, timeout=2) as answer:
                    json.load(answer)
                break
            except OSError:
                time.sleep(0.3)
        # the token is required: without it the API refuses
        try:
            urllib.request.urlopen(status, timeout=2)
            pytest.fail("JupyterLab answered without its token")
        except urllib.error.HTTPError as refused:
            assert refused.code == 403
        yield {"url": f"http://127.0.0.1:{port}", "token": token, "root": root}
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def lab_browser(lab_server):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.TemporaryDirectory(prefix="chromium-lab-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (*FLAGS, f"--user-data-dir={profile.name}", "--window-size=1400,1000"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    profile.cleanup()


def _wait(driver, script: str, what: str, timeout: float = 90.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = driver.execute_script(script)
        if result:
            return result
        time.sleep(0.3)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def test_explore_notebook_runs_in_jupyterlab_and_its_widgets_respond(lab_browser, lab_server):
    import pandas as pd
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    driver = lab_browser
    driver.get(f"{lab_server['url']}/lab/tree/00-explore.ipynb?token={lab_server['token']}")
    _wait(driver, "return document.querySelector('.jp-NotebookPanel .jp-Cell')", "the notebook")
    # the notebook opens on the workspace kernel (a missing kernel would ask to choose one)
    _wait(
        driver,
        "const k = document.querySelector('.jp-NotebookPanel-toolbar .jp-KernelName');"
        " return k && k.innerText.includes('probation-analysis')",
        "the workspace kernel",
        timeout=60,
    )
    # Run > Run All Cells, as a researcher would
    menus = driver.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-item")
    next(m for m in menus if m.text == "Run").click()
    _wait(driver, "return document.querySelector('.lm-Menu .lm-Menu-item')", "the Run menu")
    items = driver.find_elements(By.CSS_SELECTOR, ".lm-Menu .lm-Menu-item")
    next(i for i in items if i.text.startswith("Run All Cells")).click()
    _wait(
        driver,
        "return document.querySelectorAll('.jp-OutputArea table.dataTable').length >= 2"
        " && document.querySelectorAll('.widget-dropdown select').length >= 4",
        "the interactive tables and the drop-downs",
    )
    errors = driver.execute_script(
        "return [...document.querySelectorAll('.jp-OutputArea-output[data-mime-type*=error]')]"
        ".map(e => e.innerText.slice(0, 300))"
    )
    assert errors == [], errors

    # the interactive table responds: search narrows it, the heading sorts it
    container = driver.find_elements(By.CSS_SELECTOR, ".jp-OutputArea .dt-container")[0]
    info = container.find_element(By.CSS_SELECTOR, ".dt-info")
    before = info.text
    search = container.find_element(By.CSS_SELECTOR, "input[type=search]")
    search.send_keys(LAB_REGION)
    deadline = time.monotonic() + 10
    while info.text == before and time.monotonic() < deadline:
        time.sleep(0.2)
    assert info.text != before and "filtered" in info.text, (before, info.text)
    search.send_keys(Keys.CONTROL, "a", Keys.DELETE)
    heading = container.find_elements(By.CSS_SELECTOR, "thead th")[1]
    heading.find_element(By.CSS_SELECTOR, ".dt-column-title").click()
    assert heading.get_attribute("aria-sort") == "ascending"

    # the drop-downs respond: choosing a region redraws the tables for that region's PDUs
    cases = pd.read_parquet(lab_server["root"] / "data" / "processed" / "cases.parquet")
    here = set(cases.loc[cases["region"].astype(str) == LAB_REGION, "pdu"].astype(str))
    elsewhere = set(cases["pdu"].astype(str)) - here

    def shown_pdus() -> set[str]:
        return set(
            driver.execute_script(
                "const w = [...document.querySelectorAll('.widget-html-content')].pop();"
                " const t = w && w.querySelector('table');"
                " return t ? [...t.querySelectorAll('tbody th[scope=row]')]"
                ".map(h => h.textContent.trim()) : []"
            )
        )

    def dropdown(label: str):
        for box in driver.find_elements(By.CSS_SELECTOR, ".widget-dropdown"):
            if box.find_element(By.CSS_SELECTOR, "label").text.strip() == label:
                return Select(box.find_element(By.CSS_SELECTOR, "select"))
        raise AssertionError(f"no drop-down labelled {label!r}")

    def until(expected: set[str]) -> set[str]:
        deadline = time.monotonic() + 30
        while shown_pdus() != expected and time.monotonic() < deadline:
            time.sleep(0.3)
        return shown_pdus()

    assert shown_pdus() & elsewhere, "the national view shows PDUs of other regions"
    dropdown("Region").select_by_visible_text(LAB_REGION)
    assert until(here) == here

    # the data switch: the same region's real published inspections, as published
    published = pd.read_parquet(
        lab_server["root"] / "data" / "processed" / "published_ratings.parquet"
    )
    units = set(published.loc[published["region"].astype(str) == LAB_REGION, "unit"].astype(str))
    assert units, f"no published inspection in {LAB_REGION} to show"
    dropdown("Data").select_by_visible_text("Published inspections (real)")
    assert until(units) == units
    outcome = driver.execute_script(
        "return [...document.querySelectorAll('.widget-dropdown')]"
        ".find(b => b.querySelector('label').innerText.trim() === 'Outcome')"
        ".querySelector('select').disabled"
    )
    assert outcome, "the outcome does not apply to published data and should be disabled"
