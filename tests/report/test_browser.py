"""Open the index and reports in headless Chromium with the network off, as a reader would.

Uses Debian's ``/usr/bin/chromium`` and ``/usr/bin/chromedriver`` through selenium with an
explicit driver path, so nothing is ever downloaded. Network is off twice over: Chromium is told
to emulate being offline (CDP ``Network.emulateNetworkConditions``) and pages are opened from
``file://``; any attempt to fetch from the web would show as a console error.
"""

from __future__ import annotations

import os
import tempfile
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
    from analysis.runs.runner import run_reports

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
