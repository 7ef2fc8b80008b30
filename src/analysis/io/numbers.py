"""Numbers, whole counts and percentages in table cells: one reader and its sentences.

The build (``data/parsers.py``, ``data/extracted.py``), ``analysis rate``
(``ratings/reading.py``) and ``analysis extract`` (``extract/pdu.py``) read numbers here, so
the same bad value gives the same words from each; a value that breaks a rule raises
:class:`NumberProblem` (the check and what was expected), which each caller puts in its own
output with the file, row, column and value. The rules: digits with an optional sign, decimal
point and exponent (``+3``, ``1e3``), thousands grouped (``1,234``); a decimal comma only where
declared (``decimal=","``), otherwise refused saying why; never ``nan`` or ``inf``. A
percentage (0-100 scale, range checks are the caller's) may end in ``%``, ``per cent`` or
``percent`` and has no exponent; a count has no fraction and is at most :data:`MAX_COUNT`.

>>> percentage("70 per cent"), percentage("25 %"), percentage(0.5), count("1,234")
(70.0, 25.0, 0.5, 1234)
>>> number("0,119", decimal=","), number("+3")
(0.119, 3.0)
>>> percentage("seventy")
Traceback (most recent call last):
...
analysis.io.numbers.NumberProblem: a percentage such as 70, '70%' or '70 per cent'
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["NumberProblem", "PER_CENT", "MAX_COUNT", "number", "percentage", "count"]
__all__ += ["percentage_text", "percent_cell_text"]

PER_CENT = re.compile(r"\s*(?:%|per\s*cent|percent)$", re.IGNORECASE)
"""A trailing percent sign, 'per cent' or 'percent'."""

MAX_COUNT = 10**9
"""The largest whole number read as a count; anything larger is an error, never stored."""

_NOT_NUMBERS = frozenset({"nan", "inf", "+inf", "-inf", "infinity", "-infinity", "+infinity"})
_PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = {
    ".": re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$"),
    ",": re.compile(r"^[+-]?[1-9]\d{0,2}((\.\d{3}){2,}(,\d+)?|\.\d{3},\d+)$"),
}
_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u00ad"), None)


@dataclass
class NumberProblem(Exception):
    """A value that is not the number asked for: the check and what was expected."""

    check: str
    expected: str

    def __str__(self) -> str:
        return self.expected


def _text(value: object) -> str:
    return " ".join(str(value).translate(_INVISIBLE).replace("\u00a0", " ").split())


def _read(value: object, decimal: str) -> float | None:
    """A finite number from a cell, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        x = float(value)
        return x if math.isfinite(x) else None
    text = _text(value)
    if _GROUPED[decimal].match(text):
        text = text.replace("," if decimal == "." else ".", "")
    if decimal == ",":
        text = text.replace(",", ".") if "." not in text else ""
    if not _PLAIN.match(text):
        return None
    x = float(text)
    return x if math.isfinite(x) else None


def _why(value: object, decimal: str, what: str, example: str) -> str:
    """What was expected of a cell that is not ``what`` (a number, ...), in words saying why."""
    text = _text(value)
    if text.lower() in _NOT_NUMBERS or (isinstance(value, float) and not math.isfinite(value)):
        return (
            f"a finite {what} such as {example}; '{text}' is not one. Leave the cell empty "
            "where there is no value"
        )
    if decimal == "." and _COMMA.match(text.rstrip("%").strip()):
        return (
            f"a {what} with a decimal point such as {example}; '{text}' has a decimal comma "
            f"(or a misplaced thousands separator). Write it with a point ({text.replace(',', '.')})"
        )
    if decimal == "," and "." in text:
        return (
            f"a {what} with a decimal comma, as this dataset's dataset.toml declares "
            f"(decimal = \",\"); '{text}' has a point, which could be a decimal point or a "
            "thousands separator. Write it without the point, or with a decimal comma"
        )
    return ""


def number(value: object, decimal: str = ".") -> float:
    """A finite number from a cell; raise :class:`NumberProblem` (check ``number``) if not one."""
    x = _read(value, decimal)
    if x is None:
        raise NumberProblem(
            "number", _why(value, decimal, "number", "0.21") or "a number such as 0.21"
        )
    return x


def percentage_text(value: str) -> str:
    """The number of a percentage as written: ``'71 per cent'`` -> ``'71'``, ``'+70%'`` -> ``'70'``."""
    return PER_CENT.sub("", _text(value)).strip().lstrip("+")


def percentage(value: object, decimal: str = ".") -> float:
    """A percentage (0-100 scale) from a cell; raise :class:`NumberProblem` (``percentage``)."""
    digits = PER_CENT.sub("", _text(value)) if isinstance(value, str) else value
    x = None if "e" in str(digits).lower() and isinstance(value, str) else _read(digits, decimal)
    if x is None:
        why = _why(digits, decimal, "percentage", "70")
        raise NumberProblem("percentage", why or "a percentage such as 70, '70%' or '70 per cent'")
    return x


def count(value: object, decimal: str = ".") -> int:
    """A whole count from a cell; raise :class:`NumberProblem` (check ``whole_number``)."""
    x = _read(value, decimal)
    if x is not None and abs(x) > MAX_COUNT:
        expected = f"a whole number such as 20, at most {MAX_COUNT:,}; {_text(value)} is too large"
    elif x is not None and x != int(x):
        expected = "a whole number such as 20 (no fraction)"
    elif x is not None:
        return int(x)
    else:
        expected = _why(value, decimal, "whole number", "20") or "a whole number such as 20"
    raise NumberProblem("whole_number", expected)


def percent_cell_text(value: float) -> str:
    """An Excel cell formatted as a percentage, as shown: stored 0.7 gives ``'70.0%'``."""
    return f"{float(f'{value * 100:.12g}')!r}%"
