"""Reader CSVs never hold a cell a spreadsheet would run as a formula."""

import csv
import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis import report
from analysis.report.csv_safety import FORMULA_TRIGGERS, escape_cell, safe_for_csv, to_safe_csv


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1", "'  =1"),
        ('=HYPERLINK("http://x","York")', '\'=HYPERLINK("http://x","York")'),
        ("-3.2", "-3.2"),
        ("+5", "+5"),
        ("-1e-05", "-1e-05"),
        ("York", "York"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_escape_cell(value, expected):
    assert escape_cell(value) == expected


@given(st.text(min_size=1))
def test_no_escaped_text_starts_a_formula(text):
    escaped = escape_cell(text)
    first = escaped.lstrip(" ")[:1]
    if first in FORMULA_TRIGGERS or escaped[:1] in ("\t", "\r"):
        float(escaped)  # only a plain number may start with + or -


def test_numbers_stay_numbers_and_text_columns_are_escaped():
    frame = pd.DataFrame(
        {
            "unit": ["=cmd|' /C calc'!A0", "York"],
            "change": [-1.5, 2.0],
            "rating": pd.Categorical(["@bad", "Good"]),
            "=col": ["x", "y"],
        },
        index=pd.Index(["-a", "b"]),
    )
    safe = safe_for_csv(frame)
    assert list(safe["unit"]) == ["'=cmd|' /C calc'!A0", "York"]
    assert list(safe["change"]) == [-1.5, 2.0]
    assert list(safe["rating"]) == ["'@bad", "Good"]
    assert list(safe.columns) == ["unit", "change", "rating", "'=col"]
    assert list(safe.index) == ["'-a", "b"]
    assert frame.loc["-a", "unit"].startswith("=")  # the input is not changed
    rows = list(csv.reader(io.StringIO(to_safe_csv(frame))))
    assert rows[1] == ["'=cmd|' /C calc'!A0", "-1.5", "'@bad", "x"]


def test_report_tables_write_safe_csv():
    frame = pd.DataFrame({"pdu": ["=1+1", "York"], "pct": [-0.5, 70.0]})
    _, metadata = report.table_bundle(frame, "t", "A table")
    rows = list(csv.reader(io.StringIO(metadata["analysis/table"]["csv"])))
    # every download names its dataset; outside a run nobody declared it, so it reads as real
    assert rows == [
        ["pdu", "pct", "dataset", "data_kind"],
        ["'=1+1", "-0.5", "not stated", "real"],
        ["York", "70.0", "not stated", "real"],
    ]
