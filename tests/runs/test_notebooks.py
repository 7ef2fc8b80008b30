"""The report notebooks run on small data (papermill), and their exported HTML meets the reader bar.

Each notebook runs for national and one region on ``small_processed_dir`` (6 synthetic cases per
PDU plus the real published tables): by the project's runner once for the whole test run
(``small_reports``, which the browser tests read too), and directly with papermill and
``report.export_html`` where a test changes the data or the command.
"""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import papermill
import pytest

from analysis import config, report
from analysis.runs.parameters import region_slug
from tests.conftest import REPORTS_REGION

pytestmark = pytest.mark.slow

NOTEBOOKS = sorted(p.stem for p in config.NOTEBOOKS_DIR.glob("[0-9][0-9]-*.ipynb"))
REGION = REPORTS_REGION
CODE_MARKERS = ("import ", "report.", "datasets.", "processed_dir =", "def ")


REAL_ONLY = "03-published-inspections"
"""The notebook built from real published data alone (no synthetic input)."""
SYNTHETIC_TABLES = ("cases", "units", "unit_ratings", "factors", "truth")


def test_the_four_report_notebooks_exist():
    assert NOTEBOOKS == [
        "00-explore",
        "01-rating-distributions",
        "02-quality-outcome-associations",
        REAL_ONLY,
    ]


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebooks_are_thin_and_stripped(stem):
    nb = nbformat.read(config.NOTEBOOKS_DIR / f"{stem}.ipynb", as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    names = ["region = None", "processed_dir = None"]
    if stem != REAL_ONLY:
        names.append('framework = "pdu-2023"')
    for name in names:
        assert name in tagged[0].source
    assert all(not c.outputs and c.execution_count is None for c in code), "not stripped"
    assert not any("def " in c.source or "class " in c.source for c in code)


def _run(stem, region, small_processed_dir, tmp_path):
    out_dir = tmp_path / (region or "national").lower().replace(" ", "-")
    out_dir.mkdir()
    executed = out_dir / f"{stem}.ipynb"
    parameters = {"region": region, "processed_dir": str(small_processed_dir)}
    if stem != REAL_ONLY:
        parameters["framework"] = "pdu-2023"
    papermill.execute_notebook(
        config.NOTEBOOKS_DIR / f"{stem}.ipynb",
        executed,
        parameters=parameters,
        kernel_name=config.KERNEL_NAME,
        cwd=str(out_dir),
        progress_bar=False,
        execution_timeout=300,
    )
    provenance = {
        "dataset_kind": "synthetic",  # as the runner declares a run on the synthetic sample
        "notebook": stem,
        "region": region,
        "parameters": parameters,
        "data_hashes": {"cases.parquet": "0" * 64},
        "code_version": "test",
        "status": "ok",
        "kernel": config.KERNEL_NAME,
    }
    return executed, report.export_html(executed, out_dir / f"{stem}.html", provenance=provenance)


def _shared_run(small_reports, stem, region) -> tuple[dict, nbformat.NotebookNode, str]:
    """The runner's manifest, executed notebook and HTML of one run in ``small_reports``."""
    # the runner names a record <region>__<notebook>, after <dataset>__ for a dataset's notebook
    (record,) = (small_reports / "_runs").glob(f"*{region_slug(region)}__{stem}.json")
    m = json.loads(record.read_text("utf-8"))
    assert m["status"] == "ok", m["error"]
    nb = nbformat.read(small_reports / m["outputs"]["ipynb"], as_version=4)
    return m, nb, (small_reports / m["outputs"]["html"]).read_text(encoding="utf-8")


@pytest.mark.parametrize("region", [None, REGION])
@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_notebook_runs_and_exports_a_reader_grade_report(stem, region, small_reports):
    m, nb, html = _shared_run(small_reports, stem, region)
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert errors == []
    facts = report.audit_html(html)
    # no code, one h1, alt on every image, nothing loaded from the network
    assert facts["code_blocks"] == 0
    visible = html.split("</head>", 1)[1]
    for cell in nb.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                if line.strip().startswith(CODE_MARKERS):
                    assert line.strip() not in visible, f"code leaked into the report: {line}"
    assert facts["h1"] == 1 and facts["lang"] == "en" and facts["viewport"]
    assert all(img["alt"] for img in facts["images"])
    assert facts["remote_loads"] == []
    assert set(facts["fragment_links"]) <= facts["ids"]
    # synthetic data is flagged, real data never is; every table has its CSV beside the report
    if stem == REAL_ONLY:
        assert not m["synthetic"] and m["dataset_kind"] == "real"
        assert 'id="synthetic-data-banner"' not in html
    else:
        assert m["synthetic"] and 'id="synthetic-data-banner"' in html
    assert m["outputs"]["tables"], "no CSV tables written"
    page = small_reports / m["outputs"]["html"]
    for link in facts["links"]:
        assert (page.parent / link).is_file(), link
    assert m["headline"] and page.stat().st_size < 3_000_000
    if stem != "00-explore":
        assert facts["images"], "no figures"


def test_rating_report_keeps_real_published_ratings_apart(small_reports):
    m, _, html = _shared_run(small_reports, "01-rating-distributions", REGION)
    assert 'id="published-ratings-real-inspection-reports"' in html
    real = html.split('id="published-ratings-real-inspection-reports"', 1)[1]
    assert "justiceinspectorates.gov.uk" in real  # sources are shown
    published = [t for t in m["outputs"]["tables"] if t.endswith("/published_ratings.csv")]
    assert len(published) == 1
    assert "synthetic" not in (small_reports / published[0]).read_text(encoding="utf-8")


def test_notebook_runs_with_the_plain_papermill_command_line(small_processed_dir, tmp_path):
    output = tmp_path / "out.ipynb"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(config.NOTEBOOKS_DIR / "00-explore.ipynb"),
            str(output),
            "-p",
            "region",
            "Wales",
            "-p",
            "processed_dir",
            str(small_processed_dir),
            "-k",
            config.KERNEL_NAME,
            "--cwd",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    nb = json.loads(output.read_text(encoding="utf-8"))
    assert nb["metadata"]["papermill"]["parameters"]["region"] == "Wales"


def test_the_published_report_reads_no_synthetic_table(small_processed_dir, tmp_path):
    """With every synthetic table removed from the processed data, 03 still runs in full."""
    import shutil

    real_only = tmp_path / "real-only"
    shutil.copytree(small_processed_dir, real_only)
    for name in SYNTHETIC_TABLES:
        (real_only / f"{name}.parquet").unlink()
    executed, result = _run(REAL_ONLY, None, real_only, tmp_path)
    nb = nbformat.read(executed, as_version=4)
    assert not [o for c in nb.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not result.synthetic
    html = result.html.read_text(encoding="utf-8")
    assert "West Sussex" in html  # the youth bands check lists its differences
