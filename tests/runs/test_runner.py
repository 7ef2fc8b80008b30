"""The batch runner: parallel runs, failure isolation, manifests, incremental skips, retries, index.

Tests that execute notebooks are marked ``slow`` (``make test-fast`` leaves them out), the
dask one ``cluster``. They execute tiny notebooks under tests/fixtures/notebooks (not the real ones) on the
workspace kernel. Each fixture carries a kernelspec that does not exist, so a run that succeeds
shows that the runner used the workspace kernel and not the notebook's own.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from analysis.exceptions import ParameterError, RunFailed, RunSetupError
from analysis.runs import planning, runner
from analysis.runs.execute import execute_run

pytestmark = pytest.mark.usefixtures("workspace_kernel", "stable_source_hash")

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
OK, FAILS, BAD = (str(FIXTURES / f"{n}.ipynb") for n in ("ok", "fails", "bad_params"))


def manifest(reports: Path, key: str) -> dict:
    return json.loads((reports / "_runs" / f"{key}.json").read_text("utf-8"))


def _time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    """Three notebooks x three regions on two processes: the run the next tests inspect."""
    reports = tmp_path_factory.mktemp("reports")
    data = tmp_path_factory.mktemp("processed")
    (data / "cases.parquet").write_bytes(b"stand-in data")
    mp = pytest.MonkeyPatch()
    mp.setattr(planning, "_source_hash", lambda root=None: "fixed-for-tests")
    try:
        summary = runner.run_reports(
            regions=["national", "wales", "LONDON"],
            notebooks=[OK, FAILS, BAD],
            jobs=2,
            processed_dir=data,
            reports_dir=reports,
            progress=False,
        )
    finally:
        mp.undo()
    return summary, reports, data


@pytest.mark.slow
def test_every_run_is_recorded_and_only_the_broken_ones_fail(first_run):
    summary, reports, _ = first_run
    status = {(r.region_slug, r.notebook): r.status for r in summary.runs}
    assert status == {
        ("national", "ok"): "ok",
        ("wales", "ok"): "ok",
        ("london", "ok"): "ok",
        ("national", "fails"): "ok",
        ("wales", "fails"): "failed",
        ("london", "fails"): "ok",
        ("national", "bad_params"): "failed",
        ("wales", "bad_params"): "failed",
        ("london", "bad_params"): "failed",
    }
    assert summary.n_failed == 4 and summary.n_ok == 5 and summary.n_skipped == 0
    with pytest.raises(RunFailed) as info:
        summary.raise_for_failures()
    assert len(info.value.failures) == 4
    assert "FAILED wales/fails: Cell 4 of the notebook raised ValueError" in str(summary)


@pytest.mark.slow
def test_outputs_follow_the_agreed_layout(first_run):
    _, reports, _ = first_run
    for slug in ("national", "wales", "london"):
        assert (reports / slug / "ok.html").is_file()
        assert (reports / slug / "ok.ipynb").is_file()
        assert (reports / slug / "ok_tables" / "values.csv").is_file()
        assert (reports / "_runs" / f"{slug}__ok.json").is_file()
        assert (reports / "_runs" / f"{slug}__ok.log").is_file()
    assert (reports / "index.html").is_file()


@pytest.mark.slow
def test_runs_execute_in_parallel(first_run):
    _, reports, _ = first_run
    spans = [
        (_time(m["started"]), _time(m["finished"]))
        for m in (
            manifest(reports, f"{s}__{n}")
            for s in ("national", "wales", "london")
            for n in ("ok", "fails")
        )
    ]
    overlapping = [
        (a, b) for i, a in enumerate(spans) for b in spans[i + 1 :] if a[0] < b[1] and b[0] < a[1]
    ]
    assert overlapping, "no two runs overlapped in time with jobs=2"


@pytest.mark.slow
def test_manifest_of_a_successful_run(first_run, workspace_kernel):
    _, reports, data = first_run
    m = manifest(reports, "wales__ok")
    assert m["status"] == "ok" and m["last_action"] == "executed" and m["error"] is None
    assert m["parameters"] == {"region": "Wales", "processed_dir": str(data.resolve())}
    assert m["kernel"] == workspace_kernel and m["attempts"] == 1
    assert m["duration_s"] > 0
    expected = hashlib.sha256(b"stand-in data").hexdigest()
    assert expected in m["data_hashes"].values()
    assert m["notebook_sha256"] == hashlib.sha256(Path(OK).read_bytes()).hexdigest()
    assert m["package_version"] and m["code_version"].startswith(m["package_version"])
    assert m["headline"] == "Fixture headline for Wales."
    assert m["outputs"] == {
        "html": "wales/ok.html",
        "ipynb": "wales/ok.ipynb",
        "tables": ["wales/ok_tables/values.csv"],
        "log": "_runs/wales__ok.log",
    }


@pytest.mark.slow
def test_the_workspace_kernel_and_an_own_working_directory_are_used(first_run, workspace_kernel):
    _, reports, _ = first_run
    executed = json.loads((reports / "wales" / "ok.ipynb").read_text("utf-8"))
    assert executed["metadata"]["kernelspec"]["name"] == workspace_kernel
    log = (reports / "_runs" / "wales__ok.log").read_text("utf-8")
    assert f"working directory {reports / '_runs' / 'work' / 'wales__ok'}" in log
    assert "region Wales, framework pdu-2023" in log  # the cell's output is in the run log
    assert not (Path.cwd() / "scratch.txt").exists()


@pytest.mark.slow
def test_a_failing_cell_keeps_its_notebook_and_is_described(first_run):
    _, reports, _ = first_run
    m = manifest(reports, "wales__fails")
    assert m["status"] == "failed"
    error = m["error"]
    assert error["kind"] == "cell" and error["ename"] == "ValueError"
    assert error["evalue"] == "broken data for Wales"
    assert "raise ValueError" in error["cell_source"]
    executed = json.loads((reports / "wales" / "fails.ipynb").read_text("utf-8"))
    failing = executed["cells"][error["cell_index"]]
    assert any(o.get("ename") == "ValueError" for o in failing["outputs"])
    written = json.loads(Path(FAILS).read_text("utf-8"))
    assert "raise ValueError" in "".join(written["cells"][error["source_cell_index"]]["source"])
    assert error["cell_number"] == error["source_cell_index"] + 1
    html = (reports / "wales" / "fails.html").read_text("utf-8")
    assert f"at cell {error['cell_number']} of the notebook" in html  # the same number
    assert "In [" not in html and "An Exception was encountered" not in html
    assert (reports / "wales" / "fails.html").is_file()  # exported so the failure is readable
    assert m["attempts"] == 1  # a cell error is not retried


@pytest.mark.slow
def test_wrong_parameters_are_refused_before_a_kernel_starts(first_run):
    _, reports, _ = first_run
    m = manifest(reports, "national__bad_params")
    assert m["status"] == "failed" and m["last_action"] == "refused"
    assert m["error"]["kind"] == "parameters"
    assert "unknown parameter 'region'" in m["error"]["message"]
    assert not (reports / "national" / "bad_params.ipynb").exists()
    assert "no kernel started" in (reports / "_runs" / "national__bad_params.log").read_text(
        "utf-8"
    )


@pytest.mark.slow
def test_index_lists_every_report_by_region_with_status_and_links(first_run):
    _, reports, _ = first_run
    html = (reports / "index.html").read_text("utf-8")
    assert '<html lang="en">' in html and html.count("<h1") == 1
    assert 'name="viewport"' in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    sections = re.findall(r'<h2 id="([^"]+)">', html)
    assert sections == ["national", "london", "wales"]  # national first, then A to Z
    wales = html[html.index('<h2 id="wales">') :]
    assert "Fixture headline for Wales." in wales
    assert "broken data for Wales" in wales and "Failed" in wales
    assert "unknown parameter" in wales
    for href in re.findall(r'href="([^"#]+)"', html):
        assert (reports / href).is_file(), href
    assert 'href="wales/ok_tables/values.csv"' in html
    assert 'href="_runs/wales__fails.log"' in html


@pytest.mark.slow
def test_unchanged_runs_are_skipped_and_failed_ones_rerun(tmp_path, data_dir):
    tmp_path = tmp_path / "reports"
    kwargs = dict(
        regions=["national", "wales"],
        notebooks=[OK, FAILS],
        jobs=2,
        processed_dir=data_dir,
        reports_dir=tmp_path,
        progress=False,
    )
    first = runner.run_reports(**kwargs)
    assert (first.n_ok, first.n_failed) == (3, 1)
    html = tmp_path / "national" / "ok.html"
    before = html.stat().st_mtime_ns
    second = runner.run_reports(**kwargs)
    assert {(r.region_slug, r.notebook): r.status for r in second.runs} == {
        ("national", "ok"): "skipped",
        ("wales", "ok"): "skipped",
        ("national", "fails"): "skipped",
        ("wales", "fails"): "failed",
    }
    assert html.stat().st_mtime_ns == before
    assert manifest(tmp_path, "national__ok")["last_action"] == "skipped"
    assert "Up to date" in (tmp_path / "index.html").read_text("utf-8")


@pytest.mark.slow
def test_changed_data_missing_outputs_and_force_rerun(tmp_path, data_dir):
    tmp_path = tmp_path / "reports"
    kwargs = dict(
        regions=["national"],
        notebooks=[OK],
        jobs=1,
        processed_dir=data_dir,
        reports_dir=tmp_path,
        progress=False,
    )
    assert runner.run_reports(**kwargs).n_ok == 1
    assert runner.run_reports(**kwargs).n_skipped == 1
    assert runner.run_reports(**kwargs, force=True).n_ok == 1
    (data_dir / "cases.parquet").write_bytes(b"changed data")
    assert runner.run_reports(**kwargs).n_ok == 1
    (tmp_path / "national" / "ok_tables" / "values.csv").unlink()
    assert runner.run_reports(**kwargs).n_ok == 1
    assert runner.run_reports(**kwargs).n_skipped == 1


@pytest.mark.slow
def test_changed_parameters_or_notebook_rerun_and_say_why(tmp_path, data_dir):
    nb = tmp_path / "copy.ipynb"
    nb.write_bytes(Path(OK).read_bytes())
    reports = tmp_path / "reports"

    def plan(**kwargs):
        kwargs.setdefault("processed_dir", data_dir)
        (spec,) = planning.plan_runs(["national"], [nb], reports_dir=reports, **kwargs)
        return spec.action, spec.reason

    assert plan() == ("run", "never run")
    runner.run_reports(
        ["national"], [nb], jobs=1, processed_dir=data_dir, reports_dir=reports, progress=False
    )
    assert plan() == ("skip", "up to date")
    assert plan(force=True) == ("run", "forced")
    assert plan(processed_dir=None) == ("run", "the parameters changed; the input data changed")
    nb.write_text(nb.read_text("utf-8").replace("repeat: int = 2", "repeat: int = 3"), "utf-8")
    assert plan() == ("run", "the notebook changed")
    nb.write_bytes(Path(OK).read_bytes())
    (reports / "national" / "copy.html").unlink()
    assert plan() == ("run", "outputs missing: national/copy.html")


def _spec(tmp_path, notebook, kernel_names):
    plan = planning.plan_runs(["national"], [notebook], reports_dir=tmp_path, force=True)
    return replace(plan[0], kernel_names=tuple(kernel_names), code_version="test", retry_delay=0.1)


@pytest.mark.slow
def test_a_kernel_that_fails_to_start_is_retried_once(tmp_path, workspace_kernel):
    spec = _spec(tmp_path, OK, ["no-such-kernel-for-this-test", workspace_kernel])
    m = execute_run(spec)
    assert m.status == "ok" and m.attempts == 2 and m.kernel == workspace_kernel
    log = (tmp_path / "_runs" / "national__ok.log").read_text("utf-8")
    assert "kernel did not start (attempt 1)" in log and "NoSuchKernel" in log


def test_a_kernel_that_never_starts_fails_the_run_as_kernel_start(tmp_path):
    spec = _spec(tmp_path, OK, ["no-such-kernel-for-this-test"] * 2)
    m = execute_run(spec)
    assert m.status == "failed" and m.attempts == 2
    assert m.error["kind"] == "kernel-start" and m.error["ename"] == "NoSuchKernel"
    assert manifest(tmp_path, "national__ok")["error"]["ename"] == "NoSuchKernel"


def test_command_level_mistakes_are_refused_before_anything_runs(tmp_path):
    with pytest.raises(ParameterError, match="Did you mean 'Wales'"):
        runner.run_reports(regions=["Whales"], notebooks=[OK], reports_dir=tmp_path, progress=False)
    with pytest.raises(ParameterError, match="matches no notebook"):
        runner.run_reports(notebooks=["no-such-notebook"], reports_dir=tmp_path, progress=False)
    with pytest.raises(ParameterError, match="jobs must be a positive whole number"):
        runner.run_reports(notebooks=[OK], jobs=0, reports_dir=tmp_path, progress=False)
    assert not (tmp_path / "_runs").exists()


def test_a_missing_kernel_says_to_run_make_install():
    with pytest.raises(RunSetupError, match="make install"):
        runner._check_kernel("no-such-kernel-for-this-test")


@pytest.mark.cluster
def test_runs_on_a_dask_cluster(tmp_path, data_dir, monkeypatch):
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        summary = runner.run_reports(
            regions=["national", "Wales"],
            notebooks=[OK, FAILS],
            scheduler=cluster.scheduler_address,
            processed_dir=data_dir,
            reports_dir=tmp_path / "reports",
            progress=False,
        )
        assert summary.backend.startswith("dask")
        assert {(r.region_slug, r.notebook): r.status for r in summary.runs} == {
            ("national", "ok"): "ok",
            ("wales", "ok"): "ok",
            ("national", "fails"): "ok",
            ("wales", "fails"): "failed",
        }
        assert manifest(tmp_path / "reports", "wales__fails")["error"]["ename"] == "ValueError"
        assert (tmp_path / "reports" / "wales" / "ok.html").is_file()
        # the environment variable sends runs to the cluster too
        monkeypatch.setenv(runner.SCHEDULER_ENV, cluster.scheduler_address)
        again = runner.run_reports(
            regions=["Wales"],
            notebooks=[OK],
            force=True,
            processed_dir=data_dir,
            reports_dir=tmp_path / "reports",
            progress=False,
        )
        assert again.backend.startswith("dask") and again.n_ok == 1


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, data_dir, monkeypatch):
    monkeypatch.setattr(runner, "SCHEDULER_TIMEOUT", "2s")
    with pytest.raises(RunSetupError, match="Cannot reach the dask scheduler"):
        runner.run_reports(
            regions=["national"],
            notebooks=[OK],
            scheduler="tcp://127.0.0.1:9",
            force=True,
            processed_dir=data_dir,
            reports_dir=tmp_path / "reports",
            progress=False,
        )


@pytest.mark.slow
def test_a_cell_that_runs_too_long_fails_its_run(tmp_path, data_dir, monkeypatch):
    nb = json.loads(Path(OK).read_text("utf-8"))
    nb["cells"][3]["source"] = "import time\ntime.sleep(60)"
    slow = tmp_path / "slow.ipynb"
    slow.write_text(json.dumps(nb), "utf-8")
    monkeypatch.setenv("ANALYSIS_CELL_TIMEOUT", "2")
    summary = runner.run_reports(
        regions=["national"],
        notebooks=[slow],
        jobs=1,
        processed_dir=data_dir,
        reports_dir=tmp_path / "r",
        progress=False,
    )
    assert summary.n_failed == 1 and summary.duration_s < 50
    error = manifest(tmp_path / "r", "national__slow")["error"]
    assert error["kind"] == "execution" and "Timeout" in error["ename"]
    assert (tmp_path / "r" / "national" / "slow.ipynb").is_file()


@pytest.mark.slow
def test_the_command_exits_non_zero_when_a_run_failed(tmp_path, data_dir, capsys):
    from analysis.cli import main

    args = [
        "reports",
        "--regions",
        "Wales",
        "--processed",
        str(data_dir),
        "--reports",
        str(tmp_path / "reports"),
        "--quiet",
    ]
    assert main([*args, "--notebooks", OK]) == 0
    assert main([*args, "--notebooks", OK, FAILS]) == 1
    assert "FAILED wales/fails" in capsys.readouterr().out


@pytest.mark.parametrize("value", ["0", "-5", "ten", "1.5"])
def test_a_bad_cell_timeout_is_refused_before_anything_is_written(
    tmp_path, monkeypatch, capsys, value
):
    from analysis.cli import main

    monkeypatch.setenv("ANALYSIS_CELL_TIMEOUT", value)
    reports = tmp_path / "reports"
    args = ["reports", "--regions", "national", "--notebooks", OK, "--reports", str(reports)]
    assert main([*args, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert (
        f"error: ANALYSIS_CELL_TIMEOUT must be a positive whole number of seconds, not {value!r}."
        in err
    )
    assert not reports.exists()
