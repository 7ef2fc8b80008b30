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

# The rule lives in the data stage, the lowest that writes CSVs (the extracted tables); the
# reader CSVs use the same one.
from ..data.csv_cells import FORMULA_TRIGGERS, escape_cell, safe_for_csv

__all__ = ["FORMULA_TRIGGERS", "escape_cell", "safe_for_csv", "to_safe_csv"]


def to_safe_csv(frame, **kwargs) -> str:
    """``frame.to_csv`` (newline ``\\n``) after :func:`safe_for_csv`; returns the text."""
    kwargs.setdefault("lineterminator", "\n")
    kwargs.setdefault("index", False)
    return safe_for_csv(frame).to_csv(**kwargs)
