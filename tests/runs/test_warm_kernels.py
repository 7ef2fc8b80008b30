"""Warm kernels: runs stay independent, a dead kernel loses only its run, outputs are unchanged.

The fixture notebooks under tests/fixtures/isolation: ``a_sets_state`` sets a global, a pandas
option, numpy's and random's seeds, matplotlib state, an environment variable, a module and
the working directory; ``b_checks_state`` raises if any of it reached it; ``dies`` kills its
own kernel for Wales.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis.runs import kernels, runner

pytestmark = [
    pytest.mark.slow,
    pytest.mark.usefixtures("workspace_kernel", "stable_source_hash"),
]

ISOLATION = Path(__file__).parents[1] / "fixtures" / "isolation"
SETS, CHECKS, DIES = (
    str(ISOLATION / f"{n}.ipynb") for n in ("a_sets_state", "b_checks_state", "dies")
)


def _statuses(summary) -> dict:
    return {(r.region_slug, r.notebook): r.status for r in summary.runs}


def _log(reports: Path, key: str) -> str:
    return (reports / "_runs" / f"{key}.log").read_text("utf-8")


def _check_isolated(summary, reports: Path) -> None:
    assert set(_statuses(summary).values()) == {"ok"}, [r.error for r in summary.runs]
    for region in ("national", "wales", "north-west"):
        assert "a warm kernel" in _log(reports, f"{region}__b_checks_state")
        executed = json.loads((reports / region / "b_checks_state.ipynb").read_text("utf-8"))
        printed = "".join(
            "".join(o.get("text", "")) for c in executed["cells"] for o in c.get("outputs", [])
        )
        assert "kind real dataset published reports" in printed  # the run's own settings


def test_a_run_leaves_nothing_in_the_next_runs_kernel(tmp_path, data_dir):
    # one after another in this process: each "checks" run follows a "sets" run
    reports = tmp_path / "reports"
    summary = runner.run_reports(
        regions=["national", "Wales", "North West"],
        notebooks=[SETS, CHECKS],
        jobs=1,
        processed_dir=data_dir,
        reports_dir=reports,
        progress=False,
    )
    _check_isolated(summary, reports)


@pytest.mark.cluster
def test_a_run_leaves_nothing_in_the_next_runs_kernel_on_dask(tmp_path, data_dir):
    from distributed import LocalCluster

    # one worker with one thread: every run goes through the same worker process in turn
    with LocalCluster(
        n_workers=1, processes=True, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        reports = tmp_path / "reports"
        summary = runner.run_reports(
            regions=["national", "Wales", "North West"],
            notebooks=[SETS, CHECKS],
            scheduler=cluster.scheduler_address,
            processed_dir=data_dir,
            reports_dir=reports,
            progress=False,
        )
    assert summary.backend.startswith("dask")
    _check_isolated(summary, reports)


def test_a_kernel_killed_mid_batch_loses_only_its_run(tmp_path, data_dir):
    reports = tmp_path / "reports"
    options = dict(
        regions=["national", "Wales", "North West"],
        notebooks=[DIES, CHECKS],
        jobs=2,
        processed_dir=data_dir,
        reports_dir=reports,
        progress=False,
    )
    summary = runner.run_reports(**options)
    statuses = _statuses(summary)
    assert statuses.pop(("wales", "dies")) == "failed"
    assert set(statuses.values()) == {"ok"}
    record = json.loads((reports / "_runs" / "wales__dies.json").read_text("utf-8"))
    assert record["status"] == "failed"
    assert (
        "died" in record["error"]["message"].lower() or "dead" in record["error"]["message"].lower()
    )
    # the next batch runs it again, and only it
    again = runner.run_reports(**options)
    statuses = _statuses(again)
    assert statuses.pop(("wales", "dies")) == "failed"
    assert set(statuses.values()) == {"skipped"}


MASKS = [
    re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)?"),
    re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d(?::\d\d)?(?: UTC)?"),
    re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d(?: UTC)?"),
]


def _masked(text: str) -> str:
    for mask in MASKS:
        text = mask.sub("<time>", text)
    return text


def _outputs(html: Path) -> dict[str, str]:
    found = {"html": _masked(html.read_text("utf-8"))}
    for csv in sorted(html.with_name(f"{html.stem}_tables").glob("*.csv")):
        found[csv.name] = csv.read_text("utf-8")
    return found


def _notebook(path: Path, reports: Path) -> str:
    nb = json.loads(path.read_text("utf-8").replace(str(reports), "<reports>"))
    for cell in nb["cells"]:
        if "injected-parameters" in cell["metadata"].get("tags", []):
            cell["id"] = "injected"
    text = json.dumps(nb, sort_keys=True, indent=0)
    text = re.sub(r'"(start_time|end_time|duration)": [^,}\n]+', r'"\1": null', text)
    return _masked(text)


def test_warm_outputs_are_the_cold_outputs(tmp_path, small_processed_dir, monkeypatch):
    from analysis.report import export

    given = []
    real_export = export.export_html

    def spy(notebook, out_html, *, provenance=None):
        given.append((type(notebook).__name__, provenance))
        return real_export(notebook, out_html, provenance=provenance)

    monkeypatch.setattr(export, "export_html", spy)
    options = dict(
        regions=["national"],
        notebooks=["01-rating-distributions"],
        jobs=1,
        force=True,
        processed_dir=small_processed_dir,
        progress=False,
    )
    monkeypatch.setattr(kernels, "ENABLED", False)
    (cold,) = runner.run_reports(reports_dir=tmp_path / "cold", **options).runs
    monkeypatch.setattr(kernels, "ENABLED", True)
    (warm,) = runner.run_reports(reports_dir=tmp_path / "warm", **options).runs
    assert cold.status == warm.status == "ok"
    assert "a warm kernel" in warm.manifest.with_suffix(".log").read_text("utf-8")
    assert "a warm kernel" not in cold.manifest.with_suffix(".log").read_text("utf-8")
    assert _outputs(warm.html) == _outputs(cold.html)
    assert len(_outputs(cold.html)) > 1  # the page and its tables
    # the executed notebooks too, execution counts included (papermill's injected cell has a
    # new id each run, warm or cold)
    assert _notebook(warm.html.with_suffix(".ipynb"), tmp_path / "warm") == _notebook(
        cold.html.with_suffix(".ipynb"), tmp_path / "cold"
    )
    # the executed notebook is handed to the export in memory, and exports as the one on disk
    assert [kind for kind, _ in given] == ["NotebookNode", "NotebookNode"]
    again = tmp_path / "again" / warm.html.name
    real_export(warm.html.with_suffix(".ipynb"), again, provenance=given[1][1])
    assert _outputs(again) == _outputs(warm.html)
