"""src/analysis/data/extracted.py: the extracted tables' contract, as pandera models.

A table that keeps the contract comes back with the declared dtypes; every bad value (one that
is not of its column's dtype, a missing required value) and every bad header (an unknown, a
missing or a misplaced column) is refused with a failure naming the file, row, column and
value and saying what was expected. Numbers get the build's own words
(:mod:`analysis.io.numbers`), which the tests take from that module, not from a copy.
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

from analysis.data.csv_cells import escape_cell
from analysis.data.extracted import (
    FILE_NAMES,
    TABLES,
    columns,
    describe_tables,
    empty_table,
    read_extracted,
    validate_table,
)
from analysis.exceptions import ValidationFailed
from analysis.io import numbers


def _key_questions(**second_row) -> pd.DataFrame:
    """Two rows of a key_questions table as read back from its CSV (text, None where empty)."""
    first = {
        "report_id": "york-pdu-2024-12",
        "framework": "pdu-2023",
        "standard": "assessment",
        "area": "engagement",
        "key_question": "assessment_engagement",
        "question_text": "Does assessment focus sufficiently on engaging the person?",
        "pct_yes": "70.5",
        "n": "20",
        "n_basis": None,
        "source_text": "Engagement 70.5% 20",
        "location": "page 12, line 4",
        "read_as": "key-question table line",
        "source_file": "york.pdf",
    }
    second = {**first, "area": "desistance", "key_question": "assessment_desistance"}
    return pd.DataFrame([first, {**second, **second_row}])


def _refused(name: str, frame: pd.DataFrame, file: str | None = None) -> pd.DataFrame:
    with pytest.raises(ValidationFailed) as info:
        validate_table(name, frame, file=file)
    return info.value.failures


def _what(failures: pd.DataFrame) -> list[list]:
    return failures[["file", "row", "column", "value", "check", "expected"]].values.tolist()


def test_a_table_that_keeps_the_contract_comes_back_with_the_declared_dtypes():
    checked = validate_table("key_questions", _key_questions(pct_yes="55", n=None))
    assert checked.dtypes.to_dict() == columns("key_questions")
    assert checked["pct_yes"].tolist() == [70.5, 55.0]
    assert checked["n"].iloc[0] == 20 and checked["n"].isna().tolist() == [False, True]
    assert checked["n_basis"].isna().all()  # an optional column may be empty


@pytest.mark.parametrize(
    ("column", "value", "read"),
    [
        ("pct_yes", "seventy", numbers.number),
        ("pct_yes", "70,5", numbers.number),
        ("n", "20.5", numbers.count),
        ("n", "twenty", numbers.count),
    ],
)
def test_a_number_that_cannot_be_read_gets_the_builds_words(column, value, read):
    failures = _refused("key_questions", _key_questions(**{column: value}), "extracted/kq.csv")
    with pytest.raises(numbers.NumberProblem) as problem:
        read(value)
    assert _what(failures) == [
        ["extracted/kq.csv", 3, column, value, problem.value.check, problem.value.expected]
    ]


def test_a_flag_that_is_not_true_or_false_is_refused_naming_its_cell():
    row = {
        "report_id": "york-pdu-2024-12",
        "standard": "assessment",
        "prompt": "Eight out of 15 cases were sufficient.",
        "quantity_text": "eight out of 15",
        "n": "8",
        "n_relevant": "15",
        "pct": "53.3",
        "direction": "sufficient",
        "pct_sufficient": "53.3",
        "approximate": "False",
        "in_words": "perhaps",
        "source_text": "Eight out of 15 cases were sufficient.",
        "location": "line 40",
        "read_as": "fraction in words",
        "source_file": "york.txt",
    }
    frame = pd.DataFrame([row], columns=list(columns("prompts")))  # bound left empty
    assert validate_table("prompts", frame.assign(in_words="TRUE"))["in_words"].tolist() == [True]
    assert _what(_refused("prompts", frame)) == [
        [
            "prompts.csv",
            2,
            "in_words",
            "perhaps",
            "true_false",
            "True or False (empty where not known)",
        ]
    ]


def test_a_missing_required_value_is_refused_naming_its_row_and_column():
    frame = _key_questions(question_text=None, pct_yes=None)
    with pytest.raises(ValidationFailed) as info:
        validate_table("key_questions", frame)
    empty = ["not_nullable", "a value (the cell is empty)"]
    assert _what(info.value.failures) == [
        ["key_questions.csv", 3, "question_text", None, *empty],
        ["key_questions.csv", 3, "pct_yes", None, *empty],
    ]
    message = str(info.value)  # what a user sees: the headline, then one line per failure
    assert message.startswith("key_questions.csv: 2 problem(s) in the key_questions table\n")
    assert "question_text" in message and "a value (the cell is empty)" in message


def test_a_required_number_refused_as_unreadable_is_not_reported_again_as_missing():
    failures = _refused("key_questions", _key_questions(pct_yes="n/a"))
    assert failures[["row", "column", "check"]].values.tolist() == [[3, "pct_yes", "number"]]


def test_every_problem_of_a_table_is_reported_at_once():
    failures = _refused("key_questions", _key_questions(n="x", question_text=None, pct_yes="?"))
    assert sorted(failures["column"]) == ["n", "pct_yes", "question_text"]
    assert set(failures["row"]) == {3} and set(failures["severity"]) == {"error"}


def test_an_unknown_column_is_refused_naming_it_and_the_columns_expected():
    frame = _key_questions().assign(comment="checked by hand")
    (failure,) = _refused("key_questions", frame, "extracted/key_questions.csv").to_dict("records")
    assert failure["file"] == "extracted/key_questions.csv" and failure["row"] is None
    assert failure["column"] == "comment" and failure["check"] == "columns in order"
    assert failure["value"] == ", ".join(frame.columns)
    assert failure["expected"].startswith(", ".join(columns("key_questions")) + " in this order")
    assert failure["expected"].endswith("not in the key_questions table: comment")


def test_a_missing_or_renamed_column_is_refused_naming_both_names():
    frame = _key_questions().rename(columns={"pct_yes": "percent"})
    (failure,) = _refused("key_questions", frame).to_dict("records")
    assert failure["column"] == "percent, pct_yes"
    assert failure["expected"].endswith("not in the key_questions table: percent; missing: pct_yes")
    (dropped,) = _refused("key_questions", frame.drop(columns="percent")).to_dict("records")
    assert dropped["column"] == "pct_yes" and dropped["expected"].endswith("missing: pct_yes")


def test_columns_in_another_order_are_refused_naming_the_first_out_of_place():
    frame = _key_questions()
    order = ["framework", "report_id", *frame.columns[2:]]
    (failure,) = _refused("key_questions", frame[order]).to_dict("records")
    assert failure["column"] == "framework" and failure["check"] == "columns in order"


def test_describe_tables_lists_each_models_columns_dtypes_and_meanings():
    described = describe_tables()
    assert list(described["table"].unique()) == list(TABLES) == list(FILE_NAMES)
    for name in TABLES:
        mine = described[described["table"] == name]
        assert mine["column"].tolist() == list(columns(name)) == list(empty_table(name))
        assert mine["dtype"].tolist() == [str(d) for d in empty_table(name).dtypes]
    pct = described.set_index(["table", "column"]).loc[("key_questions", "pct_yes")]
    assert pct.tolist() == ["Float64", False, "percentage 'Yes' as printed"]
    assert described.set_index(["table", "column"]).loc[("key_questions", "n"), "nullable"]
    provenance = ["source_text", "location", "read_as", "source_file"]
    for name in ("ratings", "key_questions", "prompts", "figures"):
        assert list(columns(name))[-4:] == provenance


def test_read_extracted_checks_each_file_and_reads_formula_safe_cells_back(tmp_path):
    folder = tmp_path / "extracted"
    folder.mkdir()
    frame = _key_questions(source_text="=70.5+1")
    frame.map(escape_cell).to_csv(folder / "key_questions.csv", index=False)
    bad = pd.DataFrame([{"file": "a.txt", "report_id": "", "warning": ""}])
    bad.to_csv(folder / "warnings.csv", index=False)
    claimed: set = set()
    tables, inputs, problems = read_extracted(tmp_path, claimed)
    assert list(tables) == ["extracted_key_questions"]
    assert tables["extracted_key_questions"]["source_text"].tolist()[1] == "=70.5+1"
    digest = hashlib.sha256((folder / "key_questions.csv").read_bytes()).hexdigest()
    assert inputs == [
        {
            "file": "extracted/key_questions.csv",
            "table": "extracted_key_questions",
            "rows": 2,
            "sha256": digest,
        }
    ]
    assert [(p["file"], p["row"], p["column"], p["check"]) for p in problems] == [
        ("extracted/warnings.csv", 2, "warning", "not_nullable")
    ]
    assert claimed == {folder / "key_questions.csv", folder / "warnings.csv"}


def test_without_an_extracted_folder_nothing_is_read(tmp_path):
    assert read_extracted(tmp_path, set()) == ({}, [], [])
