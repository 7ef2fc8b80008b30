"""analysis.runs.execute: what a run's kernel is told, and the runs that end before any kernel.

No kernel starts here: the runs below stop at the fence or at their first write (the runs that
execute notebooks are in test_runner.py and test_warm_kernels.py).
"""

from __future__ import annotations

import pytest

from analysis.runs.execute import execute_run, kernel_env, public_record
from tests.runs.specs import run_spec


@pytest.mark.parametrize(
    "kind, told", [("synthetic", "synthetic"), ("real", "real"), (None, "real"), ("x", "real")]
)
def test_the_kernel_is_told_the_runs_kind_failing_closed(kind, told):
    env = kernel_env(run_spec(dataset="york", dataset_kind=kind))
    assert env["ANALYSIS_RUN_KIND"] == told and env["ANALYSIS_RUN_DATASET"] == "york"
    assert "ANALYSIS_DISCLOSURE_THRESHOLD" not in env


def test_a_datasets_threshold_reaches_the_kernel():
    env = kernel_env(run_spec(dataset="york", dataset_kind="real", disclosure_threshold=10))
    assert env["ANALYSIS_DISCLOSURE_THRESHOLD"] == "10"


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
    env = kernel_env(run_spec(dataset=dataset, dataset_kind=kind))
    assert (env.get("ANALYSIS_RUN_PUBLIC_RECORD") == "1") is public


def test_the_public_record_is_a_published_data_run_on_no_dataset():
    assert public_record(run_spec(dataset=None, dataset_kind="real"))
    assert not public_record(run_spec(dataset="york", dataset_kind="real"))
    assert not public_record(run_spec(dataset=None, dataset_kind=None))


def test_a_run_whose_runner_has_gone_writes_nothing(tmp_path):
    spec = run_spec(reports_dir=tmp_path, fence="a-token-no-lock-holds")
    manifest = execute_run(spec)
    assert manifest.status == "failed" and manifest.error["kind"] == "fenced"
    assert "no longer holds the lock" in manifest.error["message"]
    assert list(tmp_path.iterdir()) == []


def test_a_run_that_cannot_make_its_folders_fails_naming_the_write(tmp_path):
    (tmp_path / "_runs").write_text("a file where the runs folder should be", "utf-8")
    manifest = execute_run(run_spec(reports_dir=tmp_path))
    assert manifest.status == "failed" and manifest.last_action == "executed"
    assert manifest.error["kind"] == "write"
    assert manifest.error["message"].startswith("Could not write ")
    assert "manifest_error" in manifest.error  # its manifest could not be written either
    assert (tmp_path / "_runs").read_text("utf-8").startswith("a file")  # left as it was
