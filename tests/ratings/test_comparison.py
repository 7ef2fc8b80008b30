"""analysis.ratings.comparison: the ratings a rounded table allows, for each standard and
overall, and the status of each computed rating beside the published one.

Expected values are worked by hand from ``frameworks/pdu-2023.toml``: bands Outstanding >= 80,
Good >= 65, RI >= 50 (unrounded); scores 3 / 2 / 1 / 0; overall bands Inadequate 0-3, RI 4-10;
and its guidance rule (every case-supervision standard Inadequate: leadership would normally
be Inadequate), quoted from York PDU 2024 (seed 003).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks
from analysis.frameworks.dtypes import RATING_DTYPE
from analysis.ratings.comparison import (
    STATUSES,
    comparison_statuses,
    possible_overall,
    possible_ranges,
)

FW = frameworks.get("pdu-2023")
CASE_BASED = list(FW.case_based_standards)


KQ_FIELDS = ["area", "n_applicable", "n_yes", "n_yes_low", "n_yes_high", "pct_given"]


def _kq(unit, standard, rows):
    """Key-question rows of one standard; each row gives the values of KQ_FIELDS."""
    records = [dict(zip(KQ_FIELDS, row, strict=True)) for row in rows]
    return [
        {"unit": unit, "standard": standard, "key_question": f"{standard}_{r['area']}", **r}
        for r in records
    ]


def _ranges(kq_rows, std_rows):
    kq = pd.DataFrame(kq_rows)
    std = pd.DataFrame(
        std_rows, columns=["unit", "standard", "rating", "lowest_key_question", "lowest_pct"]
    )
    return possible_ranges(kq, std, FW).set_index(std["standard"])


# n_yes, the lowest and highest counts that print as given, and the value given, of the
# engagement, desistance and keeping-safe questions (n cases each)
STRADDLES = [(130, 129, 131, "65"), (160, 160, 160, "80"), (180, 180, 180, "90")]
ON_EDGE = [(22, 22, 22, "65"), (27, 27, 27, "79"), (29, 29, 29, "85")]
COUNTS = [(13, 13, 13, ""), (15, 15, 15, ""), (14, 14, 14, 70.0)]
NUMBERS = [(22, 22, 22, 64.7), (27, 27, 27, 79.4), (29, 29, 29, 85.3)]
SPANS = "the rounded percentages allow a lowest key-question score from 64.5% to 65.5%, which "
UNROUNDED = (
    "the lowest score is 64.71% unrounded (22 of 34), Requires improvement, but the printed "
)


@pytest.mark.parametrize(
    "n, rows, rating, lowest, expected, ambiguity",
    [
        # 65% of 200 prints for 129, 130 or 131: 64.5% (RI) to 65.5% (Good)
        (200, STRADDLES, "Good", 65.0, ("65%", "Good or Requires improvement", True),
         SPANS + "spans Good and Requires improvement"),
        # 65% of 34 is only 22 = 64.71%: Requires improvement unrounded, Good as printed
        (34, ON_EDGE, "Requires improvement", 100 * 22 / 34,
         ("65%", "Good or Requires improvement", True), UNROUNDED + "65% is Good; whether bands "
         "apply to printed or unrounded percentages is not confirmed"),
        # counts given as counts: one rating, shown as a count
        (20, COUNTS, "Good", 65.0, ("13/20", "Good", False), None),
        # a number given with one decimal is shown as written: only 22 of 34 prints as 64.7
        (34, NUMBERS, "Requires improvement", 100 * 22 / 34,
         ("64.7%", "Requires improvement", False), None),
    ],
    ids=["straddles an edge", "printed on an edge", "counts", "a number given"],
)  # fmt: skip
def test_the_ratings_a_standards_printed_figures_allow(
    n, rows, rating, lowest, expected, ambiguity
):
    figures = [(a, n, *r) for a, r in zip(frameworks.AREAS, rows, strict=True)]
    std = [("A", "planning", rating, "planning_engagement", lowest)]
    row = _ranges(_kq("A", "planning", figures), std).iloc[0]
    assert (row["lowest_pct_given"], row["possible_ratings"], bool(row["ambiguous"])) == expected
    assert row["ambiguity"] == ambiguity


def test_a_standard_without_applicable_cases_allows_nothing():
    kq = _kq("A", "reviewing", [(a, 0, 0, 0, 0, "not applicable") for a in frameworks.AREAS])
    row = _ranges(kq, [("A", "reviewing", np.nan, None, np.nan)]).iloc[0]
    assert row["lowest_pct_given"] is None and row["possible_ratings"] is None
    assert row["ambiguous"] is pd.NA


def test_the_overall_ratings_each_ambiguous_standard_allows():
    std = pd.DataFrame(
        {
            "unit": "A",
            "standard": CASE_BASED,
            "rating": ["Good", "Requires improvement", "Requires improvement", "Inadequate"],
            "possible_ratings": ["Good or Requires improvement", np.nan, np.nan, "Inadequate"],
        }
    )
    basis = pd.DataFrame(
        {"unit": "A", "standard": ["leadership", "staffing", "services"], "rating": "Inadequate"}
    )
    overall = pd.DataFrame({"unit": ["A", "B"], "overall_score": [4, np.nan]})
    # A: 0 + 0 + 0 + (2 or 1) + 1 + 1 + 0 = 4 (RI) or 3 (Inadequate); B: no score
    assert possible_overall(std, basis, overall, FW) == ["Requires improvement or Inadequate", None]


def test_certain_standards_allow_one_overall_rating():
    std = pd.DataFrame(
        {"unit": "A", "standard": CASE_BASED, "rating": "Requires improvement",
         "possible_ratings": "Requires improvement"}
    )  # fmt: skip
    basis = pd.DataFrame(
        {"unit": "A", "standard": ["leadership", "staffing", "services"], "rating": "Good"}
    )
    overall = pd.DataFrame({"unit": ["A"], "overall_score": [10]})
    assert possible_overall(std, basis, overall, FW) == ["Requires improvement"]  # 6 + 4 = 10


# --- statuses -------------------------------------------------------------------------------


def _status_of(comparison_rows, std_rows, published_rows, overall_rows=()):
    comparison = pd.DataFrame(
        comparison_rows, columns=["unit", "standard", "computed_rating", "published_rating"]
    )
    std = pd.DataFrame(
        std_rows, columns=["unit", "standard", "rating", "possible_ratings", "ambiguous"]
    )
    std["ambiguous"] = std["ambiguous"].astype("boolean")
    published = pd.DataFrame(published_rows, columns=["unit", "standard", "rating"])
    overall = pd.DataFrame(list(overall_rows), columns=["unit", "possible_ratings"])
    return comparison_statuses(comparison, std, overall, published, FW)


def test_agrees_ambiguous_differs_and_unpublished():
    out = _status_of(
        [
            ("A", "assessment", "Good", "Good"),
            ("A", "planning", "Requires improvement", "Good"),
            ("A", "implementation_and_delivery", "Inadequate", "Requires improvement"),
            ("A", "reviewing", "Inadequate", None),
            ("A", "overall", "Inadequate", "Requires improvement"),
        ],
        [
            ("A", "assessment", "Good", "Good", False),
            ("A", "planning", "Requires improvement", "Good or Requires improvement", True),
            ("A", "implementation_and_delivery", "Inadequate", "Inadequate", False),
            ("A", "reviewing", "Inadequate", "Inadequate", False),
        ],
        [],
        [("A", "Requires improvement or Inadequate")],
    )
    assert out["status"].tolist() == [
        *("agrees", "ambiguous", "differs", "no published rating", "ambiguous")
    ]
    assert out["note"][1] == (
        "published Good is one of the possible ratings (Good or Requires improvement)"
    )
    assert out["possible_ratings"][4] == "Requires improvement or Inadequate"
    assert list(out["status"].cat.categories) == list(STATUSES)
    assert out["guidance_rating"].dtype == RATING_DTYPE and out["guidance_rating"].isna().all()


def test_a_published_leadership_better_than_the_guidance_is_a_departure():
    case_based = [(u, s, "Inadequate", "Inadequate", False) for u in "AB" for s in CASE_BASED]
    case_based[-1] = ("B", "reviewing", "Inadequate", "Inadequate or Requires improvement", True)
    out = _status_of(
        [
            ("A", "leadership", None, "Requires improvement"),
            ("A", "staffing", None, "Requires improvement"),
            ("B", "leadership", None, "Good"),
        ],
        case_based,
        [("A", "leadership", "Requires improvement"), ("B", "leadership", "Good")],
    ).set_index(["unit", "standard"])
    (rule,) = FW.guidance_rules
    york = out.loc[("A", "leadership")]
    assert (york["status"], york["guidance_rating"]) == ("departure", "Inadequate")
    assert york["note"] == (
        "published Requires improvement, but the guidance would normally indicate Inadequate. "
        f"Rule: {rule.sentence()}"
    )
    assert out.loc[("A", "staffing"), "status"] == "not rated from cases"  # no rule for it
    # B's reviewing is ambiguous, so the guidance's footing is said to be
    assert (
        "(the case-supervision ratings it rests on are ambiguous)"
        in out.loc[("B", "leadership"), "note"]
    )


def test_published_case_ratings_stand_in_where_none_is_computed():
    # unit C has no key-question figures; its published case ratings are all Inadequate
    published = [("C", s, "Inadequate") for s in CASE_BASED] + [("C", "leadership", "Inadequate")]
    out = _status_of([("C", "leadership", None, "Inadequate")], [], published)
    row = out.iloc[0]
    assert (row["status"], row["guidance_rating"]) == ("follows guidance", "Inadequate")
    assert row["note"] == FW.guidance_rules[0].sentence()


@pytest.mark.parametrize("planning", ["Requires improvement", None])
def test_the_guidance_is_not_applied_unless_every_case_rating_is_inadequate(planning):
    # one case standard better than Inadequate, or not known: the rule is not applied
    std = [("A", s, "Inadequate", "Inadequate", False) for s in CASE_BASED if s != "planning"]
    published = [("A", "leadership", "Good")]
    if planning:
        published.append(("A", "planning", planning))
    out = _status_of([("A", "leadership", None, "Good")], std, published)
    assert out.iloc[0]["status"] == "not rated from cases" and pd.isna(out.iloc[0]["note"])
