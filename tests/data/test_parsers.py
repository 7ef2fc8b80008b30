"""analysis.data.parsers: each column parser reads what it may and records a failure for the rest.

Columns are given as the build hands them over: cleaned text, None for an empty cell, file
rows from 2 (the header is row 1).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.data.metadata import DatasetInfo
from analysis.data.parsers import PARSERS, ColumnInput, finish_column, parse_column
from analysis.data.tables import TABLES

REFERENCE = pd.DataFrame(
    {
        "region": ["North East", "Wales", "Yorkshire and the Humber", "Yorkshire and the Humber"],
        "pdu": ["Stockton and Hartlepool", "Cardiff & Vale", "York", "Leeds"],
    }
)
ALIASES = pd.DataFrame({"alias": ["Cardiff and the Vale"], "pdu": ["Cardiff & Vale"]})
UNITS = {"reference": REFERENCE, "aliases": ALIASES}
COMMAS = {"dataset": DatasetInfo(name="york-2024", kind="real", decimal=",")}


def column(
    values: list, context: dict | None = None, *, first_row: int = 2, failures=None, state=None
) -> ColumnInput:
    """A column of a file's rows from ``first_row``; a chunk shares ``failures`` and ``state``."""
    rows = list(range(first_row, first_row + len(values)))
    series = pd.Series(values, dtype=object)
    failures = [] if failures is None else failures
    return ColumnInput(
        series, "col", "f.csv", rows, context or {}, failures, {} if state is None else state
    )


def parse(kind: str, values: list, context: dict | None = None) -> tuple[list, list[tuple]]:
    """Parsed values (missing ones as None) and the failures as (row, value, check)."""
    col = column(values, context)
    parsed = pd.Series(parse_column(kind, col), dtype=object)
    out = [None if pd.isna(v) else v for v in parsed]
    return out, [(f["row"], f["value"], f["check"]) for f in col.failures]


def expected_of(kind: str, values: list, context: dict | None = None) -> list[str]:
    col = column(values, context)
    parse_column(kind, col)
    return [f["expected"] for f in col.failures]


def test_the_registry():
    assert sorted(PARSERS) == [
        "bool", "category", "code", "count", "date", "label",
        "number", "pct", "pdu", "rating", "region", "text",
    ]  # fmt: skip


def test_every_schema_field_names_a_registered_parser():
    for table in TABLES.values():
        for name, kind in table.kinds.items():
            assert kind.partition(":")[0] in PARSERS, (table.name, name, kind)


def test_text_is_kept_as_text():
    assert parse("text", ["York", None, 3]) == (["York", None, "3"], [])


# --- numbers ---------------------------------------------------------------------------------------
def test_percentages_in_every_written_form():
    parsed, failures = parse("pct", ["70%", "70 per cent", "+70", "25 %", "", None, "seventy"])
    assert parsed == [70.0, 70.0, 70.0, 25.0, None, None, None]
    assert failures == [(8, "seventy", "percentage")]  # a blank cell is missing, not wrong


def test_counts_read_thousands_and_refuse_fractions():
    parsed, failures = parse("count", ["1,543", "20", 20.0, "20.5"])
    assert parsed == [1543, 20, 20, None]
    assert failures == [(5, "20.5", "whole_number")]
    assert expected_of("count", ["20.5"]) == ["a whole number such as 20 (no fraction)"]


def test_a_decimal_comma_is_read_only_where_the_dataset_declares_it():
    assert parse("number", ["0,119", "12,9"], COMMAS) == ([0.119, 12.9], [])
    parsed, failures = parse("number", ["12,9"])
    assert parsed == [None] and failures == [(2, "12,9", "number")]
    [words] = expected_of("number", ["12,9"])
    assert "'12,9' has a decimal comma" in words
    assert words.endswith(
        ', or set decimal = "," in the dataset.toml of a dataset whose files all use commas'
    )


def fractions(*chunks: list) -> list[dict]:
    """Parse a percentage column in chunks sharing one state, then finish it."""
    state: dict = {}
    failures: list = []
    row = 2
    for values in chunks:
        parse_column("pct", column(values, first_row=row, failures=failures, state=state))
        row += len(values)
    finish_column(state, failures)
    return failures


def test_a_percentage_column_of_fractions_is_reported_once():
    [found] = fractions(["1", "0.7"], ["0.25", ""])
    assert (found["row"], found["value"], found["check"]) == (3, "0.7", "percentage_scale")
    assert found["expected"].endswith("a value of 0.7 would be read as 0.7%")


def test_one_percentage_above_one_anywhere_in_the_file_clears_the_column():
    assert fractions(["0.7", "0.5"], ["70"]) == []
    assert fractions(["0", "1"]) == []  # no fraction at all: 0% and 1% are plausible
    assert fractions([None, ""]) == []


