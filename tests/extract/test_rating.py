"""analysis.extract.rating: every extracted key-question table rated by the framework's rules and
set beside the published ratings, with the reason where they differ.

Expected ratings are worked by hand from the bands of frameworks/pdu-2023.toml: the lowest
key-question percentage decides, Inadequate below 50, Requires improvement from 50, Good from
65, Outstanding from 80.
"""

from __future__ import annotations

import pandas as pd

from analysis.extract import extract_reports
from analysis.extract.rating import check_ratings, check_ratings_per_report

from .conftest import FIXTURES


def test_web_page_rating_check_reports_computed_against_published():
    check = extract_reports(
        [FIXTURES / "pdu-web.html"], write=False, progress=False
    ).rating_check.set_index("standard")
    # assessment: lowest 54% -> Requires improvement, as published
    assert check.loc["assessment", "computed_rating"] == "Requires improvement"
    assert check.loc["assessment", "agrees"]
    # planning: lowest 42% -> Inadequate, as published
    assert check.loc["planning", "agrees"]
    # reviewing has no extracted table: no computed rating, so no comparison
    assert check.loc["reviewing", "published_rating"] == "Inadequate"
    assert check[["computed_rating", "agrees"]].loc["reviewing"].isna().all()
    assert check.loc["reviewing", "note"] == "no key-question table was extracted for this standard"
    assert check.loc["overall", "note"].startswith("not computed")


def _key_questions(report_id: str, pcts: tuple[float, float, float], n=20) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "report_id": report_id,
            "framework": "pdu-2023",
            "key_question": [
                "assessment_engagement",
                "assessment_desistance",
                "assessment_keeping_safe",
            ],
            "pct_yes": list(pcts),
            "n": n,
        }
    )


def _ratings(report_id: str, **ratings: str) -> pd.DataFrame:
    rows = [
        {
            "report_id": report_id,
            "standard": standard,
            "rating": rating,
            "rule_rating": None,
            "departure_text": None,
        }
        for standard, rating in ratings.items()
    ]
    return pd.DataFrame(rows)


def test_the_lowest_key_question_rates_the_standard_and_each_row_says_what_it_is():
    # 60% and 55% of 20 cases, and 30% (6 of 20): the lowest, 30, is Inadequate
    kq = _key_questions("a", (60, 55, 30))
    published = _ratings(
        "a", overall="Inadequate", assessment="Requires improvement", leadership="Good"
    )
    check = check_ratings(kq, published).set_index("standard")
    assert sorted(check.index) == ["assessment", "leadership", "overall"]
    row = check.loc["assessment"]
    assert (row["computed_rating"], row["published_rating"]) == (
        "Inadequate",
        "Requires improvement",
    )
    assert (row["agrees"], row["band_difference"]) == (False, 1)  # published one band better
    assert check.loc["leadership", "note"] == (
        "not rated from cases: the published rating is used in the overall score"
    )
    assert pd.isna(check.loc["overall", "computed_rating"])
    assert check.loc["overall", "note"] == (
        "not computed: a case-supervision standard has no extracted table"
    )
    assert set(check["framework"]) == {"pdu-2023"} and set(check["report_id"]) == {"a"}


def test_a_computed_rating_that_differs_says_the_report_states_no_reason():
    published = _ratings("a", assessment="Requires improvement")
    check = check_ratings(_key_questions("a", (60, 55, 30)), published).set_index("standard")
    assert check.loc["assessment", "note"] == (
        "computed from the extracted key-question table; the report states no reason"
    )


def test_a_computed_rating_equal_to_the_published_one_agrees():
    # lowest 66% (of 50 cases: 33) is Good
    check = check_ratings(_key_questions("a", (90, 66, 80), n=50), _ratings("a", assessment="Good"))
    row = check.set_index("standard").loc["assessment"]
    assert (row["computed_rating"], row["agrees"], row["band_difference"]) == ("Good", True, 0)


def test_a_stated_departure_is_the_note_and_the_rule_rating_is_kept():
    published = _ratings("a", assessment="Inadequate", leadership="Requires improvement")
    published.loc[published["standard"] == "leadership", "rule_rating"] = "Inadequate"
    published.loc[published["standard"] == "leadership", "departure_text"] = "would normally ..."
    check = check_ratings(_key_questions("a", (60, 55, 30)), published).set_index("standard")
    assert check.loc["leadership", "rule_rating"] == "Inadequate"
    assert check.loc["leadership", "note"] == (
        "stated departure from the rating rule: would normally ..."
    )


def test_a_table_that_cannot_be_rated_is_left_out_with_its_reason_and_the_others_rated():
    # 33% is no whole count of 20 cases (6 of 20 is 30%, 7 of 20 is 35%)
    kq = pd.concat([_key_questions("bad", (60, 55, 33)), _key_questions("good", (60, 55, 30))])
    published = pd.concat(
        [_ratings("bad", assessment="Inadequate"), _ratings("good", assessment="Inadequate")]
    )
    check, failed = check_ratings_per_report(kq, published)
    assert list(failed) == ["bad"] and "33" in failed["bad"] and "20" in failed["bad"]
    assert set(check["report_id"]) == {"good"}


def test_a_table_without_a_case_count_is_not_rated():
    check, failed = check_ratings_per_report(
        _key_questions("a", (60, 55, 30), n=None), _ratings("a", assessment="Inadequate")
    )
    assert check.empty and failed == {}
    assert "computed_rating" in check.columns
