"""Never misread a number or a name (catalogue D-59 to D-81): Excel formats, decimal commas,
non-finite and huge numbers, fractions in a percentage column, control characters, alias
targets, repeated PDUs and published scores. Each asserts the message and that nothing was
lost (raw and processed unchanged on an error; raw unchanged on a warning)."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis import config
from tests.data.helpers import failing, one, passing, write_york

KQ = "published/key_questions.csv"
FIGURES = "published/figures.csv"
RATINGS = "published/published_ratings.csv"
REFERENCE = "reference/regions_pdus.csv"
ALIASES = "reference/pdu_aliases.csv"


def read(raw, name):
    return pd.read_csv(raw / name, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write(raw, name, frame):
    frame.to_csv(raw / name, index=False, lineterminator="\n")


def set_cell(raw, name, row, column, value):
    """Set the cell at file row ``row`` (header is row 1) of a CSV."""
    frame = read(raw, name)
    frame.loc[row - 2, column] = value
    write(raw, name, frame)


def kq_workbook(raw, fmt_column: str, value, number_format: str) -> None:
    """key_questions as .xlsx with row 2's ``fmt_column`` cell formatted ``number_format``."""
    frame = read(raw, KQ)
    wb = Workbook()
    ws = wb.active
    ws.append(list(frame.columns))
    for rec in frame.itertuples(index=False):
        ws.append([_num(v) for v in rec])
    cell = ws.cell(row=2, column=list(frame.columns).index(fmt_column) + 1)
    cell.value, cell.number_format = value, number_format
    (raw / KQ).unlink()
    wb.save(raw / "published" / "key_questions.xlsx")


def _num(value):
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value or None


def test_excel_percentage_format_is_read_as_shown(raw_copy, tmp_path):
    """D-59: a cell holding 0.7 shown as 70% is 70, not 0.7."""
    kq_workbook(raw_copy, "pct_yes", 0.7, "0%")
    passing(raw_copy, tmp_path / "out")
    kq = pd.read_parquet(tmp_path / "out" / "published_key_questions.parquet")
    published = read(config.RAW_DIR, KQ)["pct_yes"].astype(float).tolist()
    assert kq["pct_yes"].tolist() == published  # 70 for assessment_engagement, as published


def test_excel_percentage_format_in_a_count_column(raw_copy, processed_copy):
    """D-60."""
    kq_workbook(raw_copy, "n", 0.2, "0%")
    rows = one(failing(raw_copy, processed_copy), "whole_number")
    assert rows[["row", "column", "value"]].values.tolist() == [[2, "n", "20.0%"]]


def test_fractions_in_a_percentage_column(raw_copy, processed_copy):
    """D-61: 0.7 for 70% throughout a column."""
    frame = read(raw_copy, KQ)
    frame["pct_yes"] = (frame["pct_yes"].astype(float) / 100).map(str)
    write(raw_copy, KQ, frame)
    rows = one(failing(raw_copy, processed_copy), "percentage_scale")
    assert rows[["row", "column", "value"]].values.tolist() == [[2, "pct_yes", "0.7"]]
    assert "a value of 0.7 would be read as 0.7%" in rows["expected"].iloc[0]


