"""Tests for analysis.report.summaries: sentences carry the numbers they were given, and their uncertainty."""

from __future__ import annotations

import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.report import summaries


def _standards():
    return pd.DataFrame(
        {
            "pdu": [f"PDU {i}" for i in range(11)] * 2,
            "standard": ["assessment"] * 11 + ["planning"] * 11,
            "rating": ["Inadequate"] * 7
            + ["Requires improvement"] * 3
            + [None]
            + ["Good"] * 5
            + ["Requires improvement"] * 5
            + ["Inadequate"],
            "borderline": pd.array(
                [True] * 3 + [False] * 7 + [None] + [False] * 10 + [True], dtype="boolean"
            ),
        }
    )


def test_rating_sentence_matches_the_issue_wording():
    frame = pd.DataFrame(
        {
            "standard": "assessment",
            "rating": ["Inadequate"] * 7 + ["Good"] * 4,
            "borderline": [True] * 3 + [False] * 8,
        }
    )
    assert summaries.rating_sentence(frame, "assessment") == (
        "In 7 of 11 PDUs (64%) assessment was rated Inadequate; for 3 of them the rating is "
        "borderline (a 20% or greater chance the true band differs)."
    )


def test_rating_sentence_leaves_unrated_units_out_of_the_denominator():
    sentence = summaries.rating_sentence(_standards(), "assessment")
    assert sentence.startswith("In 7 of 10 PDUs (70%) assessment was rated Inadequate")


def test_rating_sentence_with_no_borderline_and_no_units():
    frame = pd.DataFrame({"standard": "reviewing", "rating": ["Good"], "borderline": [False]})
    assert "none of these ratings is borderline" in summaries.rating_sentence(
        frame, "reviewing", "Good"
    )
    assert summaries.rating_sentence(frame, "planning").startswith("No PDU had enough")


def test_standard_sentences_pick_the_most_common_rating_worst_on_ties():
    sentences = summaries.standard_sentences(_standards())
    assert sentences[0].startswith("In 7 of 10 PDUs (70%) assessment was rated Inadequate")
    # planning: 5 Good and 5 Requires improvement tie; the worse one is reported
    assert sentences[1].startswith("In 5 of 11 PDUs (45%) planning was rated Requires improvement")


def test_weakest_key_question_pools_units_and_uses_the_wilson_interval():
    kq = pd.DataFrame(
        {
            "pdu": ["A", "B", "A", "B"],
            "key_question": ["assessment_engagement"] * 2 + ["assessment_keeping_safe"] * 2,
            "n_yes": [14, 16, 5, 7],
            "n_applicable": [20, 20, 20, 18],
        }
    )
    # outside reference: statsmodels' Wilson interval for 12 of 38
    low, high = proportion_confint(12, 38, method="wilson")
    assert summaries.weakest_key_question(kq) == (
        f"The weakest key question was Assessment: keeping safe, where 32% of 38 applicable cases "
        f"were answered yes (95% interval {100 * low:.0f}% to {100 * high:.0f}%)."
    )


def test_odds_ratio_sentence_says_when_the_interval_includes_one():
    sentence = summaries.odds_ratio_sentence(1.1, 0.9, 1.3, exposure="x", outcome="y")
    assert "consistent with no association" in sentence
    assert "1.10 times the odds" in sentence and "0.90 to 1.30" in sentence
    assert "p = 0.012" in summaries.odds_ratio_sentence(
        0.8, 0.7, 0.9, exposure="x", outcome="y", adjusted_p=0.0123
    )


def test_band_rate_sentence_compares_first_and_last_band():
    rates = pd.DataFrame(
        {
            "band": ["Good", "Requires improvement", "Inadequate"],
            "rate": [20.0, 30.0, 45.0],
            "ci_low": [14.0, 25.0, 40.0],
            "ci_high": [28.0, 36.0, 50.0],
            "n": [100, 150, 300],
        }
    )
    sentence = summaries.band_rate_sentence(rates, outcome="new offence")
    assert sentence == (
        "The new offence rate was 20% in the Good band (n = 100; 95% interval 14% to 28%), "
        "against 45% in the Inadequate band (n = 300; 95% interval 40% to 50%)."
    )


def test_band_difference_sentence_uses_the_newcombe_interval():
    # Newcombe (1998) Table II example (a): 56/70 vs 48/80, method 10 interval 0.0524 to 0.3339.
    from analysis.stats import newcombe_difference

    diff, low, high = newcombe_difference(56, 70, 48, 80)
    table = pd.DataFrame(
        {
            "band": ["high"],
            "reference": ["inadequate"],
            "difference_pp": [100 * diff],
            "ci_low": [100 * low],
            "ci_high": [100 * high],
            "n": [70],
            "n_reference": [80],
        }
    )
    assert summaries.band_difference_sentence(table, outcome="completion") == (
        "The completion rate was 20.0 percentage points higher in high-quality cases than in "
        "inadequate-quality cases (95% interval 5.2 to 33.4 points higher; 70 and 80 cases)."
    )
    table["ci_low"] = -3.0
    assert "which includes no difference" in summaries.band_difference_sentence(
        table, outcome="completion"
    )


def test_published_sentence_counts_real_reports():
    published = pd.DataFrame(
        {
            "unit_type": ["pdu"] * 4 + ["region"],
            "overall_rating": [
                "Inadequate",
                "Inadequate",
                "Requires improvement",
                "Good",
                "Inadequate",
            ],
            "report_year": [2022, 2023, 2024, 2022, 2025],
        }
    )
    assert summaries.published_sentence(published) == (
        "Of 4 published PDU inspection reports, 2022–2024: 1 of 4 (25%) Good; "
        "1 of 4 (25%) Requires improvement; 2 of 4 (50%) Inadequate; none Outstanding."
    )


def test_missing_columns_are_named():
    with pytest.raises(KeyError, match="borderline"):
        summaries.rating_sentence(pd.DataFrame({"standard": [], "rating": []}), "assessment")


def test_association_findings_names_what_a_row_is():
    table = pd.DataFrame(
        {"term": ["accommodation", "finance"], "odds_ratio": [4.0, 1.1], "ci_low": [2.0, 0.5],
         "ci_high": [8.0, 2.4], "p_adjusted": [0.001, 0.9]}
    )  # fmt: skip
    first = summaries.association_findings(
        table, outcome="sufficient progress", subject="factor", exposure="sufficient intervention"
    )[0]
    assert first.startswith(
        "Of 2 factors, sufficient intervention went with clearly higher odds of sufficient "
        "progress for 1"
    )
    assert "for 0" not in first.lower() and "lower odds" not in first  # no empty count
    assert first.endswith("for the other 1 the data are consistent with no difference.")


# --- main points of the published-inspections report --------------------------------------


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
