"""analysis.runs.records: writing run manifests, and the records of runs whose code never returned."""

from __future__ import annotations

from dataclasses import replace

import pytest

from analysis.exceptions import RunnerGone
from analysis.runs.records import (
    previous_outputs,
    record_crashed,
    record_interrupted,
    record_invalid,
    record_skip,
    store,
)
from analysis.runs.spec import RunManifest
from tests.runs.specs import run_spec

PREVIOUS = RunManifest(status="ok", outputs={"html": "f/nb.html", "log": "_runs/old.log"})


@pytest.fixture
def spec(tmp_path):
    (tmp_path / "_runs").mkdir()
    return run_spec(reports_dir=tmp_path, key="national__nb", previous=PREVIOUS, batch="b1")


def test_store_writes_the_manifest_and_returns_it(spec):
    manifest = RunManifest(status="ok", reason="forced")
    assert store(manifest, spec) is manifest
    assert RunManifest.read(spec.manifest).reason == "forced"


def test_a_manifest_that_cannot_be_written_fails_the_run_and_says_why(tmp_path):
    (tmp_path / "_runs").write_text("a file, not a folder", "utf-8")
    spec = run_spec(reports_dir=tmp_path, key="national__nb")
    failed = store(RunManifest(status="ok"), spec)
    assert failed.status == "failed" and failed.error["kind"] == "write"
    assert failed.error["message"].startswith(f"Could not write {tmp_path / '_runs'}")
    interrupted = RunManifest(status="interrupted", error={"kind": "interrupted", "message": "m"})
    kept = store(interrupted, spec)
    assert kept.status == "interrupted" and kept.error["message"] == "m"
    assert kept.error["manifest_error"].startswith(f"Could not write {tmp_path / '_runs'}")


def test_a_fenced_write_after_the_runner_has_gone_writes_nothing(tmp_path):
    spec = run_spec(reports_dir=tmp_path, key="national__nb", fence="a-token-no-lock-holds")
    with pytest.raises(RunnerGone):
        store(RunManifest(status="ok"), spec, fenced=True)
    assert not spec.manifest.exists()
    store(RunManifest(status="ok"), run_spec(reports_dir=tmp_path, key="national__nb"), fenced=True)


def test_previous_outputs_only_from_a_usable_manifest():
    assert previous_outputs(run_spec(previous=PREVIOUS)) == PREVIOUS.outputs
    assert previous_outputs(run_spec(previous=None)) == {}
    unusable = RunManifest(status="unreadable", outputs={"html": "x"}, problem="truncated")
    assert previous_outputs(run_spec(previous=unusable)) == {}


def test_a_skipped_run_keeps_its_last_record_marked_checked(spec):
    skipped = record_skip(spec)
    assert (skipped.status, skipped.last_action, skipped.reason) == ("ok", "skipped", "up to date")
    assert skipped.outputs == PREVIOUS.outputs and skipped.checked
    assert RunManifest.read(spec.manifest) == skipped
    spec.manifest.unlink()
    assert record_skip(spec, write=False).last_action == "skipped"
    assert not spec.manifest.exists()


def test_a_refused_run_has_a_log_and_a_failed_manifest(spec):
    refused = record_invalid(replace(spec, error="unknown parameter 'x'"))
    assert (refused.status, refused.last_action) == ("failed", "refused")
    assert refused.error == {"kind": "parameters", "message": "unknown parameter 'x'"}
    assert refused.outputs == {"log": "_runs/national__nb.log"}
    log = spec.log.read_text("utf-8")
    assert "ERROR parameters refused, no kernel started:\nunknown parameter 'x'\n" in log
    assert RunManifest.read(spec.manifest).status == "failed"


def test_a_crashed_worker_fails_its_run_and_keeps_the_last_outputs(spec):
    crashed = record_crashed(spec, RuntimeError("worker died"))
    assert crashed.status == "failed" and crashed.batch == "b1"
    assert crashed.error == {
        "kind": "worker",
        "message": "The worker running this report failed: RuntimeError: worker died",
    }
    assert crashed.outputs == {"html": "f/nb.html", "log": "_runs/national__nb.log"}
    assert RunManifest.read(spec.manifest).error["kind"] == "worker"


def test_an_interrupted_run_is_recorded_with_how_it_stopped(spec):
    record = record_interrupted(spec, "Ctrl-C", started="2026-01-01T10:00:00Z", duration_s=1.5)
    assert (record.status, record.last_action, record.started) == (
        "interrupted", "interrupted", "2026-01-01T10:00:00Z",
    )  # fmt: skip
    assert record.duration_s == 1.5 and record.finished
    assert record.error["kind"] == "interrupted" and "(Ctrl-C)" in record.error["message"]
    assert RunManifest.read(spec.manifest).status == "interrupted"