# --- categories and labels ---------------------------------------------------------------------
def test_codes_ignore_case_spaces_and_hyphens():
    parsed, failures = parse("code:rosh", ["Very High", "very-high", "LOW", "hihg"])
    assert parsed == ["very_high", "very_high", "low", None]
    assert failures == [(5, "hihg", "allowed_value")]
    assert expected_of("code:rosh", ["hihg"]) == [
        "one of 'low', 'medium', 'high', 'very_high'; did you mean 'high'?"
    ]


def test_codes_without_a_fixed_list_are_only_made_canonical():
    assert parse("code:category", ["Published Ratings", "pdu"]) == (
        ["published_ratings", "pdu"],
        [],
    )


def test_labels_are_matched_as_unit_names_are():
    parsed, failures = parse(
        "label:offending_factor", [" Thinking & Behaviour", "ete", "accomodation"]
    )
    assert parsed == ["thinking and behaviour", "ETE", None]
    assert failures == [(4, "accomodation", "allowed_value")]
    assert expected_of("label:offending_factor", ["accomodation"])[0].endswith(
        "; did you mean 'accommodation'?"
    )


def test_ratings_keep_the_frameworks_spelling():
    parsed, failures = parse("rating", ["requires improvement", "GOOD", "Satisfactory"])
    assert parsed == ["Requires improvement", "Good", None]
    assert failures == [(4, "Satisfactory", "rating_label")]
    assert expected_of("rating", ["Satisfactory"]) == [
        "a rating: 'Outstanding', 'Good', 'Requires improvement', 'Inadequate'"
    ]


def test_ratings_are_ordered_worst_first():
    values = parse_column("rating", column(["Good", "Inadequate", "Outstanding"]))
    assert list(values.categories) == ["Inadequate", "Requires improvement", "Good", "Outstanding"]
    assert values.ordered


def test_dates_are_read_day_first():
    parsed, failures = parse("date", ["16/09/2024", "2024-09-16", "09/16/2024", None])
    assert parsed == [pd.Timestamp("2024-09-16")] * 2 + [None, None]
    assert failures == [(4, "09/16/2024", "date")]


def test_true_and_false_in_their_usual_spellings():
    parsed, failures = parse("bool", ["Yes", "false", "1.0", 0, True, "perhaps", None])
    assert parsed == [True, False, True, False, True, None, None]
    assert failures == [(7, "perhaps", "true_false")]


# --- units -----------------------------------------------------------------------------------------
def test_pdus_by_name_or_alias():
    parsed, failures = parse(
        "pdu", ["Stockton & Hartlepool", "cardiff and the vale", "Yrok", "Atlantis"], UNITS
    )
    assert parsed == ["Stockton and Hartlepool", "Cardiff & Vale", None, None]
    assert failures == [(4, "Yrok", "known_pdu"), (5, "Atlantis", "known_pdu")]
    assert expected_of("pdu", ["Yrok", "Atlantis"], UNITS) == [
        "a PDU in the reference list (data/raw/reference/regions_pdus.csv); did you mean 'York'?",
        "a PDU in the reference list (data/raw/reference/regions_pdus.csv); add it to the "
        "reference list if it is new",
    ]


def test_regions_and_the_national_level_where_allowed():
    assert parse("region:national", ["national", "wales"], UNITS) == (["National", "Wales"], [])
    parsed, failures = parse("region", ["national"], UNITS)
    assert parsed == [None] and failures == [(2, "national", "known_region")]
    assert expected_of("region", ["Yorkshire & Humber"], UNITS) == [
        "a region in the reference list (North East, Wales, Yorkshire and the Humber); "
        "did you mean 'Yorkshire and the Humber'?"
    ]


@pytest.mark.parametrize("kind", ["pdu", "region"])
def test_without_a_reference_list_unit_names_pass_as_given(kind):
    assert parse(kind, ["Yrok", None]) == (["Yrok", None], [])


# --- reading each distinct value once ---------------------------------------------------------------
def test_each_distinct_text_is_read_once_and_failures_come_in_row_order():
    calls: list = []

    def read(value):
        calls.append(value)
        return None if value == "bad" else value.upper()

    col = column(["bad", "ok", "bad", None, "ok", "bad"])
    parsed = col.each(read, "check", lambda value: f"not {value!r}", missing="-")
    assert list(parsed) == ["-", "OK", "-", "-", "OK", "-"]
    assert sorted(calls) == ["bad", "ok"]
    assert [(f["row"], f["expected"]) for f in col.failures] == [
        (2, "not 'bad'"),
        (4, "not 'bad'"),
        (7, "not 'bad'"),
    ]


def test_values_of_other_types_are_read_one_by_one():
    """1, 1.0 and True are one key to pandas: each is read as itself."""
    col = column([1, 1.0, True, np.nan])
    parsed = col.each(lambda value: type(value).__name__, missing="empty")
    assert list(parsed) == ["int", "float", "bool", "empty"]
