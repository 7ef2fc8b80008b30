"""CSV files that are safe to open in a spreadsheet: no cell runs as a formula.

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(and some also a leading tab or carriage return), so a unit name such as
``=HYPERLINK("http://…")`` in a downloaded CSV could run when a reader opens it. Every reader
CSV is written through :func:`to_safe_csv`, which prefixes such text cells (and column
names) with an apostrophe, the convention spreadsheets use for "this is text".

What is **not** escaped, by decision: numbers in numeric columns (``-3.2`` stays a number),
and text that is only a plain number (``"-3.2"``, ``"+5"``, ``"-1e-05"``), which a
spreadsheet reads as that number, never as a formula. Anything else that starts with a
trigger character, after any leading spaces, is escaped: ``-2+3``, ``=1+1``, ``@SUM(A1)``.
See docs/disclosure.md ("Safe CSV files").

>>> escape_cell("=1+1"), escape_cell("-3.2"), escape_cell("-2+3"), escape_cell("York")
("'=1+1", '-3.2', "'-2+3", 'York')
>>> import pandas as pd
>>> print(to_safe_csv(pd.DataFrame({"unit": ["@York"], "change": [-1.5]})), end="")
unit,change
'@York,-1.5
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_TRIGGERS", "escape_cell", "safe_for_csv", "to_safe_csv"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula."""

_PLAIN_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


def escape_cell(value):
    """``value`` with an apostrophe in front if a spreadsheet would run it as a formula."""
    if not isinstance(value, str) or not value:
        return value
    if value[0] in ("\t", "\r") or value.lstrip(" ")[:1] in FORMULA_TRIGGERS:
        if _PLAIN_NUMBER.match(value) and value[0] not in ("\t", "\r"):
            return value
        return "'" + value
    return value


def safe_for_csv(frame):
    """A copy of ``frame`` whose text cells, column names and index values are escaped.

    Numeric, boolean and datetime columns are left as they are.
    """
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            out[column] = values.astype(object).map(escape_cell)
        elif values.dtype == object or pd.api.types.is_string_dtype(values.dtype):
            out[column] = values.map(escape_cell)
    out.columns = [escape_cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    if out.index.dtype == object or pd.api.types.is_string_dtype(out.index.dtype):
        out.index = out.index.map(escape_cell)
    return out


def to_safe_csv(frame, **kwargs) -> str:
    """``frame.to_csv`` (newline ``\\n``) after :func:`safe_for_csv`; returns the text."""
    kwargs.setdefault("lineterminator", "\n")
    kwargs.setdefault("index", False)
    return safe_for_csv(frame).to_csv(**kwargs)