@pytest.mark.parametrize(
    ("name", "column", "value", "check", "words"),
    [
        (FIGURES, "value", "12,9", "number", "'12,9' has a decimal comma"),
        (KQ, "pct_yes", "70,5%", "percentage", "'70,5' has a decimal comma"),
        (KQ, "n", "inf", "whole_number", "a finite whole number such as 20; 'inf' is not one"),
        (KQ, "n", "nan", "whole_number", "'nan' is not one. Leave the cell empty"),
        (KQ, "n", "1e30", "whole_number", "at most 1,000,000,000; 1e30 is too large"),
        (KQ, "n", "20.5", "whole_number", "a whole number such as 20 (no fraction)"),
        (KQ, "n", "1 000", "whole_number", "a whole number such as 20"),
        (FIGURES, "value", "inf", "number", "a finite number such as 0.21; 'inf' is not one"),
        (FIGURES, "value", "-Infinity", "number", "'-Infinity' is not one"),
        (KQ, "pct_yes", "nan", "percentage", "a finite percentage such as 70; 'nan' is not one"),
    ],
    ids=[
        "decimal-comma",
        "pct-decimal-comma",
        "inf-count",
        "nan-count",
        "huge-count",
        "fraction-count",
        "space-thousands",
        "inf-number",
        "minus-infinity",
        "nan-pct",
    ],
)
def test_numbers_that_are_refused(raw_copy, processed_copy, name, column, value, check, words):
    """D-62, D-65, D-67 to D-71 (and a space as thousands separator, -Infinity, nan as pct)."""
    set_cell(raw_copy, name, 2, column, value)
    rows = one(failing(raw_copy, processed_copy), check)
    assert rows[["file", "row", "column", "value"]].values.tolist() == [[name, 2, column, value]]
    assert words in rows["expected"].iloc[0]


def test_thousands_separator_in_a_count_is_read(raw_copy, tmp_path):
    """D-66: '1,543' caseload is 1543."""
    set_cell(raw_copy, "synthetic/units.csv", 2, "caseload", "1,543")
    passing(raw_copy, tmp_path / "out")
    units = pd.read_parquet(tmp_path / "out" / "units.parquet")
    assert units["caseload"].iloc[0] == 1543


def test_dataset_declaring_decimal_commas(raw_copy, tmp_path):
    """D-63: decimal = "," in dataset.toml: '0,119' is 0.119 and '95,7' is 95.7."""
    folder = write_york(raw_copy, toml_extra='decimal = ","\n')
    set_cell(folder.parent, "york-2024/units.csv", 2, "vacancy_rate", "0,119")
    set_cell(folder.parent, "york-2024/units.csv", 2, "staff_in_post_pct", "95,7")
    passing(raw_copy, tmp_path / "out")
    units = pd.read_parquet(tmp_path / "out" / "units.parquet")
    york = units[units["dataset"] == "york-2024"].iloc[0]
    assert york["vacancy_rate"] == 0.119 and york["staff_in_post_pct"] == 95.7


def test_point_in_a_decimal_comma_dataset(raw_copy, processed_copy):
    """D-64."""
    folder = write_york(raw_copy, toml_extra='decimal = ","\n')
    set_cell(folder.parent, "york-2024/units.csv", 2, "vacancy_rate", "0.119")
    rows = one(failing(raw_copy, processed_copy), "number")
    assert "as this dataset's dataset.toml declares" in rows["expected"].iloc[0]


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("case_id", "YRK24-\x00001", "U+0000"),
        ("pdu", "Yo\x07rk", "U+0007"),
        ("source", "records\x1b[0m", "U+001B"),
    ],
    ids=["nul-in-id", "bell-in-name", "escape-in-source"],
)
def test_control_characters(raw_copy, processed_copy, column, value, code):
    """D-72, D-73: a NUL byte in an id, other control characters in names."""
    folder = write_york(raw_copy)
    set_cell(folder.parent, "york-2024/cases.csv", 2, column, value)
    failures = failing(raw_copy, processed_copy)
    rows = one(failures, "control_character")
    assert rows["file"].iloc[0] == "datasets/york-2024/cases.csv"
    assert code in rows["expected"].iloc[0] and rows["row"].iloc[0] == 2


def test_alias_to_an_unknown_pdu(raw_copy, processed_copy):
    """D-74: an alias whose target is not in the reference list (would create a 109th PDU)."""
    frame = read(raw_copy, ALIASES)
    frame.loc[len(frame)] = ["Yorke", "Yrok", "typo"]
    write(raw_copy, ALIASES, frame)
    rows = one(failing(raw_copy, processed_copy), "alias_target_known")
    assert rows[["row", "column", "value"]].values.tolist() == [[len(frame) + 1, "pdu", "Yrok"]]
    assert "did you mean 'York'?" in rows["expected"].iloc[0]


