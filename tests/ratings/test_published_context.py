"""analysis.ratings.published_context: published ratings beside the context the same reports
state, and their rank correlation where enough reports state a measure.

Spearman's rho is worked by hand (and checked with scipy); its interval is the Fisher
transformation with the Fieller, Hartley and Pearson (1957) standard error sqrt(1.06 / (n - 3)).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.ratings.distribution import ROUND_LABELS
from analysis.ratings.published_context import MIN_UNITS, context_association, context_table


def test_figures_are_matched_to_the_pdu_report_of_the_same_unit_and_year():
    published = pd.DataFrame(
        {
            "unit": ["York PDU", "York PDU", "North East region", "Selby PDU"],
            "unit_type": ["pdu", "pdu", "region", "pdu"],
            "report_year": [2024, 2021, 2025, "2024"],
            "framework": ["pdu-2023", "pdu-2021", "pdu-2023", "pdu-2023"],
            "overall_rating": [
                "Inadequate",
                "Good",
                "Requires improvement",
                "Requires improvement",
            ],
        }
    )
    figures = pd.DataFrame(
        {
            "unit": ["York PDU", "York PDU", "York PDU", "North East region", "Selby PDU", "Hull PDU"],
            "year": [2024, 2021, 2024, 2025, 2024, 2024],
            "topic": ["staffing", "caseload", "outcomes", "staffing", "sample", "staffing"],
            "measure": ["staff in post", "caseload", "charged", "staff in post", "cases", "staff"],
            "value": [94.0, 543.0, 3.0, 90.0, 20.0, 80.0],
            "value_unit": ["%", "cases", "cases", "%", "cases", "%"],
            "note": "",
            "address": "https://example.org",
        }
    )  # fmt: skip
    out = context_table(published, figures)
    assert list(out.columns) == [
        *("unit", "year", "framework", "round", "overall_rating", "rating_order", "topic"),
        *("measure", "value", "value_unit", "note", "address"),
    ]
    # left out: an outcomes figure (not context), the region's figure, Hull (no report)
    assert out[["framework", "measure", "unit", "value"]].values.tolist() == [
        ["pdu-2021", "caseload", "York PDU", 543.0],
        ["pdu-2023", "cases", "Selby PDU", 20.0],
        ["pdu-2023", "staff in post", "York PDU", 94.0],
    ]
    # Inadequate 0, Requires improvement 1, Good 2, Outstanding 3
    assert out["rating_order"].tolist() == [2, 1, 0]
    assert out["round"].tolist() == [ROUND_LABELS["pdu-2021"]] + [ROUND_LABELS["pdu-2023"]] * 2


def _table(values, orders, measure="vacancy", framework="pdu-2023"):
    return pd.DataFrame(
        {"framework": framework, "measure": measure, "value": values, "rating_order": orders}
    )


def test_rho_and_its_interval_by_hand():
    # ranks 1..5 against 1.5, 1.5, 3.5, 3.5, 5: Σ dx dy = 9, Σ dx² = 10, Σ dy² = 9
    row = context_association(_table([10, 20, 30, 40, 50], [0, 0, 1, 1, 2])).iloc[0]
    rho = 9 / math.sqrt(90)
    assert MIN_UNITS == 5 and row["units"] == 5
    assert row["rho"] == pytest.approx(rho)
    assert row["rho"] == pytest.approx(stats.spearmanr([10, 20, 30, 40, 50], [0, 0, 1, 1, 2])[0])
    z, se = math.atanh(rho), math.sqrt(1.06 / 2)
    assert row["ci_low"] == pytest.approx(math.tanh(z - 1.96 * se))
    assert row["ci_high"] == pytest.approx(math.tanh(z + 1.96 * se))
    assert row["note"] == "Spearman's rho across 5 PDU reports (one per PDU); ecological"


def test_a_measure_or_rating_that_does_not_vary_gives_no_estimate():
    for values, orders in (([30] * 6, [0, 1, 2, 0, 1, 2]), ([1, 2, 3, 4, 5, 6], [1] * 6)):
        row = context_association(_table(values, orders)).iloc[0]
        assert np.isnan(row["rho"]) and np.isnan(row["ci_low"])
        assert row["note"] == "the measure or the rating does not vary across these reports"


def test_each_round_and_measure_is_counted_apart_missing_values_left_out():
    table = pd.concat(
        [
            _table([1.0, 2.0, np.nan, 4.0, 5.0], [0, 1, 1, 2, 2]),  # 4 with a value
            _table([1, 2, 3, 4, 5], [0, 1, 1, 2, 2], framework="pdu-2021"),
            _table([7], [1], measure="caseload"),
        ]
    )
    out = context_association(table).set_index(["framework", "measure"])
    assert out["units"].to_dict() == {
        ("pdu-2021", "vacancy"): 5,
        ("pdu-2023", "caseload"): 1,
        ("pdu-2023", "vacancy"): 4,
    }
    assert np.isnan(out.loc[("pdu-2023", "vacancy"), "rho"])
    assert out.loc[("pdu-2023", "caseload"), "note"] == (
        "1 PDU report of this round states this measure; at least 5 are needed for an "
        "interval, so no association is estimated"
    )
    assert out.loc[("pdu-2021", "vacancy"), "rho"] > 0


def test_the_fewest_units_can_be_set():
    table = _table([1, 2, 3, 4], [0, 0, 1, 2])
    assert np.isnan(context_association(table).iloc[0]["rho"])
    assert not np.isnan(context_association(table, min_units=4).iloc[0]["rho"])
