"""Files a user can put in data/raw: pipes, links, folders, lock files, odd CSVs, dataset
declarations. Each gives a clear message or is skipped with a note; never a hang or a
traceback; nothing is lost (catalogue D-23 to D-53, D-92 to D-95)."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest
import statsmodels
from openpyxl import Workbook

from analysis.data.build import build
from analysis.exceptions import ValidationFailed
from tests.conftest import append_frame, tree_digest
from tests.data.helpers import failing, one, passing, write_york

KQ = "published/key_questions.csv"


@pytest.fixture
def york(raw_copy) -> Path:
    return write_york(raw_copy)


def test_named_pipe_as_a_table_file(raw_copy, processed_copy, york):
    """D-23: reading a pipe would wait forever; it is reported instead."""
    (york / "cases.csv").unlink()
    os.mkfifo(york / "cases.csv")
    rows = one(failing(raw_copy, processed_copy), "regular_file")
    assert rows["file"].tolist() == ["datasets/york-2024/cases.csv"]
    assert "this is a named pipe (reading it would wait for a writer)" in rows["expected"].iloc[0]


def test_named_pipe_in_a_table_folder(raw_copy, processed_copy, york):
    """D-24."""
    (york / "cases").mkdir()
    os.mkfifo(york / "cases" / "more.csv")
    rows = one(failing(raw_copy, processed_copy), "regular_file")
    assert rows["file"].tolist() == ["datasets/york-2024/cases/more.csv"]


def test_link_that_loops(raw_copy, processed_copy, york):
    """D-25."""
    (york / "units.csv").unlink()
    (york / "units.csv").symlink_to("units.csv")
    rows = one(failing(raw_copy, processed_copy), "regular_file")
    assert "a link that leads nowhere" in rows["expected"].iloc[0]


def test_link_to_a_missing_file(raw_copy, processed_copy):
    """D-26."""
    (raw_copy / KQ).unlink()
    (raw_copy / KQ).symlink_to("/nonexistent/key_questions.csv")
    rows = one(failing(raw_copy, processed_copy), "regular_file")
    assert rows["file"].tolist() == [KQ]


def test_folder_link_loop_is_not_followed(raw_copy, tmp_path):
    """D-27: a link from a folder to its parent: no endless walk, no file read twice."""
    (raw_copy / "published" / "loop").symlink_to(raw_copy, target_is_directory=True)
    report = passing(raw_copy, tmp_path / "out")
    assert report.rows["published_key_questions"] == 12


def test_folder_named_like_a_table_file(raw_copy, processed_copy):
    """D-28."""
    (raw_copy / KQ).unlink()
    (raw_copy / KQ).mkdir()
    failures = failing(raw_copy, processed_copy)
    rows = one(failures, "regular_file")
    assert "this is a folder, so it was not read" in rows["expected"].iloc[0]
    one(failures, "file_present")


def test_folder_named_csv_in_a_table_folder_is_skipped(raw_copy, tmp_path, york):
    """D-29."""
    (york / "cases").mkdir()
    (york / "cases" / "old.csv").mkdir()
    report = passing(raw_copy, tmp_path / "out")
    rows = one(report.warnings, "regular_file")
    assert rows["file"].tolist() == ["datasets/york-2024/cases/old.csv"]


@pytest.mark.parametrize(
    ("name", "words"),
    [("._cases.csv", "a macOS resource file"), ("~$units.xlsx", "an Excel lock file")],
)
def test_resource_and_lock_files_are_skipped(raw_copy, tmp_path, york, name, words):
    """D-30, D-31."""
    (york / name).write_bytes(b"\x00\x05\x16\x07binary")
    report = passing(raw_copy, tmp_path / "out")
    rows = one(report.warnings, "file_skipped")
    assert rows["file"].tolist() == [f"datasets/york-2024/{name}"]
    assert rows["expected"].iloc[0].startswith(words)
    assert report.rows["cases"] == 108 * 6 + 20


@pytest.mark.parametrize(
    ("content", "check", "words"),
    [
        (b",,,\n,,,\n", "file_not_empty", "only separators and no values"),
        (b"region;unit;framework\nWales;x;y\n", "csv_separator", "separates them with semicolons"),
        (b"region\tunit\tframework\nWales\tx\ty\n", "csv_separator", "separates them with tabs"),
        ("region,unit\nWales,x\n".encode("utf-16"), "utf8_encoding", "the file is UTF-16"),
    ],
    ids=["only-commas", "semicolons", "tabs", "utf-16"],
)
def test_csv_that_cannot_be_read(raw_copy, processed_copy, content, check, words):
    """D-32 to D-34 (and tab-separated text saved as .csv)."""
    (raw_copy / KQ).write_bytes(content)
    rows = one(failing(raw_copy, processed_copy), check)
    assert rows["file"].tolist() == [KQ] and words in rows["expected"].iloc[0]


def test_old_excel_format_is_named(raw_copy, tmp_path):
    """D-35."""
    (raw_copy / "published" / "extra.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    rows = one(passing(raw_copy, tmp_path / "out").warnings, "file_known")
    assert "this is an Excel 97-2003 workbook, which is not read" in rows["expected"].iloc[0]


def test_unreadable_file(raw_copy, processed_copy, monkeypatch):
    """D-36: permission denied (injected: tests run as root)."""
    before = tree_digest(raw_copy), tree_digest(processed_copy)
    original, original_open = Path.read_bytes, Path.open

    def denied(self):
        if self.name == "key_questions.csv":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))
        return original(self)

    def denied_open(self, *args, **kwargs):
        if self.name == "key_questions.csv":
            denied(self)
        return original_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", denied)
    monkeypatch.setattr(Path, "open", denied_open)  # CSV files are streamed
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw_copy, processed_dir=processed_copy)
    monkeypatch.undo()
    assert (tree_digest(raw_copy), tree_digest(processed_copy)) == before
    rows = one(info.value.failures, "file_readable")
    assert "reading it failed: Permission denied" in rows["expected"].iloc[0]


def test_workbook_with_several_sheets(raw_copy, tmp_path):
    """D-37."""
    frame = pd.read_csv(raw_copy / KQ)
    wb = Workbook()
    ws = wb.active
    ws.title = "York"
    append_frame(ws, frame)
    wb.create_sheet("Notes").append(["transcribed by hand"])
    (raw_copy / KQ).unlink()
    wb.save(raw_copy / "published" / "key_questions.xlsx")
    rows = one(failing(raw_copy, tmp_path / "out"), "first_sheet_only")
    assert (
        rows["expected"]
        .iloc[0]
        .startswith(
            "one visible sheet holding data; sheet(s) 'Notes' also hold data besides 'York'"
        )
    )
    wb["Notes"].sheet_state = "hidden"  # the fix the message gives: hide the other sheet
    wb.save(raw_copy / "published" / "key_questions.xlsx")
    hidden = one(passing(raw_copy, tmp_path / "out").warnings, "hidden_sheet")
    assert (
        hidden["expected"].iloc[0] == "visible sheets only; hidden sheet(s) 'Notes' were not read"
    )


# --- dataset declarations ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("toml", "check", "words"),
    [
        (None, "dataset_declared", "a dataset.toml declaring the dataset's kind"),
        ('kind = "real\n', "toml_syntax", "valid TOML"),
        ('description = "x"\n', "dataset_kind", "the kind is declared, never guessed"),
        ('kind = "simulated"\n', "dataset_kind", "'real' or 'synthetic'"),
        ('kind = "rael"\n', "dataset_kind", "did you mean 'real'?"),
        ('kind = "real"\nname = "york"\n', "dataset_name", "the folder's name, 'york-2024'"),
        ('kind = "real"\ndecimal = ";"\n', "dataset_decimal", "'.' or ','"),
        ("kind = 1\n", "dataset_value", "text in quotes"),
    ],
    ids=[
        "missing",
        "bad-toml",
        "no-kind",
        "other-kind",
        "misspelt-kind",
        "name",
        "decimal",
        "type",
    ],
)
def test_dataset_declaration_errors(raw_copy, processed_copy, york, toml, check, words):
    """D-39 to D-43, D-46 (and a kind that is not text)."""
    if toml is None:
        (york / "dataset.toml").unlink()
    else:
        (york / "dataset.toml").write_text(toml)
    rows = one(failing(raw_copy, processed_copy), check)
    assert rows["file"].iloc[0] == "datasets/york-2024/dataset.toml"
    assert words in rows["expected"].iloc[0]


def test_dataset_folder_name_must_be_a_plain_name(raw_copy, processed_copy, york):
    """D-44."""
    york.rename(york.parent / "York 2024")
    rows = one(failing(raw_copy, processed_copy), "dataset_name")
    assert rows["file"].tolist() == ["datasets/York 2024"]


def test_unknown_key_in_a_declaration_is_a_warning(raw_copy, tmp_path, york):
    """D-45."""
    (york / "dataset.toml").write_text('kind = "real"\nlicense = "OGL"\n')
    rows = one(passing(raw_copy, tmp_path / "out").warnings, "dataset_key_known")
    assert "(did you mean 'licence'?)" in rows["expected"].iloc[0]


def test_second_dataset_called_synthetic(raw_copy, processed_copy):
    """D-47."""
    write_york(raw_copy, name="synthetic")
    rows = one(failing(raw_copy, processed_copy), "dataset_name_unique")
    assert "not already used by synthetic" in rows["expected"].iloc[0]


def test_real_declaration_beside_generator_metadata(raw_copy, processed_copy):
    """D-52: dataset.toml says real where analysis simulate wrote its metadata.json."""
    (raw_copy / "synthetic" / "dataset.toml").write_text('kind = "real"\n')
    rows = one(failing(raw_copy, processed_copy), "dataset_kind")
    assert "metadata.json in this folder says the files were simulated" in rows["expected"].iloc[0]


def test_file_directly_in_datasets_folder(raw_copy, tmp_path):
    """D-53."""
    (raw_copy / "datasets").mkdir()
    shutil.copy(raw_copy / "synthetic" / "units.csv", raw_copy / "datasets" / "units.csv")
    rows = one(passing(raw_copy, tmp_path / "out").warnings, "dataset_folder")
    assert rows["file"].tolist() == ["datasets/units.csv"]


def test_dataset_with_no_files(raw_copy, tmp_path):
    """D-83: a dataset.toml alone."""
    folder = raw_copy / "datasets" / "empty"
    folder.mkdir(parents=True)
    (folder / "dataset.toml").write_text('kind = "real"\n')
    rows = one(passing(raw_copy, tmp_path / "out").warnings, "dataset_has_rows")
    assert rows["file"].tolist() == ["data/raw/datasets/empty"]
    assert "dataset 'empty' has none, so there is nothing to analyse" in rows["expected"].iloc[0]


def test_cases_without_their_unit_context(raw_copy, tmp_path, york):
    """D-84: real cases dropped in without units.csv and unit_ratings.csv."""
    (york / "units.csv").unlink()
    (york / "unit_ratings.csv").unlink()
    rows = one(passing(raw_copy, tmp_path / "out").warnings, "unit_context_present")
    assert rows["file"].tolist() == [
        "data/raw/datasets/york-2024/units.csv",
        "data/raw/datasets/york-2024/unit_ratings.csv",
    ]
    assert rows["value"].tolist() == ["York", "York"]
    assert rows["expected"].iloc[1].startswith("domain-one ratings for every PDU")


EXCEL_97_2003 = (
    Path(statsmodels.__file__).parent
    / "tsa/statespace/tests/results/frbny_nowcast/Nowcasting/test_spec.xls"
)
"""A workbook saved by Excel in its 97-2003 format, shipped with statsmodels' own tests (a file
this project did not make)."""


def test_a_table_saved_by_excel_as_97_2003_is_an_error_not_a_missing_table(
    raw_copy, processed_copy, york
):
    """D-92: a real dataset's cases saved as 'Excel 97-2003 Workbook'. Before, the build warned
    (one warning among 21) and built the dataset without its cases, exit 0."""
    saved = EXCEL_97_2003.read_bytes()
    assert saved[:4] == b"\xd0\xcf\x11\xe0" and b"Microsoft Excel" in saved  # an OLE2 Excel file
    (york / "cases.csv").unlink()
    shutil.copy(EXCEL_97_2003, york / "cases.xls")
    failures = failing(raw_copy, processed_copy)
    rows = one(failures, "file_format")
    assert rows["file"].tolist() == ["datasets/york-2024/cases.xls"]
    assert set(rows["severity"]) == {"error"}
    assert rows["expected"].iloc[0] == (
        "a .csv (UTF-8), .xlsx or .parquet file holding table 'cases'; this is an Excel 97-2003 "
        "workbook, which is not read, so the table was not built from it. Save it as .xlsx or "
        "'CSV UTF-8'"
    )
    assert not failures["check"].eq("file_known").any()  # reported once


@pytest.mark.parametrize(
    ("name", "check", "words"),
    [
        pytest.param(
            "cases.txt", "file_format", "this is a .txt file, which is not read", id="txt"
        ),
        pytest.param("cases", "file_format", "this is a file without an extension", id="no-suffix"),
        pytest.param(
            "Cases.csv",
            "file_name",
            "a file named cases.csv for table 'cases'; this "
            "file is named Cases.csv, so it was not read. Rename it cases.csv",
            id="case",
        ),
        pytest.param("CASES.XLSX", "file_name", "Rename it cases.xlsx", id="upper-case"),
    ],
)
def test_a_file_named_for_a_table_that_is_not_read_is_an_error(
    raw_copy, processed_copy, york, name, check, words
):
    """D-93, D-94: 'Text (Tab delimited)', a lost extension, a name in capitals."""
    (york / "cases.csv").rename(york / name)
    rows = one(failing(raw_copy, processed_copy), check)
    assert rows["file"].tolist() == [f"datasets/york-2024/{name}"]
    assert words in rows["expected"].iloc[0]


def test_a_workbook_of_another_format_in_a_table_folder_is_an_error(raw_copy, processed_copy, york):
    """D-95: the parts of a table in a folder, one of them saved by Excel as 97-2003."""
    (york / "cases").mkdir()
    (york / "cases.csv").rename(york / "cases" / "part-1.csv")
    shutil.copy(EXCEL_97_2003, york / "cases" / "part-2.xls")
    rows = one(failing(raw_copy, processed_copy), "file_format")
    assert rows["file"].tolist() == ["datasets/york-2024/cases/part-2.xls"]
    assert "holding part of table 'cases'" in rows["expected"].iloc[0]


def test_notes_beside_a_table_and_other_files_in_its_folder_stay_warnings(raw_copy, tmp_path, york):
    """A note named for the table (cases.md) is not read and not reported; a file of another
    kind in a table folder (a PDF) is reported as unknown, as before."""
    (york / "cases.md").write_text("How the cases were drawn.", encoding="utf-8")
    (york / "cases").mkdir()
    (york / "cases.csv").rename(york / "cases" / "part-1.csv")
    (york / "cases" / "method.pdf").write_bytes(b"%PDF-1.4")
    report = passing(raw_copy, tmp_path / "out")
    rows = one(report.warnings, "file_known")
    assert rows["file"].tolist() == ["datasets/york-2024/cases/method.pdf"]
