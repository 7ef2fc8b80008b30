"""analysis.data.pooling: real and synthetic rows are never pooled or mislabelled.

Small frames stand for the tables the build has parsed: each row knows its file (``file_``)
and file row (``row_``), and stacked case-level tables carry their ``dataset``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.metadata import DatasetInfo
from analysis.data.pooling import coverage, dataset_checks, legacy_files, shared_ids, usable
from tests.data.helpers import parsed

REAL = DatasetInfo(name="york-2024", kind="real", folder="datasets/york-2024")
SYNTHETIC = DatasetInfo(name="synthetic", kind="synthetic", folder="synthetic")


def rows(file: str, **columns: list) -> pd.DataFrame:
    """A parsed table of one file from its columns."""
    return parsed(file, pd.DataFrame(columns).to_dict("records"))


def found(records) -> list[tuple]:
    return [(r["file"], r["row"], r["value"], r["check"], r["severity"]) for r in records]


@pytest.mark.parametrize(
    ("info", "file", "sources", "first", "expected"),
    [
        (
            REAL,
            "datasets/york-2024/cases.csv",
            ["York records", "synthetic", " Synthetic "],
            (3, "synthetic", "error"),
            "a source naming where these real data come from; "
            "data/raw/datasets/york-2024/dataset.toml declares 'york-2024' real but these rows "
            'say synthetic. Declare kind = "synthetic" or correct the source (2 rows)',
        ),
        (
            SYNTHETIC,
            "synthetic/cases.csv",
            ["synthetic", "simulated"],
            (3, "simulated", "warning"),
            "'synthetic', as data/raw/synthetic/dataset.toml declares; the rows are treated as "
            "synthetic whatever their source says",  # one row: no count
        ),
    ],
    ids=["real-rows-saying-synthetic", "synthetic-rows-saying-otherwise"],
)
def test_rows_whose_source_contradicts_the_declared_kind(info, file, sources, first, expected):
    """Real rows saying synthetic are an error; a synthetic sample stays synthetic, with a
    note. Either is reported once per file, at its first row."""
    [problem] = dataset_checks("cases", info, rows(file, source=sources))
    row, value, severity = first
    assert found([problem]) == [(file, row, value, "source_matches_kind", severity)]
    assert problem["expected"] == expected


def test_rows_that_agree_with_their_kind_pass():
    assert dataset_checks("cases", REAL, rows("a.csv", source=["York records"])) == []
    assert dataset_checks("cases", SYNTHETIC, rows("b.csv", source=["synthetic"])) == []
    assert dataset_checks("units", REAL, rows("c.csv", pdu=["York"])) == []  # no source column


def test_true_effects_belong_to_synthetic_datasets_only():
    truth = rows("datasets/york-2024/truth.csv", term=["x"], source=["York records"])
    assert found(dataset_checks("truth", REAL, truth)) == [
        ("datasets/york-2024/truth.csv", None, None, "truth_is_synthetic", "error")
    ]
    assert dataset_checks("truth", SYNTHETIC, rows("t.csv", source=["synthetic"])) == []


def test_case_files_outside_a_dataset_are_refused_and_claimed(tmp_path):
    (tmp_path / "cases").mkdir()
    for name in ("york.csv", "leeds.xlsx", "notes.txt", ".york.csv"):
        (tmp_path / "cases" / name).write_text("x\n", encoding="utf-8")
    claimed: set = set()
    reported = legacy_files(tmp_path, [(REAL, tmp_path), (SYNTHETIC, tmp_path)], claimed)
    assert [(r["file"], r["check"]) for r in reported] == [
        ("cases/leeds.xlsx", "in_a_dataset"),
        ("cases/york.csv", "in_a_dataset"),
    ]
    assert claimed == {tmp_path / "cases" / "leeds.xlsx", tmp_path / "cases" / "york.csv"}
    assert reported[0]["expected"].endswith(
        "(datasets present: 'york-2024' (real), 'synthetic' (synthetic)). "
        "Nothing was read from this file"
    )
    assert "(datasets present: none)" in legacy_files(tmp_path, [], set())[0]["expected"]


def test_a_case_in_two_datasets_is_an_error_on_each_row():
    stacked = pd.DataFrame(
        {
            "case_id": ["C1", "C2", "C1"],
            "dataset": ["synthetic", "synthetic", "york-2024"],
            "file_": ["synthetic/cases.csv", "synthetic/cases.csv", "datasets/york-2024/cases.csv"],
            "row_": [2, 3, 2],
        }
    )
    reported = shared_ids("cases", stacked)
    assert found(reported) == [
        ("synthetic/cases.csv", 2, "C1", "case_in_one_dataset", "error"),
        ("datasets/york-2024/cases.csv", 2, "C1", "case_in_one_dataset", "error"),
    ]
    assert "datasets 'synthetic' and 'york-2024' both hold this case" in reported[0]["expected"]
    assert shared_ids("cases", stacked[stacked["dataset"] == "synthetic"]) == []
    assert shared_ids("units", stacked) == []


def test_a_usable_reference_keeps_the_first_of_a_repeated_pdu():
    reference = pd.DataFrame(
        {
            "region": ["Y&H", "Y&H", "GM", "NW"],
            "pdu": ["York", "york ", "Public Protection Community", "Public Protection Community"],
            "unit_type": ["geographic", "geographic", "functional", "functional"],
        }
    )
    kept = usable("reference", reference)
    assert kept["pdu"].tolist() == [
        "York",
        "Public Protection Community",
        "Public Protection Community",
    ]
    assert kept.index.tolist() == [0, 1, 2]
    assert usable("cases", reference) is reference


def test_a_dataset_with_no_rows_is_warned_about():
    empty = DatasetInfo(name="empty", kind="real", folder="datasets/empty")
    tables = {"cases": pd.DataFrame({"pdu": ["York"], "dataset": ["york-2024"]})}
    reported = coverage([(empty, None)], tables)
    assert found(reported) == [
        ("data/raw/datasets/empty", None, None, "dataset_has_rows", "warning")
    ]


def test_cases_without_their_pdus_unit_context_are_warned_about():
    pdus = [f"PDU {i}" for i in range(8)]
    tables = {
        "cases": pd.DataFrame({"pdu": pdus, "dataset": ["york-2024"] * 8}),
        "units": pd.DataFrame({"pdu": pdus, "dataset": ["york-2024"] * 8}),
        "unit_ratings": pd.DataFrame({"pdu": ["PDU 0"], "dataset": ["york-2024"]}),
        "reference": pd.DataFrame({"pdu": pdus}),  # not a dataset's table
    }
    [warning] = coverage([(REAL, None)], tables)
    assert (warning["file"], warning["column"], warning["check"]) == (
        "data/raw/datasets/york-2024/unit_ratings.csv",
        "pdu",
        "unit_context_present",
    )
    assert warning["value"] == "PDU 1, PDU 2, PDU 3, PDU 4, PDU 5, PDU 6 and 1 more"
    assert warning["expected"].startswith(
        "domain-one ratings for every PDU of the dataset's cases; none for PDU 1"
    )
