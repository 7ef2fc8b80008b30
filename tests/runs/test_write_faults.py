"""A full disk or a read-only reports folder: the previous good output stays and the user is told.

Errors are injected (tests run as root, where ``chmod`` does not stop writes): the temporary
file that every atomic write starts with cannot be made in a chosen folder, exactly as
``mkstemp`` fails on a full or read-only file system. Runs execute in this process (one job),
on the fixture notebook ``ok.ipynb``.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from analysis import cli
from analysis.exceptions import RunSetupError
from analysis.runs import planning, runner
from analysis.runs.folders import LOCK_NAME
from tests.conftest import tree_digest

pytestmark = pytest.mark.slow

OK = str(Path(__file__).parents[1] / "fixtures" / "notebooks" / "ok.ipynb")


@pytest.fixture(autouse=True)
def stable_source_hash(monkeypatch):
    monkeypatch.setattr(planning, "_source_hash", lambda root=None: "fixed-for-tests")


@pytest.fixture(scope="module")
def good(tmp_path_factory):
    """One good run of ``ok`` for national: the outputs a failed write must keep."""
    base = tmp_path_factory.mktemp("good")
    data = base / "processed"
    data.mkdir()
    (data / "cases.parquet").write_bytes(b"stand-in data")
    mp = pytest.MonkeyPatch()
    mp.setattr(planning, "_source_hash", lambda root=None: "fixed-for-tests")
    try:
        summary = _run(data, base / "reports")
    finally:
        mp.undo()
    assert summary.n_ok == 1
    return data, base / "reports"


def _run(data, reports, **kwargs):
    return runner.run_reports(
        regions=["national"],
        notebooks=[OK],
        jobs=1,
        processed_dir=data,
        reports_dir=reports,
        progress=False,
        **kwargs,
    )


@pytest.fixture()
def copy(good, tmp_path):
    data, reports = good
    out = tmp_path / "reports"
    shutil.copytree(reports, out)
    return data, out


def fail_writes(monkeypatch, folder: Path, code: int, names: tuple[str, ...] = ()):
    """Make every atomic write into ``folder`` (or only to files named ``names``) fail."""
    real = tempfile.mkstemp

    def mkstemp(suffix=None, prefix=None, dir=None, text=False):
        target = Path(dir or ".").resolve()
        name = (prefix or "").strip(".")
        if target.is_relative_to(folder.resolve()) and (not names or name in names):
            raise OSError(code, os.strerror(code), str(target / f"{prefix}x1y2z3{suffix}"))
        return real(suffix=suffix, prefix=prefix, dir=dir, text=text)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


def test_a_full_disk_while_writing_the_report_keeps_the_previous_report(copy, monkeypatch):
    data, reports = copy
    html = reports / "national" / "ok.html"
    before = html.read_bytes()
    fail_writes(monkeypatch, reports, errno.ENOSPC, names=("ok.html",))
    summary = _run(data, reports, force=True)
    assert summary.exit_code() == 1
    assert (
        f"FAILED national/ok: Could not write {html}: No space left on device. The previous "
        "version of the file, if any, was kept."
    ) in str(summary)
    assert html.read_bytes() == before
    assert not list(reports.rglob("*.tmp"))
    monkeypatch.undo()
    planning_reason = planning.plan_runs(
        ["national"], [OK], processed_dir=data, reports_dir=reports
    )
    assert planning_reason[0].reason == "the last run failed"


def test_a_full_disk_for_every_manifest_keeps_the_previous_manifests(copy, monkeypatch):
    data, reports = copy
    runs = reports / "_runs"
    before = tree_digest(runs)
    fail_writes(monkeypatch, runs, errno.ENOSPC)
    summary = _run(data, reports, force=True)
    assert summary.exit_code() == 1
    (result,) = summary.runs
    assert result.status == "failed"
    assert f"Could not write {runs / 'national__ok.json'}: No space left on device" in result.error
    assert tree_digest(runs) == before


def test_an_index_that_cannot_be_written_is_reported_and_the_old_one_kept(copy, monkeypatch):
    data, reports = copy
    index = reports / "index.html"
    before = index.read_bytes()
    fail_writes(monkeypatch, reports, errno.ENOSPC, names=("index.html",))
    summary = _run(data, reports, force=True)
    assert summary.n_ok == 1 and summary.exit_code() == 2
    assert f"NOT WRITTEN {index}: No space left on device (the previous index was kept)" in str(
        summary
    )
    assert index.read_bytes() == before


def _read_only(monkeypatch, reports: Path) -> None:
    fail_writes(monkeypatch, reports, errno.EROFS)
    real_open = os.open

    def open_(path, flags, *args, **kwargs):
        if str(path).endswith(LOCK_NAME) and flags & (os.O_CREAT | os.O_RDWR):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", open_)


def test_a_read_only_folder_with_nothing_to_run_is_fine(copy, monkeypatch, capsys):
    data, reports = copy
    before = tree_digest(reports)
    _read_only(monkeypatch, reports)
    args = ["reports", "--regions", "national", "--notebooks", OK, "--jobs", "1"]
    args += ["--processed", str(data), "--reports", str(reports), "--quiet"]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "1 runs: 0 ok, 0 failed, 1 skipped (up to date)" in out
    assert f"NOTE The reports folder {reports} is read-only; every report is up to date" in out
    assert tree_digest(reports) == before


def test_a_read_only_folder_with_runs_to_do_is_refused_before_anything_runs(copy, monkeypatch):
    data, reports = copy
    before = tree_digest(reports)
    _read_only(monkeypatch, reports)
    with pytest.raises(RunSetupError) as info:
        _run(data, reports, force=True)
    assert str(info.value) == (
        f"The reports folder {reports} cannot be written (read-only), and 1 run(s) need to "
        "run: national__ok. Nothing was run."
    )
    assert tree_digest(reports) == before


def test_a_folder_that_refuses_only_bookkeeping_is_a_note(copy, monkeypatch, capsys):
    data, reports = copy
    before = tree_digest(reports)
    fail_writes(monkeypatch, reports, errno.EACCES)  # chmod 555 as a user: the lock file opens
    summary = _run(data, reports)
    assert summary.exit_code() == 0 and summary.n_skipped == 1
    assert any(
        n.startswith("Not updated (every report is up to date):") and "Permission denied" in n
        for n in summary.notes
    )
    after = tree_digest(reports)
    assert {k: v for k, v in after.items() if k != LOCK_NAME} == {
        k: v for k, v in before.items() if k != LOCK_NAME
    }


def test_a_full_disk_while_saving_the_executed_notebook_keeps_the_previous_one(copy, monkeypatch):
    data, reports = copy
    ipynb = reports / "national" / "ok.ipynb"
    before = ipynb.read_bytes()
    fail_writes(monkeypatch, reports, errno.ENOSPC, names=("ok.ipynb",))
    summary = _run(data, reports, force=True)
    assert summary.exit_code() == 1
    assert f"Could not write {ipynb}: No space left on device" in summary.runs[0].error
    assert ipynb.read_bytes() == before
    assert not list(reports.rglob("*.tmp"))
