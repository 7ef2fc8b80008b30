"""analysis.extract._collect: dates, sentences and figures read from one document, each value
kept with its sentence, its location and how it was read."""

from __future__ import annotations

import re

import pytest

from analysis.extract._collect import (
    DATE,
    Collected,
    FigureSpec,
    iso_date,
    number_value,
    read_figures,
    search_near,
    sentence_at,
)
from analysis.extract._numbers import NUMBER


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("16 September 2024", "2024-09-16"),
        ("04 Dec 2023", "2023-12-04"),
        ("5 may 2025", "2025-05-05"),
        ("December 2024", "2024-12"),
        (" March 2014 ", "2014-03"),
        ("2024", None),
        ("Smarch 2024", None),
        ("16 September", None),
    ],
)
def test_iso_date_keeps_the_precision_stated(text, iso):
    assert iso_date(text) == iso


def test_date_pattern_finds_dates_as_reports_write_them():
    text = "fieldwork from 03 March 2025 to April 2025, published Nov 2025"
    assert re.findall(DATE, text) == ["03 March 2025", "April 2025", "Nov 2025"]


def test_sentence_at_gives_the_sentence_around_a_match_with_whitespace_collapsed():
    text = "First one. The total\ncaseload was 12 in all. Next one."
    start = text.index("12")
    assert sentence_at(text, start, start + 2) == "The total caseload was 12 in all."
    bullet = "Intro\n\u2022 Two people had been charged\n\nAfter"
    start = bullet.index("Two")
    assert sentence_at(bullet, start, start + 3) == "Two people had been charged"


def test_sentence_at_the_start_of_the_text_keeps_its_first_word():
    text = "Hello world, 12 cases."
    start = text.index("12")
    assert sentence_at(text, start, start + 2) == "Hello world, 12 cases."


@pytest.mark.parametrize(
    ("text", "value"),
    [("four in five", 80.0), ("25 per cent", 25.0), ("9.5%", 9.5), ("twelve", 12.0)],
)
def test_number_value_reads_numbers_ratios_and_percentages(text, value):
    assert number_value(text) == value


def test_number_value_refuses_what_is_not_a_number():
    with pytest.raises(ValueError):
        number_value("several")


_CASELOAD = rf"caseload\s+was\s+(?P<v>{NUMBER})"


def test_search_near_finds_what_a_full_search_finds_far_into_a_long_text():
    text = "filler words. " * 2000 + "The total caseload was 1,204 at the time."
    found = search_near(_CASELOAD, text, text.lower())
    assert found is not None and found["v"] == "1,204"
    assert found.span() == re.search(_CASELOAD, text, re.I).span()
    assert search_near(_CASELOAD, "nothing here", "nothing here") is None


def test_collected_provenance_names_the_line_and_file(doc):
    col = Collected(doc("one\ntwo\nthree  words\n", name="report.txt"), "pdu-report")
    assert col.provenance(2, "three \n words", "ratings table line") == {
        "source_text": "three words",
        "location": "line 3",
        "read_as": "ratings table line",
        "source_file": "report.txt",
    }


def test_figures_are_stored_as_floats_and_found_by_measure(doc):
    col = Collected(doc("x\n"), "spotlight")
    col.figure("cases", "sample", "cases", 12, "count", line=0, source_text="x", read_as="r")
    assert col.has_figure("cases") and not col.has_figure("licence")
    assert col.value_of("cases") == 12.0 and isinstance(col.value_of("cases"), float)
    assert col.value_of("licence") is None
    row = col.figures[0]
    assert (row["denominator"], row["approximate"], row["bound"], row["in_words"]) == (
        None,
        False,
        None,
        False,
    )


_SPECS = [
    FigureSpec("caseload", "caseload", "total caseload", _CASELOAD),
    FigureSpec(
        "charged",
        "outcomes",
        "charged",
        rf"(?P<v>{NUMBER})\s+people\s+had\s+been\s+charged",
    ),
    FigureSpec(
        "fair",
        "user_voice",
        "treated fairly",
        rf"(?P<v>{NUMBER})\s+out\s+of\s+(?P<d>{NUMBER}),?\s+said\s+they\s+were\s+treated\s+fairly",
    ),
    FigureSpec(
        "plan",
        "user_voice",
        "felt involved",
        rf"(?P<v>{NUMBER}\s+in\s+{NUMBER})\s+felt\s+involved",
        "percent",
    ),
    FigureSpec("staff", "staffing", "staff in post", rf"(?P<v>{NUMBER})\s+staff\s+in\s+post"),
]


def test_read_figures_reads_each_spec_once_with_how_it_was_read(doc):
    text = (
        "Background\n\n"
        "The total caseload was 1,204.\n"
        "Three people had been\ncharged with a new offence.\n"
        "Of those asked, nine out of twelve, said they were treated fairly. Four in five felt "
        "involved in planning.\n"
    )
    col = Collected(doc(text), "pdu-report")
    assert read_figures(col, _SPECS) == ["staff"]
    got = {f["measure_id"]: f for f in col.figures}
    assert list(got) == ["caseload", "charged", "fair", "plan"]
    assert (got["caseload"]["value"], got["caseload"]["in_words"]) == (1204.0, False)
    assert got["caseload"]["read_as"] == "number in a sentence (pattern)"
    assert got["caseload"]["location"] == "line 3"
    assert got["caseload"]["source_text"] == "The total caseload was 1,204."
    assert (got["charged"]["value"], got["charged"]["location"]) == (3.0, "line 4")
    assert got["charged"]["read_as"] == "number in words (pattern)"
    assert got["charged"]["source_text"] == "Three people had been charged with a new offence."
    assert (got["fair"]["value"], got["fair"]["denominator"], got["fair"]["in_words"]) == (
        9.0,
        12.0,
        True,
    )
    assert (got["plan"]["value"], got["plan"]["read_as"]) == (80.0, "ratio in words")
    assert col.warnings == []
