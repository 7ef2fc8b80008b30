"""Printed percentages as sets of counts: which numbers of cases print as a given percentage.

Reports print key-question percentages rounded, usually to whole numbers ("65%"). A printed
percentage ``p`` with ``d`` decimals, of ``n`` applicable cases, stands for every count ``k``
in 0..n with ``100 k / n`` in the closed interval ``[p - h, p + h]``, ``h = 0.5 × 10^-d``.
The interval is closed so that either way of rounding a half (up or to even) is covered. The
number of decimals is read from the value as given, trailing zeros not counting ("65", "65.0"
and the float 65.0 are whole percentages; "64.9" has one decimal).

>>> consistent_counts(65, 34, 0)
(22, 22)
>>> consistent_counts(65, 200, 0)
(129, 131)
>>> consistent_counts(64.9, 20, 1)
(13, 12)
>>> decimals_of("64.90"), decimals_of(65.0), decimals_of("12.25")
(1, 0, 2)
"""

from __future__ import annotations

import math

__all__ = ["decimals_of", "consistent_counts", "nearest_count", "impossible_message", "half_up"]

_EPS = 1e-9


def half_up(value: float) -> int:
    """Round half up, as reports print percentages (5 of 8 = 62.5% is printed 63%).

    Python's ``round`` rounds half to even, which would print 5 of 8 as 62%.
    """
    return math.floor(value + 0.5 + _EPS)


def decimals_of(value: str | float) -> int:
    """Decimals a percentage was printed with (trailing zeros do not count)."""
    text = value if isinstance(value, str) else repr(float(value))
    if "e" in text.lower():  # a float so small or large that repr uses an exponent
        return 10
    _, _, fraction = text.strip().partition(".")
    return len(fraction.rstrip("0"))


def consistent_counts(pct: float, n: int, decimals: int) -> tuple[int, int]:
    """(lowest, highest) count of ``n`` whose percentage prints as ``pct``; low > high if none."""
    half = 0.5 * 10.0**-decimals
    low = max(0, math.ceil((pct - half) * n / 100 - _EPS))
    high = min(n, math.floor((pct + half) * n / 100 + _EPS))
    return low, high


def nearest_count(pct: float, n: int, low: int, high: int) -> int:
    """The consistent count nearest to ``pct × n / 100`` (the lower one on a tie)."""
    target = pct * n / 100
    best = min(max(math.floor(target + 0.5 - _EPS), low), high)
    return int(best)


def impossible_message(given: str, n: int) -> str:
    """Why ``given`` per cent cannot come from ``n`` cases, with the nearest possible values."""
    pct = float(given)
    below = math.floor(pct * n / 100 + _EPS)
    options = sorted({max(0, min(n, below)), max(0, min(n, below + 1))})
    nearest = " and ".join(f"{k}/{n} = {100 * k / n:.4g}%" for k in options)
    hint = (
        f"; if {given} is a fraction, write it as a percentage ({100 * pct:g})"
        if 0 < pct <= 1
        else ""
    )
    return (
        f"{given}% cannot come from {n} case(s): no whole number of cases out of {n} "
        f"prints as {given}% (nearest: {nearest}). Check the percentage and n{hint}"
    )
