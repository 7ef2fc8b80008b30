"""analysis.report.published_text: sentences about real published inspections.

Every expected sentence is written out by hand from the small tables below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report import published_text


def test_reinspection_sentence_always_says_whether_the_framework_changed():
    same = pd.DataFrame({"change": ["same"], "first_framework": ["x"], "latest_framework": ["x"]})
    assert "of the same framework" in published_text.reinspection_sentence(same)
    mixed = pd.DataFrame(
        {
            "change": ["better", "worse"],
            "first_framework": ["x", "y"],
            "latest_framework": ["y", "y"],
        }
    )
    assert "for 1 of the 2 the framework changed" in published_text.reinspection_sentence(mixed)


def test_coverage_counts_each_report_against_its_own_framework():
    seven = [
        "leadership",
        "staffing",
        "services",
        "assessment",
        "planning",
        "implementation_and_delivery",
        "reviewing",
    ]
    row = dict.fromkeys(seven, "Inadequate")
    frame = pd.DataFrame([{**row, "framework": "pdu-2023"}, {**row, "framework": "pdu-2021"}])
    text = published_text.coverage_sentence(frame)
    # the nine-standard report lacks court work and information and facilities
    assert text.startswith("Of 2 reports listed, 1 state a rating for every standard")
    assert "court work" in text


def test_distribution_sentence_gives_each_band_present_with_its_interval():
    dist = pd.DataFrame(
        {
            "round": ["R1"] * 4 + ["R2"] * 4,
            "rating": ["Outstanding", "Good", "Requires improvement", "Inadequate"] * 2,
            "n": [0, 1, 0, 3, 0, 0, 0, 0],
            "total": [4] * 4 + [0] * 4,
            "ci_low": [0.0, 4.6, 0.0, 30.1] + [0.0] * 4,
            "ci_high": [49.0, 69.9, 49.0, 95.4] + [0.0] * 4,
        }
    )
    assert published_text.distribution_sentence(dist, group="round") == [
        "R1: of 4 reports, 1 of 4 (25%) Good (95% interval 5% to 70%); 3 of 4 (75%) Inadequate "
        "(95% interval 30% to 95%); none Outstanding or Requires improvement.",
        "R2: no reports with a published rating.",
    ]


def test_reinspection_sentence_without_reinspections_or_frameworks():
    assert published_text.reinspection_sentence(pd.DataFrame({"change": []})) == (
        "No PDU has more than one published report here."
    )
    moves = pd.DataFrame({"change": ["better", "same"]})
    assert published_text.reinspection_sentence(moves) == (
        "2 PDUs have two published reports: 1 improved, 0 got worse and 1 kept their overall rating."
    )


def test_coverage_sentence_uses_the_given_standards_for_reports_without_a_framework():
    frame = pd.DataFrame({"assessment": ["Good", None], "planning": ["Inadequate", None]})
    assert published_text.coverage_sentence(frame, ["assessment", "planning"]) == (
        "Of 2 reports listed, 1 state a rating for every standard of their framework and 1 state "
        "none (only the overall rating is known for those)."
    )


def test_band_check_names_each_report_outside_its_band_and_what_could_not_be_checked():
    check = pd.DataFrame(
        {
            "pdu": ["A", "B", "C", "D"],
            "agrees": [True, False, None, None],
            "published_rating": ["Good", "Inadequate", None, "Good"],
            "score_points": [12.0, 5.0, np.nan, np.nan],
            "band_of_score": ["Good", "Requires improvement", None, None],
            "ambiguous": [False, True, False, False],
        }
    )
    assert published_text.band_check_sentence(check, unit="pdu") == (
        "1 of 4 reports have a published rating outside their score's band: B (5.0 points: "
        "Requires improvement band, published Inadequate). 1 report gives no readable overall "
        "rating. 1 score could fall in either of two bands. 1 report has no usable score and is "
        "not checked."
    )
    agreeing = check.iloc[[0, 0]].assign(ambiguous=False)
    assert published_text.band_check_sentence(agreeing, unit="pdu") == (
        "All 2 reports with a rating and a clear score agree with the bands."
    )


def test_departures_name_the_unit_the_standard_and_both_ratings():
    comparison = pd.DataFrame(
        {
            "pdu": ["York", "Leeds"],
            "standard": ["implementation_and_delivery", "planning"],
            "computed_rating": ["Inadequate", "Good"],
            "published_rating": ["Requires improvement", "Good"],
            "agrees": [False, True],
        }
    )
    assert published_text.departure_sentences(comparison, unit="pdu") == [
        "York, implementation and delivery: the rule gives Inadequate, the report published "
        "Requires improvement."
    ]


def test_factor_sentence_counts_factors_with_more_interventions_than_progress():
    table = pd.DataFrame(
        {"interventions_pct": [60, 50, 40], "progress_pct": [50, 50, 45], "n_cases": [38, 14, 8]}
    )
    assert published_text.factor_sentence(table) == (
        "For 1 of 3 offending-related factors, inspectors judged interventions sufficient in a "
        "larger share of cases than progress (1 equal); with 8 to 38 cases per factor each share "
        "is uncertain by many points (see the intervals)."
    )


def test_failing_sentences_name_the_standards_most_and_least_often_inadequate():
    table = pd.DataFrame(
        {
            "round": ["R"] * 3,
            "standard_name": ["Assessment", "Planning", "Reviewing"],
            "inadequate": [3, 3, 1],
            "reports_rating_it": [4, 4, 4],
            "inadequate_pct": [75.0, 75.0, 25.0],
        }
    )
    assert published_text.failing_sentences(table) == [
        "R: the standards most often published Inadequate, among the reports that rate them, are "
        "assessment (3 of 4), planning (3 of 4); the least often is reviewing (1 of 4). Many "
        "reports state no standard ratings, so each count rests on the reports that do."
    ]


def test_above_pdu_sentence_lists_regional_and_national_inspections():
    frame = pd.DataFrame(
        {
            "unit": ["Wales", "England and Wales"],
            "unit_type": ["region", "national"],
            "report_year": [2023, np.nan],
            "overall_rating": ["Good", "Inadequate"],
        }
    )
    assert published_text.above_pdu_sentence(frame) == (
        "1 regional and 1 national inspection reports are held: Wales (2023): Good; England and "
        "Wales (year not stated): Inadequate."
    )
    assert published_text.above_pdu_sentence(frame.iloc[:1]).startswith(
        "1 regional and 0 national inspection report is held: Wales (2023): Good"
    )
    assert published_text.above_pdu_sentence(frame.iloc[:0]) == (
        "No regional or national inspection report is held here."
    )


def test_reconciliation_puts_incomplete_rounds_first_then_each_stated_total():
    coverage = pd.DataFrame(
        {"region": ["Wales", "London"], "complete": [False, True], "n_pdus_inspected": [5, 9],
         "n_pdus_reference": [6, 9], "missing": ["Cardiff", ""]}
    )  # fmt: skip
    totals = pd.DataFrame(
        {"agrees": [True, False], "rating": ["any", "Inadequate"], "unit_type": ["pdu", "pdu"],
         "stated_count": [17, 10], "period_start": ["2022-01", "2022-01"],
         "period_end": ["2022-12", "2022-12"], "record_likely": [17, 9],
         "probably_missing": ["", "one report"]}
    )  # fmt: skip
    assert published_text.reconciliation_sentences(coverage, totals) == [
        "Wales, current programme: 5 of 6 PDUs have a report here; none is held for Cardiff.",
        "1 of 2 totals the Inspectorate states match the record exactly (counting the reports "
        "likely published in each period).",
        "The Inspectorate states 10 Inadequate PDU reports from 2022-01 to 2022-12; the record "
        "has 9 likely in that period: one report.",
    ]


def test_context_sentence_says_when_nothing_can_be_estimated():
    assert published_text.context_sentence(pd.DataFrame()) == (
        "No context figure is held for these reports."
    )
    thin = pd.DataFrame({"rho": [np.nan, np.nan], "units": [4, 3]})
    assert published_text.context_sentence(thin).startswith(
        "No measure is stated, in the same words, by enough PDU reports of one round to estimate "
        "an association: the most any measure rests on is 4 reports."
    )


def test_extraction_sentence_counts_matched_differing_and_unmatched_reports():
    per_report = pd.DataFrame(
        {"unit": ["York", "Leeds", "Hull"], "no published report": [0, 0, 1],
         "ambiguous": [0, 0, 0], "differs": [1, 0, 0]}
    )  # fmt: skip
    assert published_text.extraction_sentence(per_report) == (
        "3 reports read from the Inspectorate's pages; 2 matched a published report of the same "
        "unit and year; in 1 of them an extracted rating or score differs from the published "
        "table (York). 1 could not be matched (no published report of that unit and year, or an "
        "undated report of a unit with several), and are never matched by guess."
    )
    assert published_text.extraction_sentence(per_report.iloc[:0]) == (
        "No report read from the Inspectorate's pages is held for this scope."
    )
