"""Atomic writes of a file and of a whole folder (analysis.io.atomic)."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from analysis.io.atomic import atomic_path, replace_folder, write_json_atomic, write_text_atomic


def test_a_file_gets_the_usual_mode_less_the_umask(tmp_path):
    old = os.umask(0o027)
    try:
        path = write_text_atomic(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    path = write_text_atomic(tmp_path / "a.txt", "old")
    with pytest.raises(OSError), atomic_path(path) as temp:
        temp.write_text("half")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["a.txt"]


def test_json_is_sorted_and_ends_with_a_newline(tmp_path):
    text = write_json_atomic(tmp_path / "a.json", {"b": 1, "a": 2}).read_text()
    assert text.index('"a"') < text.index('"b"') and text.endswith("}\n")


def test_a_folder_is_swapped_whole_keeping_the_readme(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "README.md").write_text("about")
    (folder / "old.csv").write_text("old")
    with replace_folder(folder, keep=frozenset({"README.md"})) as temp:
        (temp / "new.csv").write_text("new")
    assert sorted(os.listdir(folder)) == ["README.md", "new.csv"]
    assert sorted(os.listdir(tmp_path)) == ["out"]


@pytest.mark.parametrize("error", [OSError(errno.ENOSPC, "full"), KeyboardInterrupt()])
def test_a_failed_folder_write_keeps_the_previous_folder(tmp_path, error):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.csv").write_text("first run")
    with pytest.raises(type(error)), replace_folder(folder) as temp:
        (temp / "a.csv").write_text("second run")
        raise error
    assert os.listdir(folder) == ["a.csv"] and (folder / "a.csv").read_text() == "first run"
    assert sorted(os.listdir(tmp_path)) == ["out"]
