"""The bad-input catalogue (issue 3, section 3; documented in docs/bad-input-catalogue.md).

Each case breaks a copy of data/raw in one way and checks the exact message a user sees
(file, row, column, check, expected) and that nothing was half-written: on an error
data/processed is byte-for-byte unchanged; on a warning the build completes and keeps the
published value. data/raw is never modified.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis.data.build import build
from analysis.exceptions import ValidationFailed
from tests.conftest import tree_digest

KQ = "published/key_questions.csv"
CASES = "synthetic/cases.csv"
RATINGS = "synthetic/unit_ratings.csv"
FACTORS = "synthetic/factors.csv"


# --- helpers ------------------------------------------------------------------------------------
def read(raw: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(raw / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write(raw: Path, name: str, frame: pd.DataFrame) -> None:
    frame.to_csv(raw / name, index=False, lineterminator="\n")


def set_cell(raw: Path, name: str, row: int, column: str, value: str) -> None:
    """Set the cell at file row ``row`` (header is row 1) of a CSV."""
    frame = read(raw, name)
    frame.loc[row - 2, column] = value
    write(raw, name, frame)


def to_xlsx(raw: Path, name: str, title_rows: int = 0) -> tuple[Workbook, Path]:
    """Replace a CSV with an .xlsx of the same table (optionally with title rows above)."""
    frame = read(raw, name)
    wb = Workbook()
    ws = wb.active
    for i in range(title_rows):
        ws.append([f"Title line {i + 1}: HM Inspectorate of Probation figures"])
    ws.append(list(frame.columns))
    for rec in frame.itertuples(index=False):
        ws.append([_num(v) for v in rec])
    path = (raw / name).with_suffix(".xlsx")
    (raw / name).unlink()
    wb.save(path)
    return wb, path


def _num(value: str):
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value or None


def fails(raw: Path, processed: Path) -> pd.DataFrame:
    """Run a build expected to fail; check nothing changed; return the failures table."""
    before_processed, before_raw = tree_digest(processed), tree_digest(raw)
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw, processed_dir=processed)
    assert tree_digest(processed) == before_processed, "a failed build changed data/processed"
    assert tree_digest(raw) == before_raw, "build modified data/raw"
    assert "Nothing was written" in str(info.value)
    return info.value.failures


def succeeds(raw: Path, processed: Path):
    before_raw = tree_digest(raw)
    report = build(raw_dir=raw, processed_dir=processed)
    assert tree_digest(raw) == before_raw, "build modified data/raw"
    return report


def only_error(failures: pd.DataFrame) -> dict:
    errors = failures[failures["severity"] == "error"]
    assert len(errors) == 1, errors.to_string()
    return errors.iloc[0].to_dict()


def has(failures: pd.DataFrame, **fields) -> dict:
    mask = pd.Series(True, index=failures.index)
    for key, value in fields.items():
        mask &= failures[key].astype(object) == value
    assert mask.any(), f"no failure with {fields} in\n{failures.to_string()}"
    return failures[mask].iloc[0].to_dict()


# --- columns --------------------------------------------------------------------------------------
def test_missing_column(raw_copy, processed_copy):
    write(raw_copy, CASES, read(raw_copy, CASES).drop(columns="rosh"))
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["file"], got["column"], got["check"]) == (CASES, "rosh", "column_present")
    assert got["expected"] == "a column named 'rosh'; add it"


def test_misspelt_column_gets_a_suggestion(raw_copy, processed_copy):
    write(raw_copy, KQ, read(raw_copy, KQ).rename(columns={"pct_yes": "pct_yse"}))
    got = only_error(fails(raw_copy, processed_copy))
    assert got["expected"] == "a column named 'pct_yes'; did you mean 'pct_yse'? Rename it"


def test_extra_column_is_a_warning_and_dropped(raw_copy, processed_copy):
    write(raw_copy, KQ, read(raw_copy, KQ).assign(comments="checked"))
    report = succeeds(raw_copy, processed_copy)
    got = has(report.warnings, file=KQ, column="comments", check="column_known")
    assert (
        got["expected"]
        == "only the columns of table 'published_key_questions'; this column was ignored"
    )
    assert "comments" not in pd.read_parquet(processed_copy / "published_key_questions.parquet")


def test_missing_file(raw_copy, processed_copy):
    (raw_copy / KQ).unlink()
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["file"], got["check"]) == ("data/raw/published/key_questions.csv", "file_present")


def test_two_files_for_one_table(raw_copy, processed_copy):
    shutil.copy(raw_copy / KQ, raw_copy / "published/key_questions.parquet")
    failures = fails(raw_copy, processed_copy)
    got = has(failures, check="one_file_per_table")
    assert got["expected"].startswith("one file for table 'published_key_questions'")


# --- values ---------------------------------------------------------------------------------------
def test_wrong_type_count(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 3, "n", "twenty")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["column"], got["value"], got["check"]) == (
        3,
        "n",
        "twenty",
        "whole_number",
    )
    assert got["expected"] == "a whole number such as 20"


def test_unknown_rating_label(raw_copy, processed_copy):
    set_cell(raw_copy, RATINGS, 5, "rating", "Satisfactory")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["file"], got["row"], got["check"]) == (RATINGS, 5, "rating_label")
    assert (
        got["expected"] == "a rating: 'Outstanding', 'Good', 'Requires improvement', 'Inadequate'"
    )


def test_misspelt_rating_label_gets_a_suggestion(raw_copy, processed_copy):
    set_cell(raw_copy, RATINGS, 5, "rating", "Requires improvment")
    got = only_error(fails(raw_copy, processed_copy))
    assert got["expected"].endswith("; did you mean 'Requires improvement'?")


def test_rating_label_case_and_spacing_are_normalised(raw_copy, processed_copy):
    set_cell(raw_copy, RATINGS, 5, "rating", "  requires   Improvement ")
    succeeds(raw_copy, processed_copy)
    out = pd.read_parquet(processed_copy / "unit_ratings.parquet")
    assert out.loc[3, "rating"] == "Requires improvement"


def test_percentage_over_100(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 2, "pct_yes", "140")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["column"], got["check"]) == (2, "pct_yes", "less_than_or_equal_to(100)")
    assert got["expected"] == "a value of at most 100"


def test_negative_percentage(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 4, "pct_yes", "-5%")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["value"], got["expected"]) == (4, "-5.0", "a value of at least 0")


def test_percentage_in_words_per_cent_is_read(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 2, "pct_yes", "70 per cent")
    succeeds(raw_copy, processed_copy)
    assert (
        pd.read_parquet(processed_copy / "published_key_questions.parquet")["pct_yes"].iloc[0]
        == 70.0
    )


def test_percentage_that_is_not_a_number(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 2, "pct_yes", "seventy")
    got = only_error(fails(raw_copy, processed_copy))
    assert got["expected"] == "a percentage such as 70, '70%' or '70 per cent'"


def test_n_yes_over_n(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 2, "n_yes", "25")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["column"], got["check"]) == (2, "n_yes", "n_yes_at_most_n")
    assert got["expected"] == "at most n = 20 (cases answered yes cannot exceed cases counted)"


def test_duplicate_case_ids(raw_copy, processed_copy):
    frame = read(raw_copy, CASES)
    frame.loc[2, "case_id"] = frame.loc[1, "case_id"]
    write(raw_copy, CASES, frame)
    failures = fails(raw_copy, processed_copy)
    errors = failures[failures["severity"] == "error"]
    assert errors["row"].tolist() == [3, 4]
    assert set(errors["expected"]) == {"a value not used by any other row (duplicate)"}


def test_unknown_answer_code(raw_copy, processed_copy):
    set_cell(raw_copy, CASES, 2, "planning_keeping_safe", "maybe")
    got = only_error(fails(raw_copy, processed_copy))
    assert got["expected"] == "one of 'yes', 'no', 'not_applicable'"


def test_answer_codes_are_normalised(raw_copy, processed_copy):
    set_cell(raw_copy, CASES, 2, "reviewing_engagement", "Not Applicable")
    succeeds(raw_copy, processed_copy)
    assert (
        pd.read_parquet(processed_copy / "cases.parquet")["reviewing_engagement"].iloc[0]
        == "not_applicable"
    )


def test_outcome_that_is_not_true_or_false(raw_copy, processed_copy):
    set_cell(raw_copy, CASES, 2, "complied", "perhaps")
    got = only_error(fails(raw_copy, processed_copy))
    assert got["expected"] == "True or False (empty where not applicable or not linked)"


def test_misspelt_offending_factor_gets_a_suggestion(raw_copy, processed_copy):
    set_cell(raw_copy, FACTORS, 4, "factor", "accomodation")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["file"], got["row"], got["column"], got["check"]) == (
        FACTORS,
        4,
        "factor",
        "allowed_value",
    )
    assert got["expected"].startswith("one of 'thinking and behaviour', 'alcohol misuse', ")
    assert got["expected"].endswith("'finance'; did you mean 'accommodation'?")


def test_offending_factor_case_and_ampersand_are_normalised(raw_copy, processed_copy):
    frame = read(raw_copy, FACTORS)
    row = int(frame.index[frame["factor"] == "thinking and behaviour"][0]) + 2
    set_cell(raw_copy, FACTORS, row, "factor", " Thinking & Behaviour ")
    succeeds(raw_copy, processed_copy)
    factors = pd.read_parquet(processed_copy / "factors.parquet")
    assert factors.loc[row - 2, "factor"] == "thinking and behaviour"


def test_factor_for_an_unknown_case_is_a_warning(raw_copy, processed_copy):
    set_cell(raw_copy, FACTORS, 3, "case_id", "SYN-N00XXX-999")
    report = succeeds(raw_copy, processed_copy)
    got = has(report.warnings, file=FACTORS, row=3, column="case_id", check="known_case")
    assert got["expected"].endswith("kept, but it cannot be linked to a case record")


# --- names ----------------------------------------------------------------------------------------
def _row_of_pdu(raw: Path, pdu: str) -> int:
    return int(read(raw, CASES).index[read(raw, CASES)["pdu"] == pdu][0]) + 2


def test_pdu_with_ampersand_is_matched(raw_copy, processed_copy):
    row = _row_of_pdu(raw_copy, "Stockton and Hartlepool")
    set_cell(raw_copy, CASES, row, "pdu", "Stockton & Hartlepool")
    succeeds(raw_copy, processed_copy)
    cases = pd.read_parquet(processed_copy / "cases.parquet")
    assert cases.loc[row - 2, "pdu"] == "Stockton and Hartlepool"


def test_unknown_pdu_gets_a_suggestion(raw_copy, processed_copy):
    row = _row_of_pdu(raw_copy, "Stockton and Hartlepool")
    set_cell(raw_copy, CASES, row, "pdu", "Stockton and Hartlepol")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["column"], got["check"]) == (row, "pdu", "known_pdu")
    assert got["expected"] == (
        "a PDU in the reference list (data/raw/reference/regions_pdus.csv); "
        "did you mean 'Stockton and Hartlepool'?"
    )


def test_unknown_region_gets_a_suggestion(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 2, "region", "Yorkshire & Humber")
    got = only_error(fails(raw_copy, processed_copy))
    assert got["check"] == "known_region"
    assert got["expected"].endswith("; did you mean 'Yorkshire and the Humber'?")


def test_pdu_in_the_wrong_region(raw_copy, processed_copy):
    row = _row_of_pdu(raw_copy, "York")
    set_cell(raw_copy, CASES, row, "region", "North East")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["column"], got["check"]) == ("region", "matches_reference")
    assert (
        got["expected"] == "'Yorkshire and the Humber', as the reference list gives for PDU 'York'"
    )


# --- files ----------------------------------------------------------------------------------------
def test_empty_file(raw_copy, processed_copy):
    (raw_copy / KQ).write_bytes(b"")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["file"], got["check"]) == (KQ, "file_not_empty")
    assert got["expected"] == "a header row and data rows; the file is empty (0 bytes)"


def test_header_only(raw_copy, processed_copy):
    write(raw_copy, KQ, read(raw_copy, KQ).iloc[:0])
    got = only_error(fails(raw_copy, processed_copy))
    assert got["expected"] == "at least one data row; the file has a header only"


def test_non_utf8_csv(raw_copy, processed_copy):
    text = (raw_copy / KQ).read_text(encoding="utf-8").replace("York PDU", "York PDU \u00a3", 1)
    (raw_copy / KQ).write_bytes(text.encode("cp1252"))
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["check"]) == (2, "utf8_encoding")
    assert got["expected"].startswith("UTF-8 text; byte 0xa3 at line 2 is not UTF-8")
    assert got["expected"].endswith("Save it again as 'CSV UTF-8'")


def test_bom_prefixed_csv_is_read(raw_copy, processed_copy):
    data = (raw_copy / KQ).read_bytes()
    (raw_copy / KQ).write_bytes(b"\xef\xbb\xbf" + data)
    report = succeeds(raw_copy, processed_copy)
    assert report.rows["published_key_questions"] == 12


def test_truncated_file(raw_copy, processed_copy):
    data = (raw_copy / CASES).read_bytes()
    (raw_copy / CASES).write_bytes(data[: len(data) // 2])
    got = only_error(fails(raw_copy, processed_copy))
    assert got["check"] == "row_length"
    assert got["expected"].endswith("the last line stops part-way, so the file looks truncated")


def test_truncated_inside_a_quoted_value(raw_copy, processed_copy):
    data = (raw_copy / KQ).read_text(encoding="utf-8")
    (raw_copy / KQ).write_text(data[: data.index('"n is the') + 5], encoding="utf-8")
    got = only_error(fails(raw_copy, processed_copy))
    assert got["check"] == "csv_syntax"
    assert "a quote is not closed: the file may be truncated" in got["expected"]


def test_na_error_code_in_csv(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 6, "pct_yes", "#N/A")
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["value"], got["check"]) == (6, "#N/A", "spreadsheet_error")
    assert (
        got["expected"]
        == "a value; this is a spreadsheet error code. Fix the formula or enter the value"
    )


def test_unknown_file_is_a_warning(raw_copy, processed_copy):
    (raw_copy / "published" / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    report = succeeds(raw_copy, processed_copy)
    has(report.warnings, file="published/notes.csv", check="file_known")


# --- spreadsheets -------------------------------------------------------------------------------
def test_excel_with_title_rows(raw_copy, processed_copy):
    to_xlsx(raw_copy, KQ, title_rows=2)
    report = succeeds(raw_copy, processed_copy)
    got = has(report.warnings, check="title_rows")
    assert (got["file"], got["row"]) == ("published/key_questions.xlsx", 3)
    kq = pd.read_parquet(processed_copy / "published_key_questions.parquet")
    assert kq["pct_yes"].tolist()[:3] == [70.0, 80.0, 25.0]


def test_excel_merged_cells(raw_copy, processed_copy):
    wb, path = to_xlsx(raw_copy, KQ)
    wb.active.merge_cells("A3:A5")
    wb.save(path)
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["check"]) == (3, "merged_cells")
    assert (
        got["expected"]
        == "one value per cell; cells A3:A5 are merged. Unmerge them and fill every cell"
    )


def test_excel_formula_error(raw_copy, processed_copy):
    wb, path = to_xlsx(raw_copy, KQ)
    wb.active["G4"] = "#DIV/0!"
    wb.save(path)
    got = only_error(fails(raw_copy, processed_copy))
    assert (got["row"], got["column"], got["value"]) == (4, "pct_yes", "#DIV/0!")


def test_excel_formula_without_saved_value(raw_copy, processed_copy):
    wb, path = to_xlsx(raw_copy, KQ)
    wb.active["G5"] = "=H5*100/20"
    wb.save(path)
    failures = fails(raw_copy, processed_copy)
    got = has(failures, check="formula_value")
    assert (got["row"], got["column"], got["value"]) == (5, "pct_yes", "=H5*100/20")


# --- dates ----------------------------------------------------------------------------------------
def test_dates_in_several_formats(raw_copy, processed_copy):
    for row, value in ((2, "16/09/2024"), (3, "16 September 2024"), (4, "16 Sep 2024")):
        set_cell(raw_copy, CASES, row, "fieldwork_start", value)
    succeeds(raw_copy, processed_copy)
    dates = pd.read_parquet(processed_copy / "cases.parquet")["fieldwork_start"].iloc[:3]
    assert set(dates) == {pd.Timestamp("2024-09-16")}


def test_month_first_date_is_rejected(raw_copy, processed_copy):
    set_cell(raw_copy, CASES, 2, "fieldwork_start", "09/16/2024")
    got = only_error(fails(raw_copy, processed_copy))
    assert (
        got["expected"]
        == "a date such as 2024-09-16, 16/09/2024 or 16 September 2024 (day before month)"
    )


# --- figures that do not add up -----------------------------------------------------------------------
def test_figures_that_do_not_add_up_warn_and_keep_published_value(raw_copy, processed_copy):
    report = succeeds(raw_copy, processed_copy)
    got = has(report.warnings, check="adds_up", value="292")
    assert got["expected"] == (
        "185 + 109 = 294 (ne25-community + ne25-licence); figures do not add up as published. "
        "The published value 292 is kept"
    )
    figures = pd.read_parquet(processed_copy / "published_figures.parquet").set_index("figure_id")
    assert figures.loc["ne25-cases", "value"] == 292


def test_new_figures_that_do_not_add_up_also_warn(raw_copy, processed_copy):
    frame = read(raw_copy, "published/figures.csv")
    frame.loc[frame["figure_id"] == "yh24-cases", "value"] = "547"
    write(raw_copy, "published/figures.csv", frame)
    report = succeeds(raw_copy, processed_copy)
    has(report.warnings, check="adds_up", value="547")


def test_every_problem_is_reported_at_once(raw_copy, processed_copy):
    set_cell(raw_copy, KQ, 2, "pct_yes", "140")
    set_cell(raw_copy, KQ, 3, "n", "twenty")
    set_cell(raw_copy, RATINGS, 5, "rating", "Satisfactory")
    failures = fails(raw_copy, processed_copy)
    errors = failures[failures["severity"] == "error"]
    assert len(errors) == 3
    assert list(failures.columns) == [
        "file",
        "row",
        "column",
        "value",
        "check",
        "expected",
        "severity",
    ]


def test_csv_helper_round_trips(raw_copy):
    """Guard for the helpers above: rewriting a CSV unchanged keeps every value."""
    before = read(raw_copy, KQ)
    write(raw_copy, KQ, before)
    with open(raw_copy / KQ, newline="", encoding="utf-8") as fh:
        assert len(list(csv.reader(fh))) == len(before) + 1
