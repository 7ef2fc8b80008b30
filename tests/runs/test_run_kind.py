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
