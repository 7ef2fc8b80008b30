"""analysis.report.summaries.main_points: the short sentences a report opens with.

Outside reference: statsmodels' Wilson interval; the other numbers are worked by hand from the
small tables below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis import report
from analysis.report import summaries


def _published_reports():
    """Three reports of the 2021–23 round and four of the current programme, real-shaped."""
    return pd.DataFrame(
        {
            "pdu": ["A", "B", "C", "A", "B", "D", "E"],
            "framework": ["pdu-2021"] * 3 + ["pdu-2023"] * 4,
            "overall_rating": ["Good", "Inadequate", "Inadequate"]
            + [
                "Requires improvement",
                "Inadequate",
                "Requires improvement",
                "Requires improvement",
            ],
            "report_date_iso": [
                "2022-03",
                "2022-05",
                "2023-01",
                "2024-06",
                "2024-07",
                "2024-08",
                "2024-09",
            ],
        }
    )


def test_round_points_put_the_current_programme_first_with_its_count_share_and_interval():
    from analysis.ratings.distribution import rating_distribution, round_label

    reports = _published_reports().assign(round=lambda d: d["framework"].map(round_label))
    points = summaries.round_points(rating_distribution(reports, by="round"), place="Wales")
    low, high = (100 * v for v in proportion_confint(3, 4, method="wilson"))
    assert points[0] == (
        "In the current programme (from October 2023), 3 of 4 PDU reports in Wales (75%) were "
        f"rated Requires improvement (95% interval {low:.0f}% to {high:.0f}%); none was rated "
        "Good or Outstanding."
    )
    low, high = (100 * v for v in proportion_confint(2, 3, method="wilson"))
    assert points[1] == (
        f"In the 2021–23 round, 2 of 3 PDU reports in Wales (67%) were rated Inadequate "
        f"(95% interval {low:.0f}% to {high:.0f}%); none was rated Outstanding."
    )
    assert all(len(p) <= 200 for p in points)


def test_a_tie_names_both_bands_and_one_report_is_singular():
    from analysis.ratings.distribution import rating_distribution

    tie = pd.DataFrame({"round": ["x"] * 2, "overall_rating": ["Good", "Inadequate"]})
    (point,) = summaries.round_points(rating_distribution(tie, by="round"), place="Wales")
    assert "were rated Good and Inadequate equally often: 1 of 2 each (50%," in point
    one = pd.DataFrame({"round": ["x"], "overall_rating": ["Good"]})
    (point,) = summaries.round_points(rating_distribution(one, by="round"), place="Wales")
    assert "1 of 1 PDU reports in Wales (100%) was rated Good" in point


def test_reinspection_point_counts_each_move_and_names_the_framework_change():
    from analysis.ratings.distribution import reinspections

    again = reinspections(_published_reports())
    assert summaries.reinspection_point(again) == (
        "2 PDUs have two published reports: 1 got worse and 1 kept their overall rating, "
        "though the framework changed between the two."
    )
    assert summaries.reinspection_point(again.iloc[:1]) == (
        "1 PDU has two published reports; its overall rating got worse, though the framework "
        "changed between the two."
    )
    assert summaries.reinspection_point(again.iloc[:0]) is None


def test_coverage_point_says_every_pdu_some_or_none():
    def coverage(framework, held, of, missing):
        return pd.DataFrame(
            {
                "region": ["Wales"],
                "framework": [framework],
                "n_pdus_inspected": [held],
                "n_pdus_reference": [of],
                "missing": [missing],
            }
        )

    assert summaries.coverage_point(coverage("pdu-2023", 6, 6, ""), place="Wales") == (
        "Every one of the 6 PDUs in Wales has a published report in the current programme."
    )
    assert summaries.coverage_point(coverage("pdu-2023", 5, 6, "Cardiff"), place="Wales") == (
        "5 of the 6 PDUs in Wales have a published report in the current programme; none is "
        "held for Cardiff."
    )
    assert summaries.coverage_point(coverage("pdu-2021", 2, 6, "x"), place="Wales") == (
        "None of the 6 PDUs in Wales has a published report of the current programme in this "
        "record."
    )


def test_regional_point_gives_the_latest_inspection_of_the_region():
    above = pd.DataFrame(
        {
            "unit_type": ["region", "region"],
            "overall_rating": ["Inadequate", "Good"],
            "report_year": [2023, 2025],
        }
    )
    assert summaries.regional_point(above, place="Wales") == (
        "The inspection of Wales as a region (2025) was rated Good."
    )
    assert summaries.regional_point(above.iloc[:0], place="Wales") is None


def test_main_point_sentences_put_percentage_points_first():
    d = pd.DataFrame(
        {
            "band": ["high"],
            "reference": ["inadequate"],
            "difference_pp": [-3.0],
            "ci_low": [-8.0],
            "ci_high": [2.0],
            "n": [300],
            "n_reference": [250],
        }
    )
    text = summaries.difference_point(d, outcome="new_offence", place="Wales")
    assert "3.0 percentage points less common" in text
    assert "consistent with no difference (95% interval -8.0 to +2.0)" in text
    wide = summaries.odds_point(
        {"odds_ratio": 0.95, "ci_low": 0.8, "ci_high": 1.1}, outcome="new_offence"
    )
    assert "consistent with no link" in wide and "20% lower to 10% higher" in wide
    results = pd.DataFrame({"odds_ratio": [0.8, 0.9, 1.2], "p_adjusted": [0.01, 0.3, 0.02]})
    assert "lower odds of a new offence in one and clearly higher odds in one of the 3" in (
        summaries.key_question_point(results, outcome="new_offence")
    )
    none = results.assign(p_adjusted=0.5)
    assert summaries.key_question_point(none, outcome="new_offence").startswith(
        "None of the 3 key questions"
    )
    assert summaries.few_pdus_point(6).startswith("The cases come from only 6 PDUs")
    assert summaries.few_pdus_point(108) is None
    for sentence in (text, wide, summaries.cause_point("proven_reoffence_12m")):
        assert len(sentence) <= 200, sentence
        report.display.check_main_points([sentence])
    longest = summaries.difference_point(
        d.assign(difference_pp=-26.7, ci_low=-50.1, ci_high=6.4),
        outcome="progress_risk_factors",
        place="Yorkshire and the Humber",
    )
    assert len(longest) <= 215, (len(longest), longest)  # the longest names: still shown
    report.display.check_main_points([longest])


def test_a_clearly_higher_odds_and_what_cannot_be_said():
    assert summaries.odds_point(
        {"odds_ratio": 1.25, "ci_low": 1.1, "ci_high": 1.4}, outcome="new_offence"
    ) == (
        "Allowing for case mix, each 10 points of quality score went with 25% higher odds of a "
        "new offence (95% interval 10% to 40% higher)."
    )
    assert (
        summaries.odds_point({"odds_ratio": np.nan, "ci_low": 1, "ci_high": 2}, outcome="x") is None
    )
    missing = pd.DataFrame({"band": ["adequate"], "difference_pp": [1.0]})
    assert summaries.difference_point(missing, outcome="new_offence", place="Wales") is None
    unfitted = pd.DataFrame({"odds_ratio": [np.nan], "p_adjusted": [np.nan]})
    assert summaries.key_question_point(unfitted, outcome="new_offence") is None
    assert summaries.few_pdus_point(None) is None and summaries.few_pdus_point(np.nan) is None
    assert summaries.few_pdus_point(29) is not None and summaries.few_pdus_point(30) is None


def test_the_cause_point_names_the_outcome_in_words():
    assert summaries.cause_point("complied") == (
        "These are links seen in inspected cases, not proof that better supervision changes the "
        "chance of compliance with the order or licence."
    )


def test_the_worst_standard_is_the_one_most_often_inadequate_else_requires_improvement():
    standards = pd.DataFrame(
        {
            "standard": ["assessment", "assessment", "planning", "planning"],
            "rating": ["Inadequate", "Good", "Inadequate", "Inadequate"],
            "borderline": [False, False, True, False],
        }
    )
    assert summaries.worst_standard_point(standards) == (
        "In 2 of 2 PDUs (100%) planning was rated Inadequate; for 1 of them the rating is "
        "borderline (a 20% or greater chance the true band differs)."
    )
    better = standards.assign(rating=["Good", "Requires improvement", "Good", "Good"])
    assert summaries.worst_standard_point(better).startswith(
        "In 1 of 2 PDUs (50%) assessment was rated Requires improvement"
    )
    assert summaries.worst_standard_point(standards.assign(rating="Good")) is None


def test_published_point_gives_the_commonest_rating_worst_on_a_tie():
    published = pd.DataFrame(
        {"unit_type": ["pdu", "pdu", "pdu", "pdu", "region"],
         "overall_rating": ["Good", "Inadequate", "Good", "Inadequate", "Inadequate"]}
    )  # fmt: skip
    assert summaries.published_point(published) == (
        "In the real published PDU inspections, the most common overall rating was Inadequate: "
        "2 of 4 reports (50%)."
    )
    assert summaries.published_point(published.assign(overall_rating=None)) is None


def test_a_group_with_no_rating_has_no_point():
    empty = pd.DataFrame(
        {"rating": ["Good"], "n": [0], "total": [0], "ci_low": [0.0], "ci_high": [0.0]}
    )
    assert summaries.rated_point(empty, lead="In 2020", what="reports") is None
