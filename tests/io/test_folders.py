"""Owned folders (analysis.io.folders): one mark, one set of refusals for every command."""

from __future__ import annotations

import json

import pytest

from analysis import config
from analysis.exceptions import OutputFolderError
from analysis.io.folders import MARK, Protected, claim, read_mark, write_mark


def _claim(folder, **kwargs):
    options = dict(command="analysis test", what="things", advice="Choose another.", writes_in=())
    return claim(folder, **{**options, **kwargs})


def test_a_new_folder_is_claimed_and_a_marked_one_is_recognised(tmp_path):
    found = _claim(tmp_path / "new")
    assert found.folder == (tmp_path / "new").resolve() and found.mark is None
    (tmp_path / "new").mkdir()
    write_mark(tmp_path / "new", "analysis test", ["a.csv"])
    assert read_mark(tmp_path / "new").files == {"a.csv"}
    data = json.loads((tmp_path / "new" / MARK).read_text())
    assert data["made_by"] == "analysis test" and data["version"]


def test_the_message_shape_is_one_for_every_refusal(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputFolderError) as info:
        _claim(tmp_path / "f")
    assert str(info.value) == (
        f"Refusing to write things to {tmp_path / 'f'}: it is a file, not a folder. Nothing was "
        "written. Choose another."
    )


def test_another_commands_folder_is_refused(tmp_path):
    write_mark(tmp_path, "analysis build", ["cases.parquet"])
    with pytest.raises(
        OutputFolderError, match="it was made by `analysis build`, not `analysis test`"
    ):
        _claim(tmp_path)


def test_protected_folders_are_refused_inside_and_around(tmp_path):
    inner = tmp_path / "raw"
    with pytest.raises(OutputFolderError, match="it is or lies inside the raw data"):
        _claim(inner / "x", protected=[Protected("the raw data", inner)])
    with pytest.raises(OutputFolderError, match="it contains the raw data"):
        _claim(tmp_path, protected=[Protected("the raw data", inner)])


def test_inside_the_project_only_where_the_command_writes(tmp_path):
    with pytest.raises(
        OutputFolderError, match="lies inside the project .* but not in its reports/"
    ):
        _claim(config.PROJECT_ROOT / "src" / "x", writes_in=(config.REPORTS_DIR,))
    assert _claim(config.REPORTS_DIR / "x", writes_in=(config.REPORTS_DIR,)).mark is None


def test_a_folder_replaced_whole_refuses_files_it_did_not_write(tmp_path):
    write_mark(tmp_path, "analysis test", ["a.csv"])
    (tmp_path / "a.csv").write_text("ours")
    (tmp_path / "README.md").write_text("kept")
    assert _claim(tmp_path, whole=True).mark.files == {"a.csv"}
    (tmp_path / "thesis.docx").write_text("theirs")
    with pytest.raises(OutputFolderError, match="did not write: thesis.docx"):
        _claim(tmp_path, whole=True)


def test_an_unmarked_folder_is_adopted_only_when_the_legacy_rule_says_so(tmp_path):
    (tmp_path / "old.csv").write_text("x")
    with pytest.raises(
        OutputFolderError, match=r"no \.analysis-owned\.json mark\); it holds old.csv"
    ):
        _claim(tmp_path)
    found = _claim(tmp_path, legacy=lambda folder: {"old.csv"})
    assert found.note.startswith("Adopted") and found.mark.files == {"old.csv"}
