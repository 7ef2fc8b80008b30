"""Reader tables that fit their column: the HTML layout of :func:`analysis.report.show_table`.

Following the Analysis Function's guidance on tables, a reader table

* moves every column whose value is the same in each row into the caption ("In every row:
  Data source Synthetic; PDUs 7");
* shows an interval as one column ("0.71 to 0.92") rather than two;
* puts the columns that identify a row first, then the results, then counts and the rest;
* turns long notes (warnings) into numbered notes under the table, identical notes sharing
  one number;
* formats each column one way: the same decimals in every row, thousands separators.

The CSV keeps every column, in its order, at full precision.

>>> import pandas as pd
>>> frame = pd.DataFrame({"term": ["a", "b"], "n": [4657, 12], "odds_ratio": [0.812, 1.5],
...     "ci_low": [0.7, 1.01], "ci_high": [0.92, 2.31], "source": ["synthetic"] * 2})
>>> layout = reader_layout(frame, "Odds ratios", "term")
>>> list(layout.frame.columns), layout.constants
(['term', 'odds_ratio', 'interval', 'n'], ['Data source: Synthetic'])
>>> list(layout.frame["interval"]), list(layout.frame["n"])
(['0.70 to 0.92', '1.01 to 2.31'], ['4,657', '12'])
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from .. import frameworks as _fw
from ._labels import (
    INTEGER_COLUMNS,
    PROBABILITY_COLUMNS,
    column_label,
    column_labels,
    format_value,
)

INTERVALS = {"ci_low": ("ci_high", "interval"), "ame_ci_low": ("ame_ci_high", "ame_interval")}
"""Interval ends shown as one column: low column → (high column, shown column)."""

RANGES = {
    "period_start": ("period_end", "period"),
    "record_certain": ("record_possible", "record_range"),
}
"""A start and an end shown as one column: start column → (end column, shown column)."""

FOLLOWS = {"record_range": "record_likely"}
"""A merged column shown just after another: the range of counts after the likely count."""

INTERVAL_OF = {"interval": ("odds_ratio", "ame_pp", "difference_pp", "rate_pct", "pct_yes")}
INTERVAL_OF["ame_interval"] = ("ame_pp",)
"""The estimate each interval column follows (the first one present)."""


def interval_pairs(columns) -> dict[str, tuple[str, str]]:
    """The interval ends among ``columns``: low column → (high column, shown column).

    Beside :data:`INTERVALS`, any ``<x>_low`` with an ``<x>_high`` is an interval of ``<x>``
    (shown as ``<x>_interval``, after ``<x>_pct`` or ``<x>``).

    >>> interval_pairs(["progress_pct", "progress_low", "progress_high", "ci_low", "ci_high"])
    {'ci_low': ('ci_high', 'interval'), 'progress_low': ('progress_high', 'progress_interval')}
    """
    names = {str(c) for c in columns}
    pairs = {low: ends for low, ends in INTERVALS.items() if low in names}
    for name in map(str, columns):
        stem = name.removesuffix("_low")
        if name != stem and name not in pairs and f"{stem}_high" in names:
            pairs[name] = (f"{stem}_high", f"{stem}_interval")
    return pairs


def estimates_of(merged: str) -> tuple[str, ...]:
    """The estimate columns an interval column follows, first present wins."""
    if merged in INTERVAL_OF:
        return INTERVAL_OF[merged]
    stem = merged.removesuffix("_interval")
    return (f"{stem}_pct", stem)


IDENTITY = (
    "region",
    "pdu",
    "unit",
    "scope",
    "unit_type",
    "standard",
    "standard_name",
    "area",
    "key_question",
    "term",
    "band",
    "reference",
    "outcome",
    "period",
)
"""Columns that say what a row is about: shown first."""

RESULTS = (
    "rating",
    "overall_rating",
    "computed_rating",
    "published_rating",
    "status",
    "odds_ratio",
    "difference_pp",
    "rate_pct",
    "pct_yes",
    "outcome_rate",
    "interval",
    "ame_pp",
    "ame_interval",
    "p_adjusted",
    "clear_after_adjustment",
    "agrees",
    "borderline",
    "p_computed",
    *_fw.PROBABILITY_COLUMNS,
    "lowest_key_question",
    "lowest_pct",
    "p_value",
)
"""Result columns, in the order they follow the identity columns."""

NOTE_COLUMNS = frozenset(
    {"warning", "warnings", "note", "notes", "ambiguity", "caveat", "probably_missing"}
)
"""Text columns shown as numbered notes under the table."""

_ADDRESS = re.compile(r"https?://\S+")
"""A cell that is one web address."""

COLUMN_LABELS_SHOWN = {"interval": "95% interval", "ame_interval": "95% interval (points)"}


@dataclass
class Layout:
    """A reader table: shown values (text), headings, the caption's constants and notes."""

    frame: pd.DataFrame
    numeric: list[bool]
    constants: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    row_header: str | None = None


