"""analysis.report._interactive: sortable tables that work from a keyboard and a screen reader.

Outside reference: WCAG 2's contrast ratio (tests/report/plots/common.py) for the sort arrows.
"""

from __future__ import annotations

import json
import re

import pandas as pd

from analysis.report._interactive import SORT_ARROW_CSS, datatable_html
from tests.report.plots.common import contrast


def test_interactive_table_keeps_numbers_sortable_with_reader_headings():
    from analysis.report._interactive import datatable_html
    from analysis.report._labels import numeric_for_sorting

    frame = pd.DataFrame(
        {
            "pdu": ["York", "Leeds"],
            "standard": ["planning", "assessment"],
            "standard_name": ["Planning", "Assessment"],
            "p_good": [0.123456, 0.9],
            "n_applicable": [24, 19],
            "borderline": [True, False],
        }
    )
    shown = numeric_for_sorting(frame)
    assert list(shown.columns) == [
        "PDU",
        "Standard",
        "Standard name",
        "Chance of Good (%)",
        "Applicable cases",
        "Borderline",
    ]
    assert shown["Chance of Good (%)"].tolist() == [12.3, 90.0]  # numbers, so they sort by value
    assert shown["Applicable cases"].tolist() == [24, 19]
    assert shown["Borderline"].tolist() == ["Yes", "No"]
    html = datatable_html(frame, "Ratings by PDU: York", max_bytes=2**20)
    assert "n_applicable" not in html and "Applicable cases" in html
    assert '"Pages of the table: " + label' in html.replace("'", '"')
    assert '"Ratings by PDU: York"' in html and "event.key === ' '" in html


def test_the_script_labels_the_landmark_of_its_own_table():
    caption = 'Rates "by" band'
    html = datatable_html(pd.DataFrame({"pdu": ["York"], "n": [30]}), caption, max_bytes=2**20)
    (table_id,) = re.findall(r'<table id="([^"]+)"', html)
    assert f"var id = {json.dumps(table_id)}, label = {json.dumps(caption)}" in html
    assert SORT_ARROW_CSS.strip().splitlines()[0] in html


def test_sort_arrows_reach_three_to_one_against_white():
    colours = set(re.findall(r"color: (#[0-9a-f]{6})", SORT_ARROW_CSS))
    assert colours == {"#505a5f", "#0b0c0c"}
    assert all(contrast(c, "#ffffff") >= 3 for c in colours)
    assert contrast("#505a5f", "#ffffff") >= 7  # as the module says
