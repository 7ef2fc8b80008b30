"""A worker writes only while its runner holds the reports folder's lock; a dask batch whose
last worker is gone ends, recording the run in flight as failed."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from analysis.exceptions import RunnerGone
from analysis.runs import folders, runner

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("workspace_kernel", "stable_source_hash"),
]

FIXTURES = Path(__file__).parents[1] / "fixtures"
RELEASES = str(FIXTURES / "isolation" / "releases_lock.ipynb")
SLEEPS = str(FIXTURES / "notebooks" / "sleeps.ipynb")


def test_the_fence_refuses_once_the_lock_is_released_or_taken_over(tmp_path):
    lock = folders.reports_lock(tmp_path).acquire()
    token = lock.token
    folders.check_fence(tmp_path, token)  # held: writes go ahead
    folders.check_fence(tmp_path, None)  # a run outside the runner is not fenced
    lock.release()
    with pytest.raises(RunnerGone, match="no longer holds the lock"):
        folders.check_fence(tmp_path, token)
    with folders.reports_lock(tmp_path) as other:  # another runner: another token
        assert other.token != token
        with pytest.raises(RunnerGone):
            folders.check_fence(tmp_path, token)


def test_a_worker_whose_runner_has_gone_writes_no_report_and_no_manifest(tmp_path, data_dir):
    reports = tmp_path / "reports"
    summary = runner.run_reports(
        regions=["national"],
        notebooks=[RELEASES],
        jobs=1,
        processed_dir=data_dir,
        reports_dir=reports,
        progress=False,
    )
    (result,) = summary.runs
    assert result.status == "failed" and "no longer holds the lock" in result.error
    assert not (reports / "national" / "releases_lock.html").exists()
    assert not (reports / "national" / "releases_lock.ipynb").exists()
    record = json.loads((reports / "_runs" / "national__releases_lock.json").read_text("utf-8"))
    assert record["status"] == "running"  # the last write made while the runner held the lock


@pytest.mark.cluster
def test_a_dask_batch_whose_last_worker_is_gone_ends(tmp_path, data_dir, monkeypatch):
    from distributed import LocalCluster

    monkeypatch.setenv("FIXTURE_SLEEP", "120")
    reports = tmp_path / "reports"
    with LocalCluster(
        n_workers=1, processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:

        def remove_the_worker_once_a_run_is_in_flight():
            for _ in range(1200):
                for path in (reports / "_runs").glob("*.json"):
                    if json.loads(path.read_text("utf-8") or "{}").get("status") == "running":
                        time.sleep(2)
                        cluster.scale(0)
                        return
                time.sleep(0.1)

        remover = threading.Thread(target=remove_the_worker_once_a_run_is_in_flight)
        remover.start()
        summary = runner.run_reports(
            regions=["national", "Wales"],
            notebooks=[SLEEPS],
            scheduler=cluster.scheduler_address,
            processed_dir=data_dir,
            reports_dir=reports,
            progress=False,
        )
        remover.join()
    statuses = sorted(r.status for r in summary.runs)
    assert statuses == ["cancelled", "failed"]
    (failed,) = [r for r in summary.runs if r.status == "failed"]
    assert "no dask worker was left" in failed.error
    record = json.loads(failed.manifest.read_text("utf-8"))
    assert record["status"] == "failed"