FIXED_DECIMALS = {
    "odds_ratio": 2,
    **dict.fromkeys(("pct_yes", "rate_pct", "reference_rate_pct", "outcome_rate", "lowest_pct"), 1),
    **dict.fromkeys(("difference_pp", "ame_pp", "ame_ci_low", "ame_ci_high"), 1),
}
"""Decimals of the columns that have a convention: odds ratios two, percentages and points one."""


def _decimals(values: pd.Series, name: str) -> int | None:
    """Decimals for a whole numeric column (None: counts, years, p-values, probabilities)."""
    if name in FIXED_DECIMALS:
        return FIXED_DECIMALS[name]
    if name in PROBABILITY_COLUMNS or name in INTEGER_COLUMNS or "year" in name:
        return None
    if name.startswith("p_") and "pct" not in name:
        return None
    finite = pd.to_numeric(values, errors="coerce").dropna()
    finite = finite[finite.map(math.isfinite)]
    if finite.empty:
        return None
    if pd.api.types.is_integer_dtype(values) or (finite == finite.round()).all():
        return 0
    return 2 if finite.abs().max() < 10 else 1


def _number(value, name: str, decimals: int | None) -> str:
    if decimals is None or isinstance(value, bool):
        return format_value(value, name)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return format_value(value, name)  # a suppressed or text cell keeps its own words
    if not math.isfinite(number):
        return format_value(value, name)
    return f"{number:,.{decimals}f}"


def _column_text(values: pd.Series, name: str, estimate: str | None = None) -> list[str]:
    """A column's cells as text, one style for all: an interval end takes its estimate's."""
    numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
    decimals = _decimals(values, estimate or name) if numeric else None
    return [_number(v, name, decimals) if numeric else format_value(v, name) for v in values]


