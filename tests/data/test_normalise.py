"""analysis.data.normalise: only what cannot change a value's meaning is normalised."""

from __future__ import annotations

import datetime as dt

import pytest

from analysis.data.normalise import (
    NORMALISATIONS,
    clean_header,
    clean_text,
    code,
    match_name,
    name_key,
    parse_date,
    suggest,
)

SEPT_16 = dt.datetime(2024, 9, 16)


@pytest.mark.parametrize(
    ("normalise", "value", "normalised"),
    [
        # text: only invisible characters and surplus space go
        (clean_text, "York\u00a0PDU", "York PDU"),  # a no-break space, as pasted from the web
        (clean_text, "Stock\u200bton", "Stockton"),  # a zero-width space
        (clean_text, "\tYork \n", "York"),
        (clean_text, "Requires  \u00adimprovement", "Requires improvement"),  # a soft hyphen
        (clean_text, 20, 20),
        (clean_text, None, None),
        # headers become lower-case identifiers
        (clean_header, " Pct Yes ", "pct_yes"),
        (clean_header, "\ufeffregion", "region"),
        (clean_header, "Case-ID", "case_id"),
        (clean_header, "Staff in post (%)", "staff_in_post_pct"),
        # codes ignore case and read spaces as underscores; hyphens stay (age bands use them)
        (code, "Not Applicable", "not_applicable"),
        (code, "  Very   High ", "very_high"),
        (code, "18-24", "18-24"),
        (code, 3, 3),
        # unit names match ignoring case, '&' vs 'and', punctuation and a trailing 'PDU'
        (name_key, "Cardiff & Vale PDU", "cardiff and vale"),
        (name_key, "York Probation Delivery Unit", "york"),
        (name_key, "Hull,  and East-Riding", "hull and east riding"),
        (name_key, "Redcar, Cleveland and Middlesbrough", "redcar cleveland and middlesbrough"),
        (name_key, "PDU", ""),
    ],
)
def test_only_what_cannot_change_a_meaning_is_normalised(normalise, value, normalised):
    assert normalise(value) == normalised


@pytest.mark.parametrize(
    "text",
    [
        "2024-09-16",
        "16/09/2024",
        "16-09-2024",
        "16.09.2024",
        "16 September 2024",
        "16 Sep 2024",
        "  16   September 2024 ",
    ],
)
def test_dates_in_every_listed_format(text):
    assert parse_date(text) == SEPT_16


def test_timestamps_keep_their_time():
    for text in ("2024-09-16 10:30:00", "2024-09-16T10:30:00"):
        assert parse_date(text) == dt.datetime(2024, 9, 16, 10, 30)


@pytest.mark.parametrize(
    "text",
    ["09/16/2024", "31/02/2024", "September 2024", "16th September 2024", "", "2024"],
    ids=["month-first", "no-such-day", "no-day", "ordinal", "empty", "year-only"],
)
def test_dates_that_do_not_fit_are_refused_not_guessed(text):
    assert parse_date(text) is None


def test_two_digit_years_only_when_the_caller_asks():
    assert parse_date("18/02/25") is None
    assert parse_date("18/02/25", day_first_two_digit_year=True) == dt.datetime(2025, 2, 18)


def test_dates_and_datetimes_pass_through():
    assert parse_date(dt.date(2024, 9, 16)) == SEPT_16
    stamp = dt.datetime(2024, 9, 16, 8, 0)
    assert parse_date(stamp) is stamp
    assert parse_date(20240916) is None


CHOICES = ["Stockton and Hartlepool", "York", "Cardiff & Vale"]


def test_a_matched_name_keeps_the_reference_spelling():
    assert match_name("cardiff and vale pdu", CHOICES) == ("Cardiff & Vale", None)
    assert match_name("  STOCKTON & HARTLEPOOL ", CHOICES) == ("Stockton and Hartlepool", None)


def test_an_unmatched_name_gets_the_closest_reference_name_or_none():
    assert match_name("Yrok", CHOICES) == (None, "York")
    assert match_name("Stockton and Hartlepol", CHOICES) == (None, "Stockton and Hartlepool")
    assert match_name("Leeds", CHOICES) == (None, None)


REGIONS = ["North East", "Yorkshire and the Humber", "East Midlands", "East of England"]


def test_a_name_that_starts_or_holds_a_word_of_one_choice_suggests_it():
    assert suggest("Yorkshire", REGIONS) == "Yorkshire and the Humber"
    assert suggest("humber", REGIONS) == "Yorkshire and the Humber"


def test_a_name_that_fits_several_choices_equally_suggests_none():
    """'East' starts two regions and is close to neither: no guess between them."""
    assert suggest("East", REGIONS) is None


def test_the_cutoff_decides_how_close_is_close():
    assert suggest("Nrth Est", REGIONS) == "North East"
    assert suggest("Nrth Est", REGIONS, cutoff=0.95) is None


def test_every_normalisation_is_described():
    topics = [topic for topic, _ in NORMALISATIONS]
    assert topics == [
        "byte-order mark",
        "whitespace",
        "rating labels",
        "percentages",
        "category codes",
        "dates",
        "unit names",
    ]
    assert all(text.endswith(".") for _, text in NORMALISATIONS)
