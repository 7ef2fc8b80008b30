"""The build replaces only a folder it made, under a lock, atomically (catalogue D-1 to D-22)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from analysis import config
from analysis.data import build as build_module
from analysis.data.build import build
from analysis.exceptions import InputDataError
from analysis.io.locks import data_lock as processed_lock
from tests.conftest import tree_digest
from tests.data.helpers import refused

SRC = str(Path(build_module.__file__).resolve().parents[2])


def _listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _leftovers(folder: Path) -> list[Path]:
    """Temporary or set-aside folders a build left beside ``folder``."""
    return [
        *folder.parent.glob(f".{folder.name}.tmp-*"),
        *folder.parent.glob(f".{folder.name}.old-*"),
    ]


def _lock_free(folder: Path) -> bool:
    """Nobody holds the folder's lock: a write lock is taken at once."""
    try:
        processed_lock(folder, "probe", "write").acquire().release()
    except InputDataError:
        return False
    return True


_HOLD = (
    "import sys, time; sys.path.insert(0, sys.argv[2]);"
    "from pathlib import Path; from analysis.io.locks import data_lock as processed_lock;"
    "held = processed_lock(Path(sys.argv[1]), 'analysis build', sys.argv[3]).acquire();"
    "print('locked', flush=True); time.sleep(60)"
)


def _holder(folder: Path, mode: str = "write") -> subprocess.Popen:
    """A process holding the processed data's lock (``write``: a build, ``read``: a batch)."""
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(folder), SRC, mode], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "locked"
    return child


def test_processed_is_the_raw_folder(raw_copy):
    """D-1."""
    refused(
        raw_copy, raw_copy, "it is or lies inside the raw data folder .* data/raw is never written"
    )


def test_processed_inside_raw(raw_copy):
    """D-2."""
    refused(raw_copy, raw_copy / "processed", "lies inside the raw data folder")
    assert not (raw_copy / "processed").exists()


def test_processed_containing_raw(raw_copy):
    """D-3: `--processed data` with data/raw inside it."""
    text = refused(raw_copy, raw_copy.parent, "contains the raw data folder")
    assert "Choose a new or empty folder for --processed" in text


def test_processed_is_the_project_root(raw_copy):
    """D-4: `--processed "$PWD"` (the checkout, .git included)."""
    before = _listing(config.PROJECT_ROOT), tree_digest(config.RAW_DIR)
    refused(raw_copy, config.PROJECT_ROOT, "it is or contains the project root")
    assert (_listing(config.PROJECT_ROOT), tree_digest(config.RAW_DIR)) == before


def test_processed_contains_the_project_root(raw_copy, tmp_path, monkeypatch):
    """D-5. The project stands in a quiet folder of its own, so that the check of what the
    refused build wrote there is not disturbed by other checkouts beside the real one."""
    project = tmp_path / "home" / "checkout"
    (project / ".git").mkdir(parents=True)
    monkeypatch.setattr(config, "PROJECT_ROOT", project)
    before = _listing(project.parent), _listing(tmp_path)
    refused(raw_copy, project.parent, "it is or contains the project root")
    assert (_listing(project.parent), _listing(tmp_path)) == before


