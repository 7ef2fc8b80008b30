"""analysis.data.files: finding a table's raw files, and the files under data/raw no table claims.

What a user sees when a build meets such files is the catalogue of tests/data/test_raw_files.py;
here, which paths each function finds, skips or reports, on small folders made per test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.data.files import files_for, label_of, unclaimed

KQ = ("published/key_questions",)


def touch(base: Path, *names: str) -> None:
    for name in names:
        path = base / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"a,b\n1,2\n")


def relative(paths, base: Path) -> list[str]:
    return sorted(str(p.relative_to(base)) for p in paths)


def test_a_label_is_the_path_under_data_raw_where_it_lies_inside(tmp_path):
    assert label_of(tmp_path / "published" / "figures.csv", tmp_path) == "published/figures.csv"
    assert label_of(Path("/elsewhere/figures.csv"), tmp_path) == "/elsewhere/figures.csv"


def test_a_named_table_file_in_every_readable_type(tmp_path):
    touch(
        tmp_path,
        "published/key_questions.csv",
        "published/key_questions.xlsx",
        "published/key_questions.parquet",
        "published/key_questions.txt",  # not a table type: meant as the table, an error
        "published/key_questions_2023.csv",  # another stem
        "published/._key_questions.csv",  # a macOS resource file
        "published/.key_questions.csv",  # hidden
    )
    found, problems, seen = files_for(tmp_path, KQ, tmp_path, "published_key_questions")
    assert relative(found, tmp_path) == [
        "published/key_questions.csv",
        "published/key_questions.parquet",
        "published/key_questions.xlsx",
    ]
    assert [(p["file"], p["check"], p["severity"]) for p in problems] == [
        ("published/key_questions.txt", "file_format", "error")
    ]
    assert seen == {*found, tmp_path / "published/key_questions.txt"}


def test_every_table_file_of_a_folder_pattern(tmp_path):
    touch(tmp_path, "cases/york.csv", "cases/leeds.XLSX", "cases/notes.md", "cases.csv")
    found, _, _ = files_for(tmp_path, ("cases", "cases/*"), tmp_path, "cases")
    assert relative(found, tmp_path) == ["cases.csv", "cases/leeds.XLSX", "cases/york.csv"]


def test_a_missing_folder_gives_nothing(tmp_path):
    assert files_for(tmp_path, ("nowhere/*", *KQ), tmp_path, "cases") == ([], [], set())


def test_a_pipe_is_an_error_and_a_folder_in_a_table_folder_a_warning(tmp_path):
    (tmp_path / "cases" / "old.csv").mkdir(parents=True)
    os.mkfifo(tmp_path / "cases" / "live.csv")
    found, problems, seen = files_for(tmp_path, ("cases/*",), tmp_path, "cases")
    assert found == []
    assert [(p["file"], p["check"], p["severity"]) for p in problems] == [
        ("cases/live.csv", "regular_file", "error"),
        ("cases/old.csv", "regular_file", "warning"),
    ]
    assert problems[0]["expected"] == (
        "a file holding table 'cases'; this is a named pipe (reading it would wait for a "
        "writer), so it was not read"
    )
    assert (
        problems[1]["expected"]
        == "a file holding table 'cases'; this is a folder, so it was not read"
    )
    assert relative(seen, tmp_path) == ["cases/live.csv", "cases/old.csv"]  # not reported again


def test_a_folder_named_as_the_table_file_is_an_error(tmp_path):
    (tmp_path / "published" / "key_questions.csv").mkdir(parents=True)
    _, problems, _ = files_for(tmp_path, KQ, tmp_path, "published_key_questions")
    assert [(p["check"], p["severity"]) for p in problems] == [("regular_file", "error")]


def test_a_broken_link_is_named_as_one(tmp_path):
    (tmp_path / "published").mkdir()
    (tmp_path / "published" / "key_questions.csv").symlink_to(tmp_path / "gone.csv")
    _, problems, _ = files_for(tmp_path, KQ, tmp_path, "published_key_questions")
    assert "a link that leads nowhere" in problems[0]["expected"]


def _warnings(raw: Path, claimed=()) -> list[tuple[str, str]]:
    return [(w["file"], w["check"]) for w in unclaimed(raw, set(claimed))]


def test_files_no_table_claims_are_warned_about(tmp_path):
    touch(tmp_path, "published/figures.csv", "published/notes.csv", "published/._figures.csv")
    claimed = [tmp_path / "published" / "figures.csv"]
    assert _warnings(tmp_path, claimed) == [
        ("published/._figures.csv", "file_skipped"),
        ("published/notes.csv", "file_known"),
    ]
    assert all(w["severity"] == "warning" for w in unclaimed(tmp_path, set(claimed)))


def test_documentation_and_declarations_are_never_warned_about(tmp_path):
    touch(
        tmp_path,
        "README.md",
        "published/youth_justice_ratings.NOTICE.md",
        "synthetic/metadata.json",
        "synthetic/dataset.toml",
        "synthetic/.gitkeep",
        ".hidden/cases.csv",
    )
    assert _warnings(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("extra.xls", "an Excel 97-2003 workbook"),
        ("extra.xlsm", "a macro-enabled workbook"),
        ("extra.ods", "an OpenDocument spreadsheet"),
        ("extra.TSV", "tab-separated text"),
    ],
)
def test_other_spreadsheets_are_named_with_the_way_to_save_them(tmp_path, name, what):
    touch(tmp_path, f"published/{name}")
    [warning] = unclaimed(tmp_path, set())
    assert warning["expected"] == (
        f"a .csv (UTF-8), .xlsx or .parquet file; this is {what}, which is not read. "
        "Save it as .xlsx or 'CSV UTF-8'"
    )


def test_links_to_folders_are_not_followed(tmp_path):
    touch(tmp_path, "published/figures.csv")
    (tmp_path / "published" / "loop").symlink_to(tmp_path, target_is_directory=True)
    assert _warnings(tmp_path, [tmp_path / "published" / "figures.csv"]) == []
