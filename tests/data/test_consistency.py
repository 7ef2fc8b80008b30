"""analysis.data.consistency: names and published scores against the reference list and frameworks.

Scores are worked by hand from the rating points of ../shared/domain.md (Outstanding 3, Good 2,
Requires improvement 1, Inadequate 0) and the maxima of the framework TOML files (pdu-2023:
seven standards, 21; pdu-2021: nine, 27; probation-2018: ten, 30; youth-2018: twelve, 36).
York PDU 2024 published 3/21: three domain-one standards Requires improvement, four
domain-two standards Inadequate.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.data.consistency import alias_checks, reference_checks, score_checks
from tests.data.helpers import failure_rows, parsed

RI, INADEQUATE, GOOD = "Requires improvement", "Inadequate", "Good"
SEVEN = ("leadership", "staffing", "services", "assessment", "planning")
SEVEN += ("implementation_and_delivery", "reviewing")
YORK_2024 = dict(zip(SEVEN, [RI] * 3 + [INADEQUATE] * 4, strict=True))


# --- the reference list ---------------------------------------------------------------------------
def reference(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return parsed(
        "reference/regions_pdus.csv",
        [{"region": r, "pdu": p, "unit_type": t} for r, p, t in rows],
    )


def test_a_pdu_named_twice_is_an_error_on_both_rows():
    ref = reference(
        ("Yorkshire and the Humber", "York", "geographic"),
        ("North East", "Sunderland", "geographic"),
        ("Yorkshire and the Humber", "york PDU", "geographic"),
    )
    reported = reference_checks(ref, {})
    assert failure_rows(reported) == [
        (2, "pdu", "York", "pdu_named_once", "error"),
        (4, "pdu", "york PDU", "pdu_named_once", "error"),
    ]
    assert reported[0]["expected"] == (
        "each PDU once; rows 2, 4 name the same PDU, so cases could not be matched to one "
        "unit. Keep one row"
    )


def test_functional_units_may_share_a_name_only_across_regions():
    across = reference(
        ("Greater Manchester", "Public Protection Community", "functional"),
        ("North West", "Public Protection Community", "functional"),
    )
    assert reference_checks(across, {}) == []
    within = reference(
        ("North West", "Public Protection Community", "functional"),
        ("North West", "Public Protection Community", "functional"),
    )
    assert [r["row"] for r in reference_checks(within, {})] == [2, 3]


# --- aliases --------------------------------------------------------------------------------------
REF = pd.DataFrame({"pdu": ["York", "Leeds", "Cardiff & Vale"]})


def aliases(*pairs: tuple[str, str]) -> pd.DataFrame:
    return parsed("reference/pdu_aliases.csv", [{"alias": a, "pdu": p} for a, p in pairs])


def test_aliases_to_reference_pdus_pass():
    good = aliases(("Cardiff and the Vale", "Cardiff and Vale"), ("York PDU", "York"))
    assert alias_checks(good, {"reference": REF}) == []


def test_an_alias_to_an_unknown_pdu_is_an_error_with_the_closest_name():
    [error] = alias_checks(aliases(("Yorke", "Yrok")), {"reference": REF})
    assert failure_rows([error]) == [(2, "pdu", "Yrok", "alias_target_known", "error")]
    assert error["expected"].endswith(
        "would create a PDU that does not exist; did you mean 'York'?"
    )


def test_an_alias_that_is_another_pdus_name_is_an_error():
    [error] = alias_checks(aliases(("Leeds", "York")), {"reference": REF})
    assert failure_rows([error]) == [(2, "alias", "Leeds", "alias_not_a_pdu", "error")]
    assert error["expected"] == (
        "a spelling that is not itself a reference PDU; 'Leeds' is a PDU of its own, so it "
        "cannot also mean 'York'"
    )


def test_aliases_are_not_checked_without_a_reference_list():
    assert alias_checks(aliases(("Leeds", "York")), {}) == []


# --- published scores ---------------------------------------------------------------------------
def scores(*rows: tuple[str, dict]) -> pd.DataFrame:
    empty = dict.fromkeys(SEVEN)
    return parsed(
        "published/published_ratings.csv",
        [{"score": s, **empty, **ratings} for s, ratings in rows],
    )


def test_york_2024_scores_the_sum_of_its_ratings():
    assert score_checks(scores(("3/21", YORK_2024)), {}) == []


def test_a_score_that_is_not_the_sum_of_its_ratings_is_kept_with_a_warning():
    [warning] = score_checks(scores(("5/21", YORK_2024)), {})
    assert failure_rows([warning]) == [(2, "score", "5/21", "score_matches_ratings", "warning")]
    assert warning["expected"] == (
        "3/21, the sum of the seven standard ratings given (Requires improvement, Requires "
        "improvement, Requires improvement, Inadequate, Inadequate, Inadequate, Inadequate); "
        "kept as published"
    )


@pytest.mark.parametrize("score", ["22/21", "28/27", "0/0"])
def test_a_score_above_its_maximum_is_an_error(score):
    [error] = score_checks(scores((score, {})), {})
    assert failure_rows([error]) == [(2, "score", score, "score_at_most_maximum", "error")]


def test_a_score_out_of_no_frameworks_maximum_is_kept_with_a_warning():
    [warning] = score_checks(scores(("2/25", {})), {})
    assert failure_rows([warning]) == [(2, "score", "2/25", "score_maximum_known", "warning")]
    assert warning["expected"] == (
        "a score out of a framework's maximum: 21 (pdu-2023), 27 (pdu-2021), "
        "30 (probation-2018), 36 (youth-2018); kept as published"
    )


def test_a_27_point_score_is_bounded_by_the_seven_ratings_given():
    """Seven of nine pdu-2021 standards given: Good x2 + RI x5 = 9 points, the other two add
    at most 2 x 3 = 6, so 9/27 to 15/27 agree with the ratings; 16/27 cannot."""
    given = dict(zip(SEVEN, [GOOD, GOOD] + [RI] * 5, strict=True))
    assert score_checks(scores(("9/27", given), ("15/27", given)), {}) == []
    [warning] = score_checks(scores(("16/27", given)), {})
    assert warning["check"] == "score_matches_ratings"
    assert score_checks(scores(("8/27", given)), {})[0]["check"] == "score_matches_ratings"


def test_scores_without_all_seven_ratings_or_not_written_s_over_m_are_not_summed():
    some = {"leadership": RI, "staffing": RI}
    assert (
        score_checks(scores(("10/21", some), (None, YORK_2024), ("3 of 21", YORK_2024)), {}) == []
    )
