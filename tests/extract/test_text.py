"""analysis.extract._text: text artefacts repaired line by line, so that locations stay true."""

from __future__ import annotations

import pytest

from analysis.extract._text import MAX_GAP, normalise_lines, split_lines, strip_back_to_top


def test_line_count_is_kept_so_locations_stay_true():
    lines = ["a", "the assess-", "ment was", "", "x\u00a0y", "rating\u00b2 is"]
    out = normalise_lines(lines)
    assert len(out) == len(lines)
    assert out == ["a", "the assessment", "was", "", "x y", "rating is"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (
            "Organisational arrangements and activit\t\u0443\t",
            "Organisational arrangements and activity",
        ),
        ("\u0421ase \u0430ssessment", "Case assessment"),  # Cyrillic С and а inside Latin words
        ("\u0421\u0430\u0441", "\u0421\u0430\u0441"),  # a Cyrillic word stays Cyrillic
        ("in 546\u00b9 cases", "in 546 cases"),  # footnote marker stuck to a number
        ("e\ufb00ective \ufb01ndings", "effective findings"),
        ("soft\u00adhyphen and zero\u200bwidth", "softhyphen and zerowidth"),
        ("trailing spaces   ", "trailing spaces"),
    ],
)
def test_artefacts(raw, clean):
    assert normalise_lines([raw]) == [clean]


def test_a_look_alike_one_space_from_a_latin_word_is_repaired_and_the_gap_kept():
    # the gap stays for the layout's tolerant patterns ("activit y")
    assert normalise_lines(["activit \u0443 here"]) == ["activit y here"]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["sustained offence-", "related interventions"], "sustained offence-related"),
        (["the multi-", "agency approach"], "the multi-agency"),
        (["the classific-", "ation of risk"], "the classification"),
        (["were deliver-", "ed on time"], "were delivered"),
    ],
)
def test_line_end_hyphen_joins_words_and_keeps_compounds(lines, joined):
    assert normalise_lines(lines)[0] == joined


def test_hyphen_is_kept_when_the_next_line_does_not_continue_a_word():
    assert normalise_lines(["well-", "Informed"]) == ["well-", "Informed"]
    assert normalise_lines(["see page 4 -", "x"]) == ["see page 4 -", "x"]


def test_pdfium_mark_for_a_broken_word_on_a_line_with_other_unicode_is_a_hyphen():
    assert normalise_lines(["the assess\ufffe", "ment of risk"]) == ["the assessment", "of risk"]


def test_pdfium_control_mark_for_a_broken_word_is_a_hyphen_on_a_plain_line():
    assert normalise_lines(["the assess\x02", "ment of risk"]) == ["the assessment", "of risk"]


def test_a_long_run_of_blanks_becomes_one_blank_and_a_short_one_is_kept():
    kept = "a" + " " * MAX_GAP + "b"
    assert normalise_lines([kept]) == [kept]
    assert normalise_lines(["a" + " " * (MAX_GAP + 1) + "b"]) == ["a b"]
    # a run holding a tab becomes one tab: table cells stay apart
    assert normalise_lines(["a" + " \t" * 20 + "b"]) == ["a\tb"]


def test_split_lines_on_every_line_end():
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]
    assert split_lines("a\n\nb") == ["a", "", "b"]


@pytest.mark.parametrize(
    ("line", "stripped"),
    [
        ("Foreword (Back to top)", "Foreword"),
        ("P 2.1. Assessment  (back to top)  ", "P 2.1. Assessment"),
        ("Back to top of the page", "Back to top of the page"),
        ("(Back to top) Foreword", "(Back to top) Foreword"),
    ],
)
def test_strip_back_to_top_only_at_the_end(line, stripped):
    assert strip_back_to_top(line) == stripped
