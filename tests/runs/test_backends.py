"""analysis.runs.backends: runs one after another in this process, and what an interrupt records.

The runs themselves are stood in for (``execute_run`` returns a record at once); the process
pool and the dask backend are exercised by the runner's own tests (test_runner.py,
test_fencing.py, test_faults.py).
"""

from __future__ import annotations

import threading

import pytest

from analysis.runs import backends, engine, kernels
from analysis.runs.spec import RunManifest
from tests.runs.specs import run_spec


@pytest.fixture
def specs(tmp_path):
    (tmp_path / "_runs").mkdir()
    return [run_spec(reports_dir=tmp_path, key=f"national__nb{i}", batch="b1") for i in range(3)]


@pytest.fixture
def executed(monkeypatch):
    """The specs the stand-in ``execute_run`` was given; the pools closed at the end."""
    seen, closed = [], []

    def execute_run(spec):
        seen.append(spec)
        return RunManifest(status="ok", reason=spec.key)

    monkeypatch.setattr(backends, "execute_run", execute_run)
    monkeypatch.setattr(kernels, "close_pools", lambda: closed.append(True))
    return seen, closed


def test_runs_one_after_another_and_the_last_warms_no_kernel(specs, executed):
    seen, closed = executed
    backend = backends.InProcess(specs)
    pairs = list(backend)
    assert [m.reason for _, m in pairs] == [s.key for s in specs]
    assert [s.warm_next for s in seen] == [True, True, False]
    assert closed == [True]  # no kernel outlives the batch
    assert backend.stop("Ctrl-C") == []  # nothing left in flight


def test_an_interrupt_records_the_run_in_flight_and_leaves_the_queued_ones(specs, executed):
    backend = backends.InProcess(specs)
    first = next(iter(backend))
    assert first[0].key == "national__nb0"
    # the second run had started in this batch when the interrupt came; the third never did
    RunManifest(status="running", batch="b1", started="2026-01-01T10:00:00Z").write(
        specs[1].manifest
    )
    RunManifest(status="ok", batch="an-earlier-batch").write(specs[2].manifest)
    stopped = dict((s.key, m) for s, m in backend.stop("Ctrl-C"))
    assert set(stopped) == {"national__nb1", "national__nb2"}
    assert stopped["national__nb2"] is None  # its earlier manifest stays as it was
    assert RunManifest.read(specs[2].manifest).status == "ok"
    record = stopped["national__nb1"]
    assert record.status == "interrupted" and record.started == "2026-01-01T10:00:00Z"
    assert "(Ctrl-C)" in record.error["message"]
    assert RunManifest.read(specs[1].manifest).status == "interrupted"


def test_a_run_its_worker_recorded_as_interrupted_is_told_how_the_batch_stopped(specs, executed):
    backend = backends.InProcess(specs[:1])
    error = {"kind": "interrupted", "message": "The run was interrupted (KeyboardInterrupt) ..."}
    RunManifest(status="interrupted", batch="b1", error=error).write(specs[0].manifest)
    ((_, record),) = backend.stop("signal SIGTERM")
    assert "(signal SIGTERM)" in record.error["message"]
    assert "(signal SIGTERM)" in RunManifest.read(specs[0].manifest).error["message"]


def test_a_worker_told_to_stop_starts_no_further_run(specs, executed, monkeypatch):
    seen, _ = executed
    stopping = threading.Event()
    monkeypatch.setattr(engine, "STOPPING", stopping)
    assert backends.run_in_worker(specs[0]).reason == "national__nb0"
    stopping.set()
    with pytest.raises(KeyboardInterrupt, match="the batch is stopping"):
        backends.run_in_worker(specs[1])
    assert [s.key for s in seen] == ["national__nb0"]
