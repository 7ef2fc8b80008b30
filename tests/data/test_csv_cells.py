"""analysis.data.csv_cells: formula cells escaped on writing and read back as they were written.

Which cells are escaped is tested with the reader CSVs that use the same rule
(tests/report/test_csv_safety.py); here, reading back: a CSV written through the rule and read
with :func:`unescape_cell` / :func:`unescape_frame` gives the text that was written.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.data.csv_cells import escape_cell, safe_for_csv, unescape_cell, unescape_frame


@pytest.mark.parametrize(
    ("stored", "read"),
    [
        ("'=1+1", "=1+1"),
        ("'@SUM(A1:A9)", "@SUM(A1:A9)"),
        ("'\t=1", "\t=1"),
        ("'  -2+3", "  -2+3"),
        ("'tis", "'tis"),  # an apostrophe the rule would not have added stays
        ("'-3.2", "'-3.2"),  # a plain number is never escaped, so this apostrophe is data
        ("York", "York"),
        ("'", "'"),
        ("", ""),
    ],
)
def test_only_the_apostrophe_the_rule_adds_is_removed(stored, read):
    assert unescape_cell(stored) == read


def test_values_that_are_not_text_pass_through():
    for value in (None, 3, -3.2, True):
        assert escape_cell(value) is value
        assert unescape_cell(value) is value


@given(st.text().filter(lambda text: not text.startswith("'")))
def test_text_written_through_the_rule_reads_back_unchanged(text):
    assert unescape_cell(escape_cell(text)) == text


def test_text_that_already_starts_with_an_apostrophe_reads_back_unchanged():
    assert unescape_cell(escape_cell("'=1")) == "'=1"


def test_a_frame_written_safely_reads_back_as_it_was():
    frame = pd.DataFrame(
        {
            "unit": ['=HYPERLINK("http://x","York")', "York", "+44 20 7946 0000"],
            "quote": ["-in few cases-", "'tis", "@risk"],
            "pct": ["70", "-3.2", "25%"],
        }
    )
    text = safe_for_csv(frame).to_csv(index=False, lineterminator="\n")
    assert text.splitlines()[1] == '"\'=HYPERLINK(""http://x"",""York"")",\'-in few cases-,70'
    stored = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(unescape_frame(stored), frame)
