"""Safe normalisation of raw values: labels, rating names, codes, dates and unit names.

Only what cannot change the meaning of a value is normalised, and every function says what it
does (numbers and percentages are read by :mod:`analysis.io.numbers`). Anything else is left
as it is and reported by validation, with a suggestion where a close match exists.

>>> from analysis.data import normalise
>>> normalise.name_key("Stockton & Hartlepool PDU") == normalise.name_key("stockton and hartlepool")
True
>>> normalise.match_name("Stockton & Hartlepool", ["Stockton and Hartlepool", "York"])
('Stockton and Hartlepool', None)
>>> normalise.match_name("Yrok", ["Stockton and Hartlepool", "York"])
(None, 'York')
"""

from __future__ import annotations

import datetime as _dt
import difflib
import functools
import re
from collections.abc import Iterable

__all__ = [
    "clean_text",
    "clean_header",
    "parse_date",
    "name_key",
    "match_name",
    "suggest",
    "NORMALISATIONS",
]

NORMALISATIONS = (
    ("byte-order mark", "A UTF-8 byte-order mark at the start of a file or header is removed."),
    ("whitespace", "Leading and trailing spaces are removed and runs of spaces become one space."),
    (
        "rating labels",
        "Case and spacing are ignored: 'requires  Improvement' becomes 'Requires improvement'.",
    ),
    (
        "percentages",
        "'70%', '70 %', '70 per cent', '70 percent' and '+70' become 70.0 (0-100 scale).",
    ),
    (
        "category codes",
        "Case is ignored and spaces become underscores in coded values: 'Not applicable' "
        "becomes 'not_applicable', 'Very High' becomes 'very_high'; 'very-high' is read as "
        "'very_high' where the hyphenated form is not itself a code (age bands keep '18-24').",
    ),
    (
        "dates",
        "ISO dates (2024-09-16), UK day-first dates (16/09/2024, 16-09-2024) and written dates "
        "(16 September 2024, 16 Sep 2024) are read; anything else is an error.",
    ),
    (
        "unit names",
        "Region and PDU names are matched ignoring case, spacing, punctuation, '&' vs 'and' and "
        "a trailing 'PDU'; the reference spelling is kept. A name that still does not match is "
        "an error with the closest reference name suggested.",
    ),
)
"""What :mod:`analysis.data.build` normalises, as (topic, description); shown in the docs."""

_SPACES = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u00ad"), None)


def clean_text(value: object) -> object:
    """Strip a byte-order mark, zero-width characters and surplus spaces from a string.

    Non-strings pass through unchanged.

    >>> clean_text("\\ufeff  Requires   improvement ")
    'Requires improvement'
    """
    if not isinstance(value, str):
        return value
    return _SPACES.sub(" ", value.translate(_INVISIBLE).replace("\u00a0", " ")).strip()


def clean_header(value: object) -> str:
    """A column header as a lower-case identifier: ``' Pct Yes '`` becomes ``'pct_yes'``.

    A ``%`` sign reads as ``pct``: ``'score_%'`` becomes ``'score_pct'``.

    >>> clean_header("\\ufeffCase ID"), clean_header("score_%")
    ('case_id', 'score_pct')
    """
    text = str(clean_text(value)).lower().replace("%", " pct ")
    return re.sub(r"[^0-9a-z]+", "_", text).strip("_")


def code(value: object) -> object:
    """A coded category value in canonical form: ``'Not applicable'`` -> ``'not_applicable'``.

    Hyphens are kept (age bands such as ``'18-24'`` use them); the parser also tries them as
    underscores (``'very-high'``).

    >>> code(" Very High "), code("YES"), code("18-24")
    ('very_high', 'yes', '18-24')
    """
    if not isinstance(value, str):
        return value
    text = str(clean_text(value)).lower()
    return re.sub(r"\s+", "_", text)


_DATE_FORMATS = (
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


def parse_date(value: object, *, day_first_two_digit_year: bool = False) -> _dt.datetime | None:
    """A date from the formats listed in :data:`NORMALISATIONS`; None if none fits.

    Slashed dates are read day first (UK convention): ``'04/03/2024'`` is 4 March 2024.

    >>> parse_date("16 September 2024"), parse_date("16/09/2024")
    (datetime.datetime(2024, 9, 16, 0, 0), datetime.datetime(2024, 9, 16, 0, 0))
    >>> parse_date("09/16/2024") is None
    True

    Two-digit years (``'18/02/25'``) are read only when asked, by a caller that knows its
    source writes them (the youth justice scrape): ``day_first_two_digit_year=True``.
    """
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day)
    if not isinstance(value, str):
        return None
    text = str(clean_text(value))
    formats = (*_DATE_FORMATS, "%d/%m/%y") if day_first_two_digit_year else _DATE_FORMATS
    for fmt in formats:
        try:
            return _dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def name_key(value: object) -> str:
    """A matching key for a unit name: lower case, '&' read as 'and', punctuation and 'PDU' dropped.

    >>> name_key(" Cardiff & Vale PDU ")
    'cardiff and vale'
    """
    text = str(clean_text(value)).lower().replace("&", " and ")
    text = re.sub(r"[^0-9a-z]+", " ", text)
    text = re.sub(r"\b(pdu|probation delivery unit)\b", " ", text)
    return " ".join(text.split())


def match_name(value: object, choices: Iterable[str]) -> tuple[str | None, str | None]:
    """Match a unit name to a reference list.

    Returns ``(match, None)`` when the name equals a reference name up to the safe
    normalisation of :func:`name_key`, else ``(None, suggestion)`` where ``suggestion`` is the
    closest reference name (or None if nothing is close).
    """
    choices = tuple(choices)
    keys = _keys(choices)
    key = name_key(value)
    if key in keys:
        return keys[key], None
    return None, suggest(value, choices)


@functools.lru_cache(maxsize=32)
def _keys(choices: tuple[str, ...]) -> dict[str, str]:
    """Each choice by its :func:`name_key` (the last of equal keys wins), kept for the next
    value matched against the same list; callers only read it."""
    return {name_key(c): c for c in choices}


def suggest(value: object, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest of ``choices`` to ``value`` by :func:`difflib.get_close_matches`, or None.

    >>> suggest("pct_yse", ["pct_yes", "n"])
    'pct_yes'
    """
    choices = tuple(choices)
    keys = _keys(choices)
    key = name_key(value)
    containing = [c for k, c in keys.items() if key and (k.startswith(key) or f" {key}" in k)]
    if len(containing) == 1:
        return containing[0]
    found = difflib.get_close_matches(key, list(keys), n=1, cutoff=cutoff)
    if found:
        return keys[found[0]]
    found = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=cutoff)
    return found[0] if found else None
