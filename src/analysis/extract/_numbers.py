"""Counts, percentages and fractions as reports write them, kept with their original wording.

>>> [q.describe() for q in find_quantities("in eight out of 20 cases")]
['8 of 20']
>>> q = find_quantities("in just over two-thirds of cases")[0]
>>> (round(q.pct, 1), q.approximate, q.bound)
(66.7, True, 'lower')
>>> find_quantities("One hundred per cent of reports")[0].pct
100.0
>>> parse_number("twenty-one")
21
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Quantity", "find_quantities", "parse_number", "NUMBER"]

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_WORD_VALUES = {w: i for i, w in enumerate(_UNITS)} | {w: 20 + 10 * i for i, w in enumerate(_TENS)}

_WORD = r"(?:" + "|".join(sorted(_WORD_VALUES, key=len, reverse=True)) + r")"
NUMBER = (
    rf"\b(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|(?:{_WORD}[- ])?(?:one )?hundred(?: and {_WORD}(?:-{_WORD})?)?"
    rf"|{_WORD}(?:-{_WORD})?)"
)
"""Regular expression for a number in digits or words (up to one hundred and ninety-nine)."""

_FRACTIONS = {
    "half": 1 / 2,
    "one-third": 1 / 3,
    "one third": 1 / 3,
    "a third": 1 / 3,
    "two-thirds": 2 / 3,
    "two thirds": 2 / 3,
    "a quarter": 1 / 4,
    "one-quarter": 1 / 4,
    "one quarter": 1 / 4,
    "three-quarters": 3 / 4,
    "three quarters": 3 / 4,
    "a fifth": 1 / 5,
    "one-fifth": 1 / 5,
    "four-fifths": 4 / 5,
}
_LOWER = ("just over", "more than", "over", "at least")
_UPPER = ("just under", "almost", "nearly", "less than", "fewer than", "under")
_ABOUT = ("about", "around", "approximately", "roughly", "some")
_QUALIFIER = r"(?P<q>" + "|".join(sorted(_LOWER + _UPPER + _ABOUT, key=len, reverse=True)) + r")\s+"
_FRAC = r"(?P<f>" + "|".join(sorted(map(re.escape, _FRACTIONS), key=len, reverse=True)) + r")"

_PATTERNS = [
    (
        "count",
        re.compile(
            rf"(?:{_QUALIFIER})?\b(?P<n>{NUMBER})\s+(?:out\s+)?of\s+(?:the\s+|these\s+)?(?P<d>{NUMBER})\b",
            re.I,
        ),
    ),
    ("ratio", re.compile(rf"(?:{_QUALIFIER})?\b(?P<n>{NUMBER})\s+in\s+(?P<d>{NUMBER})\b", re.I)),
    (
        "percent",
        re.compile(rf"(?:{_QUALIFIER})?(?<![\w.])(?P<p>{NUMBER})\s*(?:per\s*cent|percent|%)", re.I),
    ),
    ("fraction", re.compile(rf"(?:{_QUALIFIER})?\b{_FRAC}\b(?!-)", re.I)),
]


def parse_number(text: str) -> float | int:
    """A number written in digits or words: ``"eight"`` → 8, ``"One hundred"`` → 100.

    Raises
    ------
    ValueError
        When ``text`` is not a number this module can read.
    """
    t = text.strip().lower().replace(",", "")
    if re.fullmatch(r"\d+", t):
        return int(t)
    if re.fullmatch(r"\d+\.\d+", t):
        return float(t)
    total = 0
    parts = re.split(r"[\s-]+", t)
    if "hundred" in parts:
        i = parts.index("hundred")
        head = parts[:i]
        if head in ([], ["one"], ["a"]):
            total = 100
        elif len(head) == 1 and head[0] in _WORD_VALUES:
            total = 100 * _WORD_VALUES[head[0]]
        else:
            raise ValueError(f"not a number: {text!r}")
        tail = parts[i + 1 :]
        parts = tail[1:] if tail[:1] == ["and"] else tail
        if tail and not parts:
            raise ValueError(f"not a number: {text!r}")
    if not parts:
        return total
    if all(p in _WORD_VALUES for p in parts) and len(parts) <= 2:
        if len(parts) == 2 and not (parts[0] in _TENS and _WORD_VALUES[parts[1]] < 10):
            raise ValueError(f"not a number: {text!r}")
        return total + sum(_WORD_VALUES[p] for p in parts)
    raise ValueError(f"not a number: {text!r}")


@dataclass(frozen=True)
class Quantity:
    """One quantity found in a sentence, with its wording and how it was read.

    ``kind`` is ``count`` (n of a denominator), ``ratio`` ("four in five"), ``percent`` or
    ``fraction`` (words such as "a quarter"). ``pct`` is the stated or implied percentage.
    ``approximate`` is true where a qualifier ("just over", "almost") makes the figure a bound;
    ``bound`` is then ``lower``, ``upper`` or ``about``, and the value is the stated figure.
    """

    text: str
    start: int
    end: int
    kind: str
    n: float | None
    denominator: float | None
    pct: float | None
    qualifier: str | None
    approximate: bool
    bound: str | None
    in_words: bool

    def describe(self) -> str:
        """Short reading, e.g. ``8 of 20`` or ``25%``."""
        if self.kind in ("count", "ratio"):
            return f"{_fmt(self.n)} of {_fmt(self.denominator)}"
        return f"{_fmt(self.pct)}%"


def _fmt(x: float | None) -> str:
    return "?" if x is None else (f"{x:g}")


def _bound(q: str | None) -> str | None:
    if q is None:
        return None
    q = q.lower()
    return "lower" if q in _LOWER else "upper" if q in _UPPER else "about"


def find_quantities(sentence: str) -> list[Quantity]:
    """Every count, ratio, percentage and fraction in ``sentence``, left to right.

    Overlaps are resolved in favour of the earlier pattern: "eight out of 20" is one count,
    not a count and a bare number. Numbers that do not parse are skipped, never guessed.
    """
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            q = m.group("q")
            try:
                if kind in ("count", "ratio"):
                    n, d = parse_number(m.group("n")), parse_number(m.group("d"))
                    if d == 0 or n > d:
                        continue
                    pct = 100 * n / d
                    words = not (m.group("n")[0].isdigit() and m.group("d")[0].isdigit())
                elif kind == "percent":
                    n = d = None
                    pct = float(parse_number(m.group("p")))
                    if pct > 1000:
                        continue
                    words = not m.group("p")[0].isdigit()
                else:
                    n = d = None
                    pct = 100 * _FRACTIONS[m.group("f").lower()]
                    words = True
            except ValueError:
                continue
            taken.append((m.start(), m.end()))
            found.append(
                Quantity(
                    text=m.group(0),
                    start=m.start(),
                    end=m.end(),
                    kind=kind,
                    n=n,
                    denominator=d,
                    pct=pct,
                    qualifier=q.lower() if q else None,
                    approximate=_bound(q) is not None,
                    bound=_bound(q),
                    in_words=words,
                )
            )
    return sorted(found, key=lambda x: x.start)
