"""The run decides: a dataset may raise its disclosure threshold, and a real run's case reports
stay protected end to end. (What the kernel is told, dataset, kind and threshold, failing closed
to real, is tested with runs.execute.kernel_env in test_execute.py.)"""

from __future__ import annotations

import pytest

from analysis.data.metadata import read_metadata


@pytest.mark.parametrize("value, ok", [("10", True), ("3", True), ("2", False), ('"7"', False)])
def test_dataset_toml_may_raise_the_threshold_never_below_3(tmp_path, value, ok):
    folder = tmp_path / "york"
    folder.mkdir()
    (folder / "dataset.toml").write_text(f'kind = "real"\ndisclosure_threshold = {value}\n')
    info, problems = read_metadata(folder, "datasets/york")
    if ok:
        assert info is not None and info.disclosure_threshold == int(value), problems
    else:
        assert info is None
        assert any("at least 3" in p["expected"] for p in problems), problems


def test_the_published_report_keeps_published_counts_and_a_case_report_does_not(
    small_processed_dir, tmp_path
):
    """End to end: the public-record report shows counts of published reports as published;
    the case-level reports of a real run stay protected (the leak test checks those)."""
    import nbformat

    from analysis.runs.runner import run_reports

    reports = tmp_path / "reports"
    summary = run_reports(
        regions=["national"],
        notebooks=["03-published-inspections"],
        processed_dir=small_processed_dir,
        reports_dir=reports,
        jobs=1,
        progress=False,
    )
    assert summary.n_failed == 0, [r.error for r in summary.failed]
    page = reports / "national" / "03-published-inspections.html"
    assert page.is_file()
    assert "[c]" not in page.read_text(encoding="utf-8")
    executed = nbformat.read(page.with_suffix(".ipynb"), as_version=4)
    texts = [
        str(o.get("data", {}).get("text/plain", ""))
        for c in executed.cells
        for o in c.get("outputs", [])
    ]
    assert not any("[c]" in t for t in texts)
