"""analysis.extract._numbers: counts, ratios, percentages and fractions as reports write them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.extract._numbers import NUMBER, find_quantities, parse_number

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


def test_a_quantity_keeps_its_wording_place_and_reading():
    sentence = "Risk was assessed in 14 of 19 relevant cases."
    (q,) = find_quantities(sentence)
    assert (q.text, sentence[q.start : q.end]) == ("14 of 19", "14 of 19")
    assert (q.n, q.denominator, q.in_words, q.qualifier) == (14, 19, False, None)
    assert q.describe() == "14 of 19"
    (q,) = find_quantities("in nearly 45% of cases")
    assert (q.qualifier, q.bound, q.describe()) == ("nearly", "upper", "45%")


@pytest.mark.parametrize("text", ["between seven and 12 months", "11 PDUs", "9 of 3 cases"])
def test_no_quantity_is_invented(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,234", 1234), ("9.5", 9.5), ("Ninety-nine", 99), ("a hundred", 100), ("zero", 0)],
)
def test_parse_number_in_digits_or_words(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["twelvety", "one hundred and", "eight seven", "a lot"])
def test_parse_number_refuses_what_it_cannot_read(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    "text", ["one hundred and ninety-nine", "twenty-one", "1,204", "9.5", "eight"]
)
def test_number_pattern_takes_the_whole_number(text):
    assert re.fullmatch(NUMBER, text, re.I) is not None
