"""analysis.rounding: which counts of n cases print as a given percentage.

Expected counts are worked by hand: k of n prints as p% (d decimals) when 100 k / n lies in
[p - ½·10^-d, p + ½·10^-d] (docs/ratings.md, "Rounding convention").
"""

import pytest

from analysis.rounding import (
    consistent_counts,
    decimals_of,
    impossible_message,
    nearest_count,
)


@pytest.mark.parametrize(
    "value, decimals",
    [("65", 0), ("65.0", 0), (65, 0), ("64.7", 1), (64.7, 1), ("12.50", 1), (" 7.125 ", 3)],
)
def test_decimals_are_those_written_trailing_zeros_not_counting(value, decimals):
    assert decimals_of(value) == decimals


def test_a_float_written_with_an_exponent_counts_as_many_decimals():
    assert decimals_of(1e-7) == 10


@pytest.mark.parametrize(
    "pct, n, decimals, counts",
    [
        (63, 8, 0, (5, 5)),  # 5/8 = 62.5%: printed 63% when halves round up ...
        (62, 8, 0, (5, 5)),  # ... and 62% when they round to even: both allowed
        (12.5, 8, 1, (1, 1)),  # 1/8 = 12.5% exactly
        (100, 7, 0, (7, 7)),
        (0, 7, 0, (0, 0)),
        (14, 7, 0, (1, 1)),  # 1/7 = 14.29%
        (50, 1000, 0, (495, 505)),  # 49.5% to 50.5%
    ],
)
def test_counts_that_print_as_the_percentage(pct, n, decimals, counts):
    assert consistent_counts(pct, n, decimals) == counts


@pytest.mark.parametrize("pct, n, decimals", [(50, 7, 0), (64.9, 20, 1), (0.7, 20, 1), (99, 20, 0)])
def test_no_count_prints_as_an_impossible_percentage(pct, n, decimals):
    # 50% of 7: 3/7 = 42.9%, 4/7 = 57.1%; 64.9% of 20: 12/20 = 60%, 13/20 = 65%;
    # 0.7% of 20: 0% or 5%; 99% of 20: 95% or 100%
    low, high = consistent_counts(pct, n, decimals)
    assert low > high


@pytest.mark.parametrize(
    "pct, n, low, high, nearest",
    [
        (65, 200, 129, 131, 130),  # 65% × 200 = 130 exactly
        (50, 3, 1, 2, 1),  # 1.5: a tie, the lower count
        (10, 20, 3, 4, 3),  # 2 is outside the range given: the nearest inside it
        (90, 20, 15, 16, 16),  # 18 is above it
    ],
)
def test_the_nearest_consistent_count(pct, n, low, high, nearest):
    assert nearest_count(pct, n, low, high) == nearest


def test_the_message_names_the_nearest_possible_counts():
    assert impossible_message("64.9", 20) == (
        "64.9% cannot come from 20 case(s): no whole number of cases out of 20 prints as 64.9% "
        "(nearest: 12/20 = 60% and 13/20 = 65%). Check the percentage and n"
    )
    # near 100% the count above n is not offered
    assert "(nearest: 19/20 = 95% and 20/20 = 100%)" in impossible_message("99", 20)
    assert "(nearest: 3/7 = 42.86% and 4/7 = 57.14%)" in impossible_message("50", 7)


def test_a_fraction_gets_the_hint_to_write_a_percentage():
    assert impossible_message("0.35", 20).endswith(
        "; if 0.35 is a fraction, write it as a percentage (35)"
    )
    assert "fraction" not in impossible_message("1.5", 20)
