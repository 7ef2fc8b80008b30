"""The run decides: its kernel is told the dataset, kind and threshold; unknown kind is real."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data.metadata import read_metadata
from analysis.runs.execute import kernel_env
from analysis.runs.spec import RunSpec


def _spec(**kw) -> RunSpec:
    base = dict(
        key="k", notebook=Path("nb.ipynb"), notebook_relpath="nb.ipynb", notebook_stem="nb",
        notebook_sha256="x", region=None, region_slug="national", reports_dir=Path("/tmp/r"),
        folder="f",
    )  # fmt: skip
    return RunSpec(**{**base, **kw})


@pytest.mark.parametrize(
    "kind, told", [("synthetic", "synthetic"), ("real", "real"), (None, "real"), ("x", "real")]
)
def test_the_kernel_is_told_the_runs_kind_failing_closed(kind, told):
    env = kernel_env(_spec(dataset="york", dataset_kind=kind))
    assert env["ANALYSIS_RUN_KIND"] == told and env["ANALYSIS_RUN_DATASET"] == "york"
    assert "ANALYSIS_DISCLOSURE_THRESHOLD" not in env


def test_a_datasets_threshold_reaches_the_kernel():
    env = kernel_env(_spec(dataset="york", dataset_kind="real", disclosure_threshold=10))
    assert env["ANALYSIS_DISCLOSURE_THRESHOLD"] == "10"


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


@pytest.mark.parametrize(
    "dataset, kind, public",
    [
        (None, "real", True),
        ("york", "real", False),
        (None, "synthetic", False),
        (None, None, False),
    ],
)
def test_only_a_published_data_run_on_no_dataset_is_told_it_reads_the_public_record(
    dataset, kind, public
):
    env = kernel_env(_spec(dataset=dataset, dataset_kind=kind))
    assert (env.get("ANALYSIS_RUN_PUBLIC_RECORD") == "1") is public


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
