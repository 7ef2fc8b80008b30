"""JupyterLab in a real browser: `make lab`'s helper starts the server, Chromium runs 00-explore.

The server is started as `make lab` starts it (:mod:`analysis.runs.lab`: 127.0.0.1, a free port, a
token) over a copy of the project that holds the small processed data; Debian's Chromium opens
the notebook, runs every cell on the workspace kernel, and the test checks that the interactive
tables and the drop-downs render and respond. Skips, saying why, without Chromium or without
the registered kernel.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from tests.report.test_browser import CHROMEDRIVER, CHROMIUM, FLAGS, SKIP_REASON, _have_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]

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
    from analysis.runs.lab import free_port, lab_command, lab_environment

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
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = lab_environment(token)
    env = {
        **env,
        "ANALYSIS_PROJECT_ROOT": str(root),
        "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")])),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    command = lab_command(port=port, notebook_dir=root / "notebooks")
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
    # the table redraws after the click (and after the cleared search): wait for it, 10 s at most
    deadline = time.monotonic() + 10
    while heading.get_attribute("aria-sort") != "ascending" and time.monotonic() < deadline:
        time.sleep(0.2)
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