def test_processed_is_a_git_work_tree(raw_copy, tmp_path):
    """D-6."""
    tree = tmp_path / "checkout"
    (tree / ".git").mkdir(parents=True)
    (tree / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    refused(raw_copy, tree, "it is or lies inside the git work tree")


def test_processed_is_a_folder_of_someone_elses_files(raw_copy, tmp_path):
    """D-7."""
    folder = tmp_path / "mine"
    folder.mkdir()
    for name in ("thesis.docx", "notes.txt"):
        (folder / name).write_text("precious")
    text = refused(raw_copy, folder, "it is not empty and was not made by `analysis build`")
    assert "it holds notes.txt, thesis.docx" in text


def test_processed_is_a_file(raw_copy, tmp_path):
    """D-8."""
    path = tmp_path / "out.txt"
    path.write_text("keep me")
    refused(raw_copy, path, "is a file, not a folder")


def test_processed_folder_with_only_a_readme_is_used(raw_copy, tmp_path):
    """D-9: the committed data/processed/ holds only its README.md."""
    folder = tmp_path / "processed"
    folder.mkdir()
    (folder / "README.md").write_text("about this folder\n")
    build(raw_dir=raw_copy, processed_dir=folder)
    assert (folder / "README.md").read_text() == "about this folder\n"
    assert (folder / "manifest.json").is_file()


def test_reports_saved_in_processed_are_never_deleted(raw_copy, processed_copy):
    """D-10: the next build refuses rather than delete files it did not write."""
    (processed_copy / "index.html").write_text("<html>report</html>")
    text = refused(
        raw_copy, processed_copy, "it holds files `analysis build` did not write: index.html"
    )
    assert "reports belong in reports/" in text


def test_subfolder_added_to_processed_is_never_deleted(raw_copy, processed_copy):
    """D-11."""
    (processed_copy / "reports" / "wales").mkdir(parents=True)
    (processed_copy / "reports" / "wales" / "a.html").write_text("x")
    refused(raw_copy, processed_copy, "it holds files `analysis build` did not write: reports")


def test_processed_through_a_link_is_rebuilt_in_place(raw_copy, processed_copy, tmp_path):
    """D-12: a link to a folder the build made: the folder is rebuilt, the link kept."""
    link = tmp_path / "link"
    link.symlink_to(processed_copy, target_is_directory=True)
    build(raw_dir=raw_copy, processed_dir=link)
    assert link.is_symlink() and (link / "manifest.json").is_file()
    assert (processed_copy / "cases.parquet").is_file()


def test_lock_held_by_a_running_build(raw_copy, processed_copy):
    """D-13: another live build holds the lock: refused, naming it."""
    holder = _holder(processed_copy)
    try:
        text = refused(raw_copy, processed_copy, f"is in use: process {holder.pid}")
        assert "running `analysis build`" in text and "add --wait" in text
    finally:
        holder.kill()
        holder.wait()


def test_a_build_during_a_batch_of_reports_is_refused(raw_copy, processed_copy):
    """D-85: a batch holds the processed data for reading; a build refuses (or waits)."""
    reader = _holder(processed_copy, "read")
    try:
        refused(raw_copy, processed_copy, "is in use: a batch of reports reading it")
    finally:
        reader.kill()
        reader.wait()
    build(raw_dir=raw_copy, processed_dir=processed_copy)


def test_stale_lock_of_a_killed_build_is_taken_over(raw_copy, processed_copy):
    """D-14, D-22: a build killed with kill -9 holds nothing; the next build says whose it was."""
    child = _holder(processed_copy)
    child.kill()
    child.wait()
    report = build(raw_dir=raw_copy, processed_dir=processed_copy)
    note = report.warnings[report.warnings["check"] == "lock"]["expected"].iloc[0]
    assert note.startswith(
        f"Took over the lock on {processed_copy.parent} left by process {child.pid}"
    )
    assert _lock_free(processed_copy)
    assert len(pd.read_parquet(processed_copy / "cases.parquet")) == 108 * 6


def test_damaged_lock_is_refused(raw_copy, processed_copy):
    """D-15."""
    path = processed_lock(processed_copy, "x", "write").path
    path.write_text("\x00garbage" * 100)
    refused(raw_copy, processed_copy, "is damaged .* delete it")


def test_holder_record_from_another_host_is_only_a_note(raw_copy, processed_copy):
    """D-16: the operating system's lock decides; a record left by another machine is a note."""
    record = processed_lock(processed_copy, "x", "write").record_path
    record.write_text(
        json.dumps({"pid": 1, "host": "other-machine", "started": "x", "command": "y"})
    )
    report = build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert "process 1 on other-machine" in " ".join(report.warnings["expected"])
    assert not record.exists()


@pytest.mark.slow
def test_two_builds_at_once_never_break_the_folder(raw_copy, processed_copy):
    """D-17: two `analysis build` processes on one folder: one builds, the other refuses or
    waits; the folder is a whole build afterwards."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[3]);"
        "from analysis.data.build import build;"
        "from analysis.exceptions import InputDataError\n"
        "try:\n build(raw_dir=sys.argv[1], processed_dir=sys.argv[2]); print('built')\n"
        "except InputDataError as e:\n print('refused:', e)"
    )
    args = [sys.executable, "-c", code, str(raw_copy), str(processed_copy), SRC]
    runs = [subprocess.Popen(args, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [r.communicate(timeout=300)[0].strip() for r in runs]
    assert "built" in outs, outs
    for out in outs:
        assert out == "built" or ("refused:" in out and "is in use: process" in out)
    manifest = json.loads((processed_copy / "manifest.json").read_text())
    for entry in manifest["tables"].values():
        assert len(pd.read_parquet(processed_copy / entry["file"])) == entry["rows"]
    assert _lock_free(processed_copy) and not _leftovers(processed_copy)


def test_second_build_can_wait_for_the_first(raw_copy, processed_copy):
    """D-18: build(wait=...) waits for the holder to finish, then builds."""
    ready, release = threading.Event(), threading.Event()

    def hold():
        with processed_lock(processed_copy, "first", "write"):
            ready.set()
            release.wait(10)

    thread = threading.Thread(target=hold)
    thread.start()
    ready.wait(10)
    threading.Timer(1.0, release.set).start()
    start = time.monotonic()
    try:
        with pytest.raises(InputDataError):  # held by another thread: refused at once
            build(raw_dir=raw_copy, processed_dir=processed_copy)
        build(raw_dir=raw_copy, processed_dir=processed_copy, wait=30)
    finally:
        release.set()
        thread.join()
    assert time.monotonic() - start >= 0.9


def test_disk_full_keeps_the_previous_build(raw_copy, processed_copy, monkeypatch):
    """D-19: ENOSPC while writing a table: a readable message, the old folder kept whole."""
    before = tree_digest(processed_copy)
    original = pd.DataFrame.to_parquet

    def full(self, path, *args, **kwargs):
        if str(path).endswith("factors.parquet"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", full)
    with pytest.raises(InputDataError, match="No space left on device") as info:
        build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert "Nothing was replaced; the previous contents are kept" in str(info.value)
    assert tree_digest(processed_copy) == before
    assert not _leftovers(processed_copy) and _lock_free(processed_copy)


def test_read_only_folder_gives_a_message(raw_copy, processed_copy, monkeypatch):
    """D-20: the folder above processed cannot be written (EACCES, injected: tests run as root)."""
    before = tree_digest(processed_copy)
    original = Path.mkdir

    def denied(self, *args, **kwargs):
        if ".processed.tmp-" in self.name:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", denied)
    with pytest.raises(InputDataError, match="Permission denied"):
        build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert tree_digest(processed_copy) == before
    assert _lock_free(processed_copy)


def test_ctrl_c_during_the_swap_keeps_the_previous_build(raw_copy, processed_copy, monkeypatch):
    """D-21: KeyboardInterrupt while writing: old folder intact, no temporary folder, no lock."""
    before = tree_digest(processed_copy)
    original = pd.DataFrame.to_parquet

    def interrupted(self, path, *args, **kwargs):
        if str(path).endswith("build_warnings.parquet"):
            raise KeyboardInterrupt
        return original(self, path, *args, **kwargs)

    monkeypatch.setattr(pd.DataFrame, "to_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert tree_digest(processed_copy) == before
    assert not _leftovers(processed_copy) and _lock_free(processed_copy)


def test_files_the_system_leaves_do_not_block_a_rebuild(raw_copy, processed_copy):
    """D-82: a Finder .DS_Store in a folder the build made is not the user's work."""
    (processed_copy / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    build(raw_dir=raw_copy, processed_dir=processed_copy)
    assert (processed_copy / "manifest.json").is_file()
    assert not (processed_copy / ".DS_Store").exists()
