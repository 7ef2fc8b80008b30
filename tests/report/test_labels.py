"""analysis.report._labels: reader headings and values for tables (the CSVs keep machine names).

Every expected heading and value is written out by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.report._labels import (
    column_label,
    column_labels,
    format_value,
    numeric_for_sorting,
)


def test_headings_come_from_the_table_then_from_the_name():
    assert column_label("p_requires_improvement") == "Chance of Requires improvement (%)"
    assert column_label("progress_pct") == "Progress (%)"  # a percentage gets "%" in the heading
    assert column_label("score_pct") == "Score (%)"
    assert column_label("") == ""


def test_repeated_headings_fall_back_to_words_then_a_number():
    assert column_labels(["n", "n", "n"]) == ["Cases", "N", "N (2)"]
    assert column_labels(["pdu", "region"]) == ["PDU", "Region"]


@pytest.mark.parametrize(
    "value, column, shown",
    [
        (None, "pct_yes", ""),
        (np.nan, "pct_yes", ""),
        (False, "borderline", "No"),
        (np.bool_(True), "agrees", "Yes"),
        (0.0004, "p_inadequate", "<0.1"),
        (0.0, "p_good", "0.0"),
        (0.0004, "p_value", "<0.001"),
        (0.04, "p_adjusted", "0.040"),
        (1234.0, "n", "1,234"),
        (2022.0, "report_year", "2022"),
        (12345, "code", "12345"),
        (3.14159, "odds_ratio", "3.14"),
        (12345.67, "caseload", "12,345.7"),
        (float("inf"), "odds_ratio", "inf"),
        ("planning_keeping_safe", "term", "Planning: keeping safe"),
        ("fdr_bh", "adjustment", "Benjamini-Hochberg"),
        ("synthetic", "source", "Synthetic"),
        ("keeping_safe", "area", "Keeping safe"),
        ("score_pct", "measure", "Score (%)"),
        ("York", "pdu", "York"),
    ],
)
def test_cells_as_a_reader_sees_them(value, column, shown):
    assert format_value(value, column) == shown


def test_interactive_values_stay_numbers_rounded_as_in_reader_tables():
    frame = pd.DataFrame(
        {
            "term": ["planning_desistance", "reviewing_engagement"],
            "p_inadequate": [0.12345, 0.9],
            "p_value": [0.012345, 0.5],
            "pct_yes": [41.666, 52.63],
            "odds_ratio": [0.81234, 1.5],
            "report_year": [2022.0, 2023.0],
            "n": [24, 19],
        }
    )
    shown = numeric_for_sorting(frame)
    assert list(shown.columns) == [
        "Measure", "Chance of Inadequate (%)", "p-value", "% answered yes", "Odds ratio",
        "Year of report", "Cases",
    ]  # fmt: skip
    assert shown["Measure"].tolist() == ["Planning: desistance", "Reviewing: engagement"]
    assert shown["Chance of Inadequate (%)"].tolist() == [12.3, 90.0]
    assert shown["p-value"].tolist() == [0.012, 0.5]
    assert shown["% answered yes"].tolist() == [41.7, 52.6]  # one decimal from 10 up
    assert shown["Odds ratio"].tolist() == [0.81, 1.5]  # two below 10
    assert str(shown["Year of report"].dtype) == "Int64" and shown["Year of report"].tolist() == [
        2022,
        2023,
    ]
    assert shown["Cases"].tolist() == [24, 19]
