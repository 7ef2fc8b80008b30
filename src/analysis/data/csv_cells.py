"""Cells a spreadsheet would run as a formula, escaped on writing and read back as written.

A spreadsheet treats a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (and some also
a leading tab or carriage return) as a formula. Every CSV a reader may open, the reader CSVs
(:mod:`analysis.report.csv_safety`) and the extracted tables (``data/raw/extracted/``), is
written through :func:`escape_cell`, which puts an apostrophe, the spreadsheet convention for
"this is text", in front. Text that is only a plain number (``"-3.2"``) is left as it is.
:func:`unescape_cell` undoes exactly that when the project reads such a file back.

>>> escape_cell("=1+1"), escape_cell("-3.2"), escape_cell("-2+3"), escape_cell("York")
("'=1+1", '-3.2', "'-2+3", 'York')
>>> unescape_cell(escape_cell("=HYPERLINK(1)")), unescape_cell("'tis")
('=HYPERLINK(1)', "'tis")
>>> escape_cell("'=1"), unescape_cell(escape_cell("'=1"))
("''=1", "'=1")
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_TRIGGERS", "escape_cell", "unescape_cell", "safe_for_csv", "unescape_frame"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet read a cell as a formula."""

_PLAIN_NUMBER = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$")


def escape_cell(value):
    """``value`` with an apostrophe in front if a spreadsheet would run it as a formula."""
    return "'" + value if _needs_escape(value) else value


def _needs_escape(value) -> bool:
    """Whether a spreadsheet would run ``value`` as a formula, or it is text whose own leading
    apostrophe :func:`unescape_cell` would otherwise take for the escape (``"'=1"``)."""
    if not isinstance(value, str) or not value:
        return False
    if value[0] == "'":
        return _needs_escape(value[1:])
    if value[0] in ("\t", "\r"):
        return True
    return value.lstrip(" ")[:1] in FORMULA_TRIGGERS and not _PLAIN_NUMBER.match(value)


def unescape_cell(value):
    """The text :func:`escape_cell` was given: the apostrophe it added is removed, no other."""
    if isinstance(value, str) and value[:1] == "'" and escape_cell(value[1:]) == value:
        return value[1:]
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


def unescape_frame(frame):
    """``frame`` (read as text) with every cell :func:`unescape_cell`-ed."""
    return frame.apply(lambda column: column.map(unescape_cell))
