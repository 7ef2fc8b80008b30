"""Normalisation of text artefacts and reading of counts in words, tested in one place."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.extract import find_quantities, normalise_lines, parse_number

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    """English words for 0-199, written independently of the code under test."""
    if n >= 100:
        rest = n - 100
        return "one hundred" + (f" and {words(rest)}" if rest else "")
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")


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


@given(st.integers(0, 199), st.integers(1, 199))
def test_counts_in_words_round_trip(n, d):
    if n > d:
        n, d = d, n
    text = f"in {words(n)} out of {words(d)} cases"
    (q,) = find_quantities(text)
    assert (q.n, q.denominator, q.kind, q.in_words) == (n, d, "count", True)
    assert parse_number(words(n)) == n


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "almost half of the cases (eight out of 20)",
            [("fraction", 50, "upper"), ("count", 40, None)],
        ),
        ("just over two-thirds", [("fraction", 200 / 3, "lower")]),
        ("five of the six POs", [("count", 500 / 6, None)]),
        ("four in five felt involved", [("ratio", 80, None)]),
        ("One hundred per cent of relevant reports", [("percent", 100, None)]),
        ("Sixty-nine per cent", [("percent", 69, None)]),
        ("in a quarter of the cases", [("fraction", 25, None)]),
        ("around 40% of cases", [("percent", 40, "about")]),
        ("3.2 per cent", [("percent", 3.2, None)]),
        ("the majority at 120 per cent", [("percent", 120, None)]),
    ],
)
def test_quantities(text, expected):
    got = [(q.kind, q.pct, q.bound) for q in find_quantities(text)]
    assert [(k, round(p, 6), b) for k, p, b in got] == [(k, round(p, 6), b) for k, p, b in expected]
    for q in find_quantities(text):
        assert q.text in text and q.approximate == (q.bound is not None)


@pytest.mark.parametrize("text", ["between seven and 12 months", "11 PDUs", "9 of 3 cases"])
def test_no_quantity_is_invented(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text", ["twelvety", "one hundred and", "eight seven", "a lot"])
def test_parse_number_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_number(text)
