"""The reports folder: refused when unsafe, marked when made, locked while a runner writes.

Refusals go through the command (``analysis reports --reports X``), so each test checks the exit
status, the message the user sees and that the folder and the data are unchanged.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from pathlib import Path

import pytest

from analysis import cli, config
from analysis.exceptions import RunSetupError
from analysis.runs.folders import LOCK_NAME, check_reports_dir, prepare_reports_dir
from analysis.runs.folders import MARK as MARKER
from analysis.runs.folders import reports_lock as _lock
from tests.conftest import tree_digest

OK = str(Path(__file__).parents[1] / "fixtures" / "notebooks" / "ok.ipynb")


def _reports(folder, capsys, processed=None) -> tuple[int, str]:
    args = ["reports", "--regions", "national", "--notebooks", OK, "--reports", str(folder)]
    if processed is not None:
        args += ["--processed", str(processed)]
    code = cli.main([*args, "--quiet"])
    return code, capsys.readouterr().err


@pytest.fixture()
def raw_unchanged():
    before = tree_digest(config.RAW_DIR)
    yield
    assert tree_digest(config.RAW_DIR) == before


@pytest.mark.parametrize(
    "where,why",
    [
        (lambda: config.RAW_DIR, "it is or lies inside the raw data folder"),
        (lambda: config.RAW_DIR / "published", "it is or lies inside the raw data folder"),
        (lambda: config.RAW_DIR / "new-folder", "it is or lies inside the raw data folder"),
        (lambda: config.DATA_DIR, "it contains the raw data folder"),
        (lambda: config.PROJECT_ROOT, "it is or contains the project root"),
        (lambda: config.PROJECT_ROOT.parent, "it is or contains the project root"),
        (lambda: config.PROJECT_ROOT / "src", "it lies inside the project"),
        (lambda: config.PROJECT_ROOT / "docs" / "out", "it lies inside the project"),
        (lambda: config.PROCESSED_DIR, "it is or lies inside the processed data folder"),
    ],
)
def test_project_and_data_folders_are_refused(where, why, capsys, raw_unchanged):
    folder = where()
    existed = folder.exists()
    # a built data/processed carries the build's own mark: the refusal must leave it as it was
    mark = folder / MARKER
    before = mark.read_bytes() if mark.exists() else None
    code, err = _reports(folder, capsys)
    assert code == 2
    assert f"error: Refusing to write reports to {folder.resolve()}: {why}" in err
    assert "Nothing was written." in err and "Traceback" not in err
    assert folder.exists() == existed
    assert (mark.read_bytes() if mark.exists() else None) == before
    assert not (folder / LOCK_NAME).exists()


def test_a_symlink_to_the_raw_folder_is_refused(tmp_path, capsys, raw_unchanged):
    link = tmp_path / "looks-harmless"
    link.symlink_to(config.RAW_DIR)
    code, err = _reports(link, capsys)
    assert code == 2 and "it is or lies inside the raw data folder" in err


def test_a_folder_inside_the_processed_data_is_refused(tmp_path, capsys):
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "cases.parquet").write_bytes(b"data")
    before = tree_digest(processed)
    code, err = _reports(processed / "reports", capsys, processed=processed)
    assert code == 2
    assert "it is or lies inside the processed data folder" in err
    assert tree_digest(processed) == before and not (processed / "reports").exists()


def test_a_git_work_tree_is_refused(tmp_path, capsys):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "code.py").write_text("x = 1\n", "utf-8")
    before = tree_digest(repo)
    for target in (repo, repo / "out"):
        code, err = _reports(target, capsys)
        assert code == 2 and f"it is or lies inside the git work tree {repo}" in err
    assert tree_digest(repo) == before


def test_a_non_empty_folder_the_runner_did_not_make_is_refused(tmp_path, capsys):
    mine = tmp_path / "my-work"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"a year of work")
    (mine / "national").mkdir()
    before = tree_digest(mine)
    code, err = _reports(mine, capsys)
    assert code == 2
    assert "it is not empty and was not made by `analysis reports` (no .analysis-owned.json" in err
    assert tree_digest(mine) == before and sorted(os.listdir(mine)) == ["national", "thesis.docx"]


def test_a_file_is_refused(tmp_path, capsys):
    path = tmp_path / "report.html"
    path.write_text("<p>mine</p>", "utf-8")
    code, err = _reports(path, capsys)
    assert code == 2 and "it is a file, not a folder" in err
    assert path.read_text("utf-8") == "<p>mine</p>"


def test_a_new_or_empty_folder_is_made_and_marked(tmp_path):
    for folder in (tmp_path / "a" / "b", tmp_path / "empty"):
        if folder.name == "empty":
            folder.mkdir()
        resolved, note = prepare_reports_dir(folder)
        assert resolved == folder.resolve() and note is None
        marker = json.loads((folder / MARKER).read_text("utf-8"))
        assert marker["made_by"] == "analysis reports"
        assert prepare_reports_dir(folder) == (resolved, None)  # marked: accepted as is


def test_the_projects_own_reports_folder_is_accepted():
    assert check_reports_dir(config.REPORTS_DIR) == config.REPORTS_DIR.resolve()


def test_a_folder_written_by_an_earlier_runner_is_adopted_with_a_note(tmp_path):
    old = tmp_path / "old"
    (old / "_runs").mkdir(parents=True)
    (old / "_runs" / "wales__ok.json").write_text('{"status": "ok"}', "utf-8")
    (old / "wales").mkdir()
    (old / "index.html").write_text("<html></html>", "utf-8")
    before = tree_digest(old)
    folder, note = prepare_reports_dir(old)
    assert note == f"Adopted {folder}, written by an earlier version of `analysis reports`."
    after = tree_digest(old)
    assert after.pop(MARKER) and after == before


def test_a_folder_that_cannot_be_made_is_a_clear_error(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(RunSetupError, match="Cannot create or mark the reports folder .*denied"):
        prepare_reports_dir(tmp_path / "new")


def FolderLock(folder, command, wait=False, poll_s=0.5):  # noqa: N802 - the old name, for reading
    lock = _lock(folder, wait=wait)
    lock.command, lock.poll_s = command, poll_s
    return lock


def test_a_second_lock_is_refused_naming_the_holder(tmp_path):
    with FolderLock(tmp_path, "analysis reports --regions wales") as held:
        before = tree_digest(tmp_path)
        with pytest.raises(RunSetupError) as info:
            FolderLock(tmp_path, "analysis reports").acquire()
        message = str(info.value)
        assert (
            f"Another `analysis reports` is writing to {tmp_path}: process {os.getpid()}" in message
        )
        assert "running `analysis reports --regions wales`" in message
        assert tree_digest(tmp_path) == before
    assert not held.record_path.exists()  # released: no holder named


def test_a_lock_with_wait_is_taken_when_the_holder_finishes(tmp_path, capsys):
    first = FolderLock(tmp_path, "first").acquire()
    threading.Timer(0.6, first.release).start()
    t0 = time.monotonic()
    with FolderLock(tmp_path, "second", wait=True, poll_s=0.1) as second:
        assert second.holder()["command"] == "second"
    assert time.monotonic() - t0 >= 0.5
    assert f"waiting for process {os.getpid()}" in capsys.readouterr().out


def test_a_stale_lock_from_a_killed_runner_is_taken_over_with_a_note(tmp_path):
    stale = {"pid": 999999, "host": "old-host", "started": "2026-01-01T00:00:00Z", "command": "x"}
    lock = FolderLock(tmp_path, "analysis reports")
    lock.record_path.write_text(json.dumps(stale), "utf-8")
    with lock:
        assert lock.note == (
            f"Took over the lock on {tmp_path} left by process 999999 on old-host, started "
            "2026-01-01T00:00:00Z running `x`, which is no longer running."
        )
        assert lock.holder()["pid"] == os.getpid()


def test_a_read_only_folder_gives_a_read_only_lock(tmp_path, monkeypatch):
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if str(path).endswith(LOCK_NAME) and flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    with FolderLock(tmp_path, "x") as lock:
        assert lock.read_only and lock.note is None
    assert not (tmp_path / LOCK_NAME).exists()