def test_alias_that_is_another_pdus_name(raw_copy, processed_copy):
    """D-75."""
    frame = read(raw_copy, ALIASES)
    frame.loc[len(frame)] = ["Leeds", "York", "wrong"]
    write(raw_copy, ALIASES, frame)
    rows = one(failing(raw_copy, processed_copy), "alias_not_a_pdu")
    assert "'Leeds' is a PDU of its own, so it cannot also mean 'York'" in rows["expected"].iloc[0]


def test_reference_list_naming_a_pdu_twice(raw_copy, processed_copy):
    """D-76."""
    frame = read(raw_copy, REFERENCE)
    york = frame[frame["pdu"] == "York"].iloc[0].copy()
    york["pdu_code"] = "N55YRK2"
    york["pdu"] = "york "
    frame.loc[len(frame)] = york
    write(raw_copy, REFERENCE, frame)
    rows = one(failing(raw_copy, processed_copy), "pdu_named_once")
    assert sorted(rows["row"].tolist()) == [83, len(frame) + 1]
    assert f"rows 83, {len(frame) + 1} name the same PDU" in rows["expected"].iloc[0]


def test_functional_units_may_share_a_name_across_regions(raw_copy, tmp_path):
    """D-77: as in the Ministry of Justice list (Public Protection Community, N50 and N51)."""
    frame = read(raw_copy, REFERENCE)
    shared = frame[frame["pdu"] == "Public Protection Community"]
    assert sorted(shared["region"]) == ["Greater Manchester", "North West"]
    report = passing(raw_copy, tmp_path / "out")
    assert report.rows["reference"] == len(frame)


@pytest.mark.parametrize(
    ("score", "check"), [("28/27", "score_at_most_maximum"), ("0/0", "score_at_most_maximum")]
)
def test_impossible_scores(raw_copy, processed_copy, score, check):
    """D-78, D-81."""
    row = read(raw_copy, RATINGS).index[read(raw_copy, RATINGS)["unit"] == "York PDU"][0] + 2
    set_cell(raw_copy, RATINGS, row, "score", score)
    rows = one(failing(raw_copy, processed_copy), check)
    assert rows[["row", "column", "value"]].values.tolist() == [[row, "score", score]]


def test_score_out_of_an_unknown_maximum_is_kept_with_warnings(raw_copy, tmp_path):
    """D-79: '2/25' for a seven-standard inspection, as one source reported it."""
    report = passing(raw_copy, tmp_path / "out")
    known = one(report.warnings, "score_maximum_known")
    assert known["value"].tolist() == ["2/25"]
    assert (
        known["expected"].iloc[0].startswith("a score out of a framework's maximum: 21 (pdu-2023)")
    )
    summed = one(report.warnings, "score_matches_ratings")
    assert summed["expected"].iloc[0].startswith("2/21, the sum of the seven standard ratings")
    published = pd.read_parquet(tmp_path / "out" / "published_ratings.parquet")
    assert "2/25" in set(published["score"])  # kept as published


def test_score_that_is_not_the_sum_of_its_ratings(raw_copy, tmp_path):
    """D-80: York 2024 published 3/21; changed to 5/21 it no longer matches its ratings."""
    frame = read(raw_copy, RATINGS)
    row = frame.index[frame["unit"] == "York PDU"][0] + 2
    set_cell(raw_copy, RATINGS, row, "score", "5/21")
    rows = one(passing(raw_copy, tmp_path / "out").warnings, "score_matches_ratings")
    york = rows[rows["row"] == row]
    assert york["expected"].iloc[0].startswith("3/21, the sum of the seven standard ratings")
