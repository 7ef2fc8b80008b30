"""The documented real-data path through to the HTML: a real dataset alone gives reports on
those data alone, with no synthetic banner, small counts suppressed, and readable notes where a
region has one PDU (too few for the models)."""

from __future__ import annotations

import shutil

import pytest

from analysis.data.build import build
from analysis.runs import run_reports
from tests.data.helpers import write_york

pytestmark = pytest.mark.slow


def test_reports_on_a_real_dataset_alone(raw_copy, tmp_path):
    shutil.rmtree(raw_copy / "synthetic")
    write_york(raw_copy)
    processed = tmp_path / "processed"
    build(raw_dir=raw_copy, processed_dir=processed)
    reports = tmp_path / "reports"
    summary = run_reports(
        regions=["national", "Yorkshire and the Humber", "Wales"],
        notebooks=["01-rating-distributions", "02-quality-outcome-associations"],
        processed_dir=processed,
        reports_dir=reports,
        jobs=2,
        progress=False,
    )
    assert summary.n_failed == 0, [r.error for r in summary.failed]
    # only the regions the dataset covers: York is in Yorkshire and the Humber, not Wales
    pages = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*.html"))
    assert pages == [
        "index.html",
        "york-2024/national/01-rating-distributions.html",
        "york-2024/national/02-quality-outcome-associations.html",
        "york-2024/yorkshire-and-the-humber/01-rating-distributions.html",
        "york-2024/yorkshire-and-the-humber/02-quality-outcome-associations.html",
    ]
    for page in pages[1:]:
        html = (reports / page).read_text(encoding="utf-8")
        assert 'id="synthetic-data-banner"' not in html, page
        assert "synthetic (simulated)" not in html.lower(), page
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "Real data: National (all regions)" in index and "Synthetic data" not in index