def reader_layout(
    frame: pd.DataFrame, caption: str, row_header: str | None, types: pd.DataFrame | None = None
) -> Layout:
    """The table as a reader sees it (see the module docstring); ``frame`` is not changed.

    ``types`` is the frame before suppression: a column of counts stays numeric with ``[c]``.
    """
    columns = list(frame.columns)
    types = frame if types is None else types
    numeric_of = {
        c: c in types.columns
        and pd.api.types.is_numeric_dtype(types[c])
        and not pd.api.types.is_bool_dtype(types[c])
        for c in columns
    }
    pairs = interval_pairs(columns)
    follows = {
        end: next((e for e in estimates_of(merged) if e in frame.columns), None)
        for low, (high, merged) in pairs.items()
        for end in (low, high)
    }
    shown = {c: _column_text(frame[c], str(c), follows.get(str(c))) for c in columns}
    constants: list[str] = []
    if len(frame) >= 2:
        for c in columns:
            if c == row_header or frame[c].astype(str).nunique(dropna=False) != 1:
                continue
            value = shown.pop(c)[0]
            if value and str(c) not in NOTE_COLUMNS:
                constants.append(f"{column_labels([c])[0]}: {value}")
            elif value:
                constants.append(f"Note for every row: {value}")
    for start, (end, merged) in RANGES.items():  # a period as one column: "2022-01 to 2022-12"
        if start in shown and end in shown:
            shown[merged] = [
                f"{a} to {b}" if a and b and a != b else a or b
                for a, b in zip(shown[start], shown[end], strict=True)
            ]
            del shown[start], shown[end]
    for low, (high, merged) in pairs.items():
        if low in shown and high in shown:
            shown[merged] = [
                f"{a} to {b}" if a and b else ""
                for a, b in zip(shown[low], shown[high], strict=True)
            ]
            numeric_of[merged] = True
            del shown[low], shown[high]
    notes: list[str] = []
    for c in list(shown):
        if str(c) not in NOTE_COLUMNS:
            continue
        refs = []
        for text in shown[c]:
            if not text:
                refs.append("")
                continue
            if text not in notes:
                notes.append(text)
            refs.append(f"Note {notes.index(text) + 1}")
        shown[c] = refs
    order = [c for c in shown if c == row_header]
    order += [c for c in shown if c in IDENTITY and c not in order]
    order += [c for name in RESULTS for c in shown if c == name and c not in order]
    order += [c for c in shown if c not in order]
    placed = [c for c in order if str(c).endswith("_interval") and c not in RESULTS]
    for merged in [*placed, *(c for c in FOLLOWS if c in order)]:
        after = (FOLLOWS[merged],) if merged in FOLLOWS else estimates_of(str(merged))
        estimate = next((e for e in after if e in order), None)
        if estimate is not None:  # an interval sits just after its estimate
            order.remove(merged)
            order.insert(order.index(estimate) + 1, merged)
    out = pd.DataFrame({c: shown[c] for c in order}, index=range(len(frame)))
    return Layout(
        frame=out,
        numeric=[numeric_of.get(c, False) for c in order],
        constants=constants,
        notes=notes,
        row_header=row_header if row_header in order else None,
    )


def _heading(column, label: str) -> str:
    text = str(column)
    if text in COLUMN_LABELS_SHOWN:
        return COLUMN_LABELS_SHOWN[text]
    if text.endswith("_interval"):
        return f"{column_label(text.removesuffix('_interval'))}: 95% interval"
    return label


def _headings(columns) -> list[str]:
    labels = column_labels([c for c in columns])
    return [_heading(c, label) for c, label in zip(columns, labels, strict=True)]


def table_html(frame: pd.DataFrame, caption: str, row_header, types=None) -> str:
    """A reader table: caption (with its constant columns), headings with ``scope``, the unit
    as row header, results first, numbered notes under the table."""
    from ..frameworks import RATINGS

    layout = reader_layout(frame, caption, row_header, types)
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if is_num else ""}>{escape(label)}</th>'
        for label, is_num in zip(_headings(layout.frame.columns), layout.numeric, strict=True)
    )
    body = []
    for values in layout.frame.itertuples(index=False, name=None):
        cells = []
        for column, text, is_num in zip(layout.frame.columns, values, layout.numeric, strict=True):
            if column == layout.row_header:
                tag, attrs = "th", ' scope="row"'
            else:
                tag, attrs = "td", ' class="num"' if is_num else ""
            if text in RATINGS:
                slug = text.lower().replace(" ", "-")
                text_html = f'<span class="rating rating-{slug}">{escape(text)}</span>'
            elif _ADDRESS.fullmatch(text):  # a source: a link that wraps anywhere
                attrs = ' class="address"'
                text_html = f'<a href="{escape(text)}">{escape(text)}</a>'
            else:
                text_html = escape(text)
            cells.append(f"<{tag}{attrs}>{text_html}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    constant_html = ""
    if layout.constants:
        constant_html = (
            '<span class="caption-constants">In every row: '
            + escape("; ".join(layout.constants))
            + ".</span>"
        )
    notes_html = ""
    if layout.notes:
        notes_html = (
            '\n<ol class="table-notes" aria-label="Notes to the table">'
            + "".join(f"<li>{escape(n)}</li>" for n in layout.notes)
            + "</ol>"
        )
    return (
        f'<table class="data-table">\n<caption>{escape(caption)}{constant_html}</caption>\n'
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
        + notes_html
    )
