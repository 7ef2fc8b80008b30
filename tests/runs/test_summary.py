"""analysis.runs.summary: what a batch did, counted, in words and as an exit status."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.exceptions import RunFailed
from analysis.runs.summary import RunResult, RunSummary

RUNS = Path("/tmp/r/_runs")


def _result(name: str, status: str, error: str | None = None) -> RunResult:
    return RunResult(name, "Wales", status, 1.0, RUNS / f"wales__{name}.json", error=error)


def test_a_run_has_one_name_the_place_of_its_report(tmp_path):
    from analysis.runs.summary import RunResult, RunSummary

    manifest = tmp_path / "_runs" / "synthetic__wales__02-quality-outcome-associations.json"
    result = RunResult(
        "02-quality-outcome-associations", "Wales", "failed", 1.0, manifest, error="Cell 4 …"
    )
    assert result.name == "synthetic/wales/02-quality-outcome-associations"
    text = str(RunSummary(runs=[result], index=tmp_path / "index.html", duration_s=1.0))
    assert "FAILED synthetic/wales/02-quality-outcome-associations: Cell 4" in text
    assert "__" not in text.split("(log:")[0]


def test_counts_by_status_and_the_region_as_a_folder_name():
    runs = [_result("a", "ok"), _result("b", "failed", "Cell 2 …"), _result("c", "skipped")]
    runs += [_result("d", "interrupted"), _result("e", "cancelled"), _result("f", "ok")]
    summary = RunSummary(runs=runs, index=Path("/tmp/r/index.html"), duration_s=2.0)
    counts = (summary.n_ok, summary.n_failed, summary.n_skipped, summary.n_interrupted)
    assert counts + (summary.n_cancelled,) == (2, 1, 1, 1, 1)
    assert [r.notebook for r in summary.failed] == ["b"]
    assert repr(summary) == "<RunSummary 6 runs: 2 ok, 1 failed, 1 skipped>"
    assert RunResult("n", None, "ok", 0.0, RUNS / "national__n.json").region_slug == "national"
    assert _result("a", "ok").region_slug == "wales"


@pytest.mark.parametrize(
    "runs, interrupted, write_errors, code",
    [
        (["ok"], None, [], 0),
        (["ok"], None, ["index.html: disk full"], 2),
        (["failed"], None, ["index.html: disk full"], 1),
        (["failed"], "Ctrl-C", [], 130),
    ],
)
def test_exit_status_interrupted_then_failed_then_not_written(
    runs, interrupted, write_errors, code
):
    summary = RunSummary(
        runs=[_result(str(i), s) for i, s in enumerate(runs)],
        index=Path("/tmp/r/index.html"),
        duration_s=1.0,
        interrupted=interrupted,
        write_errors=write_errors,
    )
    assert summary.exit_code() == code


def test_the_text_says_what_stopped_failed_and_was_not_written():
    summary = RunSummary(
        runs=[_result("a", "ok"), _result("b", "failed", "Cell 2 raised ValueError")],
        index=Path("/tmp/r/index.html"),
        duration_s=12.34,
        backend="local pool",
        jobs=2,
        notes=["a stale lock was taken over"],
        write_errors=["/tmp/r/index.html: No space left on device"],
        interrupted="signal SIGTERM",
    )
    assert str(summary).splitlines() == [
        "Interrupted (signal SIGTERM): the next run repeats what is left.",
        "2 runs: 1 ok, 1 failed, 0 skipped (up to date), 0 interrupted, 0 not started in 12.3 s "
        "(local pool, 2 jobs). Index: /tmp/r/index.html",
        "FAILED wales/b: Cell 2 raised ValueError (log: /tmp/r/_runs/wales__b.log)",
        "NOTE a stale lock was taken over",
        "NOT WRITTEN /tmp/r/index.html: No space left on device",
    ]


def test_failures_are_raised_with_the_failed_runs():
    failed = _result("b", "failed", "boom")
    summary = RunSummary(runs=[_result("a", "ok"), failed], index=Path("i.html"), duration_s=0.0)
    with pytest.raises(RunFailed) as info:
        summary.raise_for_failures()
    assert info.value.failures == [failed] and "FAILED wales/b: boom" in str(info.value)
    RunSummary(runs=[_result("a", "ok")], index=Path("i.html"), duration_s=0.0).raise_for_failures()
