"""analysis.report.summaries.words: counts, shares, intervals and names in the words sentences use.

The expected words are written out by hand; key-question and standard names are those of the
framework file (frameworks/pdu-2023.toml).
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.report.summaries import words


@pytest.mark.parametrize(
    "part, whole, expected",
    [
        (7, 11, "7 of 11 (64%)"),
        (2, 3, "2 of 3 (67%)"),
        (0, 0, "0 of 0"),
        (1, 8, "1 of 8 (13%)"),  # a half rounds up, as the Inspectorate prints it
        (5, 8, "5 of 8 (63%)"),
        (1, 40, "1 of 40 (3%)"),
        (8, 8, "8 of 8 (100%)"),
    ],
)
def test_share_gives_the_count_and_its_whole_percentage(part, whole, expected):
    assert words.share(part, whole) == expected


def test_intervals_in_words_as_numbers_or_percentages():
    assert words.interval_words(0.7, 0.923, digits=2) == "95% interval 0.70 to 0.92"
    assert words.interval_words(0.25, 0.374, percent=True) == "95% interval 25% to 37%"
    assert words.interval_words(0.1, 0.2, percent=True, digits=1, level=90) == (
        "90% interval 10.0% to 20.0%"
    )
    assert words.interval_words(np.nan, 0.2) == "interval not available"


def test_labels_plurals_and_small_numbers():
    assert words.label("implementation_and_delivery") == "implementation and delivery"
    assert (words.plural("PDU", 1), words.plural("PDU", 2)) == ("PDU", "PDUs")
    assert [words.number_word(n) for n in (0, 3, 9, 10, -1)] == [
        "none",
        "three",
        "nine",
        "10",
        "-1",
    ]


def test_outcomes_have_plain_names_and_unknown_ones_are_put_into_words():
    assert words.outcome_label("proven_reoffence_12m") == "proven reoffending within 12 months"
    assert words.outcome_label("sentence_completed") == "completing the sentence"
    assert words.outcome_label("some_new_outcome") == "some new outcome"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("planning_keeping_safe", "Planning: keeping safe"),
        ("implementation_and_delivery", "Implementation and delivery"),
        ("reviewing_desistance_per_10pts", "Reviewing: desistance (per 10 points)"),
        ("new_offence", "A new offence"),
        ("quality_band", "Quality band"),
        ("", ""),
    ],
)
def test_machine_ids_read_as_words(value, expected):
    assert words.readable_id(value) == expected


def test_times_read_as_words_in_utc():
    assert words.human_time("2026-12-01T19:36:00+01:00") == "1 December 2026, 18:36 UTC"
    assert words.human_time("2025-01-01T10:01:00") == "1 January 2025, 10:01 UTC"
    assert words.human_time("not a time") == "not a time"
