"""analysis.report.summaries.ratings: sentences about ratings carry the counts they were given.

Outside reference: statsmodels' Wilson interval; every other number is counted by hand from the
small frames below.
"""

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


def test_headline_states_rounds_apart_and_single_years_once():
    frame = pd.DataFrame(
        {
            "unit_type": ["pdu"] * 4,
            "framework": ["pdu-2021", "pdu-2021", "pdu-2023", "pdu-2023"],
            "overall_rating": ["Inadequate", "Good", "Inadequate", "Inadequate"],
            "report_year": [2023, 2023, 2024, 2025],
        }
    )
    text = summaries.published_sentence(frame)
    assert text.startswith("Of 4 published PDU inspection reports, in 2 rounds counted apart: ")
    assert "2 reports, 2023: 1 of 2 (50%) Good" in text and "2023–2023" not in text
    assert "2 reports, 2024–2025: 2 of 2 (100%) Inadequate" in text


def test_overall_sentence_names_the_place_and_takes_the_worse_rating_on_a_tie():
    overall = pd.DataFrame({"overall_rating": ["Good", "Inadequate"], "borderline": [False, False]})
    assert summaries.overall_sentence(overall) == (
        "In 1 of 2 PDUs (50%) the overall rating was Inadequate; none of these ratings is "
        "borderline (a 20% or greater chance the true band differs)."
    )
    three = pd.DataFrame({"overall_rating": ["Good"] * 3, "borderline": [True, False, False]})
    assert summaries.overall_sentence(three, unit="region", place="England").startswith(
        "In 3 of 3 regions (100%) in England the overall rating was Good; for 1 of them"
    )


def test_overall_sentence_without_ratings_or_columns():
    unrated = pd.DataFrame({"overall_rating": [None, None], "borderline": [None, None]})
    assert summaries.overall_sentence(unrated) == (
        "No PDU had every standard rated, so no overall rating was computed."
    )
    with pytest.raises(KeyError, match=r"overall_sentence needs column\(s\) \['borderline'\]"):
        summaries.overall_sentence(pd.DataFrame({"overall_rating": ["Good"]}))


def test_nothing_applicable_and_no_published_report_are_said_in_words():
    kq = pd.DataFrame(
        {"key_question": ["assessment_engagement"], "n_yes": [0], "n_applicable": [0]}
    )
    assert summaries.weakest_key_question(kq) == "No key question had applicable cases."
    regions_only = pd.DataFrame({"unit_type": ["region"], "overall_rating": ["Good"]})
    assert summaries.published_sentence(regions_only) == "No published PDU reports are listed."
