"""analysis.report._tables: reader tables that fit their column.

Every expected cell, heading, caption and note is written out by hand from the small frames.
"""

from __future__ import annotations

import pandas as pd

from analysis import report
from analysis.report._tables import estimates_of, interval_pairs, reader_layout, table_html


def test_table_layout_moves_constants_merges_intervals_and_numbers_notes():
    warning = "few PDUs (6 < 30): intervals use the CR3 covariance and t with 5 df; " * 3
    frame = pd.DataFrame(
        {
            "term": ["assessment_desistance", "planning_keeping_safe", "reviewing_desistance"],
            "n": [4657, 980, 12],
            "events": [1200, 300, 4],
            "odds_ratio": [0.8123, 1.5, 12.25],
            "ci_low": [0.7, 1.01, 3.0],
            "ci_high": [0.92, 2.31, 40.0],
            "p_adjusted": [0.0004, 0.04, 0.5],
            "adjustment": ["holm"] * 3,
            "warning": [warning, warning, ""],
            "source": ["synthetic"] * 3,
        }
    )
    layout = reader_layout(frame, "Odds ratios", "term")
    shown = layout.frame
    assert list(shown.columns) == [
        "term",
        "odds_ratio",
        "interval",
        "p_adjusted",
        "n",
        "events",
        "warning",
    ]
    assert layout.constants == ["Adjustment: Holm", "Data source: Synthetic"]
    # one number style per column: the same decimals in every row, thousands separators
    assert list(shown["odds_ratio"]) == ["0.81", "1.50", "12.25"]
    assert list(shown["interval"]) == ["0.70 to 0.92", "1.01 to 2.31", "3.00 to 40.00"]
    assert list(shown["n"]) == ["4,657", "980", "12"]
    assert list(shown["p_adjusted"]) == ["<0.001", "0.040", "0.500"]
    # the long warning becomes one numbered note, shared by the rows that have it
    assert list(shown["warning"]) == ["Note 1", "Note 1", ""]
    assert layout.notes == [warning.strip()] or layout.notes == [warning]
    html = report.table_bundle(frame, "or", "Odds ratios")[0]["text/html"]
    assert "In every row: Adjustment: Holm; Data source: Synthetic." in html
    assert '<ol class="table-notes"' in html
    assert html.count("few PDUs (6 &lt; 30): intervals use the CR3") == 3  # one note, 3 times


def test_a_one_row_table_keeps_its_columns():
    frame = pd.DataFrame({"pdu": ["York"], "rating": ["Good"], "n": [20]})
    assert list(reader_layout(frame, "c", "pdu").frame.columns) == ["pdu", "rating", "n"]


def test_ranges_and_generic_intervals_become_one_column_beside_what_they_qualify():
    from analysis.report._tables import reader_layout

    frame = pd.DataFrame(
        {
            "statement": ["a", "b"],
            "period_start": ["2022-01", "2024-02"],
            "period_end": ["2022-12", "2024-02"],
            "record_certain": [13, 5],
            "record_possible": [39, 5],
            "record_likely": [23, 5],
            "progress_pct": [58.0, 50.0],
            "progress_low": [42.19, 34.85],
            "progress_high": [72.15, 65.15],
            "probably_missing": ["one report", None],
        }
    )
    layout = reader_layout(frame, "Totals", "statement")
    assert list(layout.frame.columns) == [
        "statement",
        "period",
        "record_likely",
        "record_range",
        "progress_pct",
        "progress_interval",
        "probably_missing",
    ]
    assert list(layout.frame["period"]) == ["2022-01 to 2022-12", "2024-02"]
    assert list(layout.frame["record_range"]) == ["13 to 39", "5"]
    assert list(layout.frame["progress_interval"]) == ["42.2 to 72.2", "34.9 to 65.2"]
    assert layout.notes == ["one report"] and list(layout.frame["probably_missing"]) == [
        "Note 1",
        "",
    ]


def test_intervals_follow_the_first_estimate_present():
    assert interval_pairs(["ame_ci_low", "ame_ci_high", "rate_low"]) == {
        "ame_ci_low": ("ame_ci_high", "ame_interval")
    }  # rate_low has no rate_high
    assert estimates_of("interval")[0] == "odds_ratio"
    assert estimates_of("progress_interval") == ("progress_pct", "progress")


def test_table_html_marks_up_ratings_sources_row_headers_and_counts():
    frame = pd.DataFrame(
        {
            "pdu": ["York", "Leeds"],
            "rating": ["Inadequate", "Good"],
            "n": [1200, 30],
            "source_url": ["https://example.org/york", "https://example.org/leeds"],
        }
    )
    html = table_html(frame, "Ratings <2024>", "pdu")
    assert html.startswith('<table class="data-table">\n<caption>Ratings &lt;2024&gt;</caption>')
    assert (
        '<thead><tr><th scope="col">PDU</th><th scope="col">Rating</th>'
        '<th scope="col" class="num">Cases</th><th scope="col">Source</th></tr></thead>'
    ) in html
    assert (
        '<tr><th scope="row">York</th><td><span class="rating rating-inadequate">Inadequate'
        '</span></td><td class="num">1,200</td><td class="address">'
        '<a href="https://example.org/york">https://example.org/york</a></td></tr>'
    ) in html
    assert "table-notes" not in html and "caption-constants" not in html
