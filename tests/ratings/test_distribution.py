"""analysis.ratings.distribution: how published ratings are distributed by round, re-inspections,
the standards most often Inadequate, published ratings as a long table, and the 2013 factor
table with its implied counts.

Intervals are checked against statsmodels' Wilson interval; the 2013 figures are those of
../shared/domain.md, section 5 (seed 002: thinking and behaviour, 38 cases, 58% / 50%;
accommodation, 14 cases, 86% / 71%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.ratings.distribution import (
    DISTRIBUTION_COLUMNS,
    ROUND_LABELS,
    factor_intervals,
    published_long,
    rating_distribution,
    reinspections,
    round_label,
    round_name,
    standards_failing,
)


def _wilson_pct(k, n):
    return [100 * v for v in proportion_confint(k, n, method="wilson")]


def test_round_labels_and_names():
    assert round_label("pdu-2021") == ROUND_LABELS["pdu-2021"]
    assert "nine standards, scored out of 27" in round_label("pdu-2021")
    assert round_label(None) == round_label(np.nan) == "framework not known"
    assert round_label("youth-2018") == "youth-2018"
    assert round_name(round_label("pdu-2023")) == "the current programme (from October 2023)"
    assert round_name("framework not known") == "framework not known"


def test_counts_and_shares_with_wilson_intervals():
    frame = pd.DataFrame({"overall_rating": ["Good", " good", "Inadequate", None, "Satisfactory"]})
    out = rating_distribution(frame)
    assert list(out.columns) == DISTRIBUTION_COLUMNS
    assert out["rating"].tolist() == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    # reports without a rating (None, a label that is not one) are left out of the total
    assert out["n"].tolist() == [0, 2, 0, 1] and set(out["total"]) == {3}
    good = out.iloc[1]
    assert good["share_pct"] == pytest.approx(200 / 3)
    np.testing.assert_allclose([good["ci_low"], good["ci_high"]], _wilson_pct(2, 3))


def test_rounds_are_counted_apart_and_an_unknown_round_keeps_its_own_group():
    frame = pd.DataFrame(
        {
            "framework": ["pdu-2021", "pdu-2023", "pdu-2023", None],
            "standard_rating": ["Inadequate", "Good", "Inadequate", "Good"],
        }
    )
    frame["round"] = frame["framework"].map(round_label)
    out = rating_distribution(frame, rating="standard_rating", by="round")
    totals = out.groupby("round")["total"].first()
    assert totals.to_dict() == {
        ROUND_LABELS["pdu-2021"]: 1,
        ROUND_LABELS["pdu-2023"]: 2,
        "framework not known": 1,
    }


@pytest.fixture
def reports():
    return pd.DataFrame(
        {
            "pdu": ["X", "Y", "X", "Z", "Y", "W", "W", None, None],
            "report_date_iso": [
                *("2022-03", "2021-11", "2024-06", "2024-01", "2024-09", "2023-01", None),
                *("2022-01", "2024-01"),
            ],
            "framework": ["pdu-2021", "pdu-2021", "pdu-2023", "pdu-2023", "pdu-2023"]
            + ["pdu-2023", "pdu-2023", "pdu-2021", "pdu-2023"],
            "overall_rating": ["Inadequate", "Good", "Requires improvement", "Good", "Inadequate"]
            + ["Good", "Good", "Good", "Inadequate"],
        }
    )


def test_reinspections_set_the_first_report_beside_the_latest(reports):
    out = reinspections(reports).set_index("pdu")
    assert list(out.columns) == [
        *("n_reports", "first_date", "first_framework", "first_rating", "latest_date"),
        *("latest_framework", "latest_rating", "change"),
    ]
    # Z has one report; the two reports without a PDU are not a PDU
    assert sorted(out.index) == ["W", "X", "Y"]
    x = out.loc["X"]
    assert (x["first_date"], x["latest_date"], x["change"]) == ("2022-03", "2024-06", "better")
    assert x["first_framework"] == ROUND_LABELS["pdu-2021"]
    assert x["latest_framework"] == ROUND_LABELS["pdu-2023"]
    assert out.loc["Y", "change"] == "worse"  # Good in 2021, Inadequate in 2024
    # a report without a date counts as the latest
    assert (out.loc["W", "first_date"], out.loc["W", "change"]) == ("2023-01", "same")


def test_a_change_needs_both_ratings(reports):
    reports.loc[reports["pdu"] == "X", "overall_rating"] = ["Inadequate", "not rated"]
    assert pd.isna(reinspections(reports).set_index("pdu").loc["X", "change"])


def test_standards_failing_per_round_with_wilson_intervals():
    frame = pd.DataFrame(
        {
            "framework": ["pdu-2021", "pdu-2021", "pdu-2021", "pdu-2023", "pdu-2023", None],
            "court_work": ["Inadequate", "Inadequate", "Good", None, None, "Inadequate"],
            "planning": ["Inadequate", "Good", "Good", "Inadequate", "Inadequate", "Inadequate"],
            "staffing": [None] * 6,
        }
    )
    out = standards_failing(frame)
    assert list(out.columns) == [
        *("framework", "round", "standard", "standard_name", "reports_rating_it", "inadequate"),
        *("inadequate_pct", "ci_low", "ci_high"),
    ]
    # a report whose framework is not known is not counted; staffing is rated by none
    assert out[["framework", "standard", "reports_rating_it", "inadequate"]].values.tolist() == [
        ["pdu-2021", "court_work", 3, 2],
        ["pdu-2021", "planning", 3, 1],
        ["pdu-2023", "planning", 2, 2],
    ]
    court = out.iloc[0]
    assert court["standard_name"] == "Court work" and court["round"] == ROUND_LABELS["pdu-2021"]
    assert court["inadequate_pct"] == pytest.approx(200 / 3)
    np.testing.assert_allclose([court["ci_low"], court["ci_high"]], _wilson_pct(2, 3))


def test_published_long_lists_only_the_ratings_stated():
    wide = pd.DataFrame(
        {
            "unit": ["York PDU", "Selby PDU"],
            "leadership": ["Requires improvement", None],
            "assessment": ["inadequate", "Good"],
            "court_work": ["Good", "Good"],  # not a standard of pdu-2023
            "overall_rating": ["Inadequate", None],
        }
    )
    long = published_long(wide, "pdu-2023")
    assert long.values.tolist() == [
        ["York PDU", "leadership", "Requires improvement"],
        ["York PDU", "assessment", "Inadequate"],
        ["Selby PDU", "assessment", "Good"],
        ["York PDU", "overall", "Inadequate"],
    ]


def test_factor_intervals_of_the_2013_table():
    factors = pd.DataFrame(
        [("thinking and behaviour", 38, 58, 50), ("accommodation", 14, 86, 71)],
        columns=["factor", "n_cases", "pct_interventions_sufficient", "pct_progress_sufficient"],
    ).assign(publication="York and North Yorkshire Probation Trust", year=2014)
    out = factor_intervals(factors)
    assert list(out.columns) == [
        *("factor", "n_cases", "interventions_sufficient", "interventions_pct"),
        *("interventions_low", "interventions_high", "progress_sufficient", "progress_pct"),
        *("progress_low", "progress_high", "count_unique", "publication", "year"),
    ]
    # 22/38 = 57.9% and 19/38 = 50%; 12/14 = 85.7% and 10/14 = 71.4%: each the only count
    assert out["interventions_sufficient"].tolist() == [22, 12]
    assert out["progress_sufficient"].tolist() == [19, 10]
    assert out["count_unique"].all()
    np.testing.assert_allclose(
        out[["interventions_low", "interventions_high"]].iloc[0], _wilson_pct(22, 38)
    )
    np.testing.assert_allclose(out[["progress_low", "progress_high"]].iloc[1], _wilson_pct(10, 14))
