"""Typed run records: RunSpec is frozen and picklable; RunManifest reads any stored file safely."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from analysis.runs import planning
from analysis.runs.index import read_manifests, render_index
from analysis.runs.spec import RunManifest, RunSpec

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
OK = FIXTURES / "ok.ipynb"


@pytest.fixture(autouse=True)
def stable_source_hash(monkeypatch):
    monkeypatch.setattr(planning, "_source_hash", lambda root=None: "fixed-for-tests")


def _spec(tmp_path) -> RunSpec:
    (spec,) = planning.plan_runs(["Wales"], [OK], reports_dir=tmp_path)
    return spec


def test_a_spec_is_frozen_picklable_and_changed_only_by_replace(tmp_path):
    spec = _spec(tmp_path)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.attempts = 2
    again = pickle.loads(pickle.dumps(spec))
    assert again == spec
    changed = dataclasses.replace(spec, attempts=2, code_version="v")
    assert (changed.attempts, changed.code_version, spec.attempts) == (2, "v", 0)
    assert spec.html == tmp_path.resolve() / "wales" / "ok.html"
    assert spec.manifest == tmp_path.resolve() / "_runs" / "wales__ok.json"
    assert spec.relative(spec.log) == "_runs/wales__ok.log"
    assert spec.kernel_for(1) == spec.kernel_for(5) == spec.kernel


def test_a_manifest_round_trips_through_json_and_keeps_unknown_keys():
    stored = {
        "status": "ok",
        "region": "Wales",
        "outputs": {"html": "wales/ok.html", "tables": ["wales/ok_tables/a.csv"]},
        "attempts": 1,
        "duration_s": 2.5,
        "added_later": "synthetic-sample",  # a field a later version may add
    }
    manifest = RunManifest.from_json(stored)
    assert manifest.problem is None and manifest.extra == {"added_later": "synthetic-sample"}
    assert manifest.output_files() == ["wales/ok.html", "wales/ok_tables/a.csv"]
    again = manifest.to_json()
    assert {k: again[k] for k in stored} == stored
    assert "problem" not in again and "extra" not in again


@pytest.mark.parametrize(
    "text,problem",
    [
        ("null", "x.json holds null, not a run record"),
        ("[]", "x.json holds a list, not a run record"),
        ('"ok"', "x.json holds a string, not a run record"),
        ('{"status": "ok", "outputs": [1]}', "outputs is a list"),
        ('{"status": "done"}', "status 'done' is not one of ok, failed, interrupted, running"),
        ('{"status": "ok", "attempts": "two"}', "attempts is 'two'"),
        ('{"status": "ok", "out', "x.json is not valid JSON (truncated?)"),
        ("", "x.json is not valid JSON (truncated?)"),
    ],
)
def test_an_unusable_manifest_is_read_with_its_problem(tmp_path, text, problem):
    path = tmp_path / "x.json"
    path.write_text(text, "utf-8")
    manifest = RunManifest.read(path)
    assert manifest.problem is not None and problem in manifest.problem
    assert path.read_text("utf-8") == text  # reading never rewrites


def test_a_manifest_that_is_not_utf8_is_read_with_its_problem(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"status": "\xff"}')
    assert "x.json cannot be read" in RunManifest.read(path).problem
    assert RunManifest.read(tmp_path / "missing.json") is None


@pytest.mark.parametrize("text", ["null", "[]", '{"status": "ok", "outputs": "x"}', '{"sta'])
def test_odd_manifests_mean_the_run_executes_again_and_the_index_says_so(tmp_path, text):
    spec = _spec(tmp_path)
    spec.manifest.parent.mkdir(parents=True)
    spec.manifest.write_text(text, "utf-8")
    (again,) = planning.plan_runs(["Wales"], [OK], reports_dir=tmp_path)
    assert again.action == "run"
    assert again.reason.startswith("its manifest cannot be used (wales__ok.json")
    html = render_index(read_manifests(tmp_path))
    assert "The run manifest wales__ok.json cannot be read" in html
    assert "the next `analysis reports` runs this report again" in html
    assert spec.manifest.read_text("utf-8") == text


@pytest.mark.parametrize(
    "status,reason",
    [
        ("running", "the last run did not finish (the runner was stopped)"),
        ("interrupted", "the last run was interrupted"),
        ("failed", "the last run failed"),
    ],
)
def test_a_run_that_did_not_finish_runs_again_and_the_index_shows_it(tmp_path, status, reason):
    spec = _spec(tmp_path)
    RunManifest.for_spec(spec, status=status, outputs={"log": "_runs/wales__ok.log"}).write(
        spec.manifest
    )
    (again,) = planning.plan_runs(["Wales"], [OK], reports_dir=tmp_path)
    assert (again.action, again.reason) == ("run", reason)
    html = render_index(read_manifests(tmp_path))
    word = "Failed" if status == "failed" else "Interrupted"
    assert f'status-{word.lower()}">{word}</span>' in html
