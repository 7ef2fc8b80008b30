"""Human labels and formatted values for reader tables (the CSVs keep machine names and values).

A reader table shows ``Applicable cases`` rather than ``n_applicable``, ``Implementation and
delivery: keeping safe`` rather than ``implementation_and_delivery_keeping_safe``, ``96.7``
(with ``%`` in the heading) rather than ``9.669552e-01``, and ``Yes`` rather than ``True``.

>>> column_label("n_applicable"), column_label("some_new_column")
('Applicable cases', 'Some new column')
>>> readable_id("implementation_and_delivery_keeping_safe")
'Implementation and delivery: keeping safe'
>>> readable_id("assessment_desistance_per_10pts")
'Assessment: desistance (per 10 points)'
>>> format_value(0.9669552003578938, "p_inadequate"), format_value(True, "borderline")
('96.7', 'Yes')
>>> format_value(2022.0, "report_year"), format_value(2022, "score"), format_value(1234, "n")
('2022', '2022', '1,234')
"""

from __future__ import annotations

import math
import re

import pandas as pd

from .. import frameworks as _fw
from .summaries.words import ADJUSTMENT_NAMES, readable_id

COLUMN_LABELS = {
    "region": "Region",
    "pdu": "PDU",
    "unit": "Unit",
    "unit_type": "Unit type",
    "scope": "Area",
    "standard": "Standard",
    "standard_name": "Standard",
    "area": "Focus",
    "key_question": "Key question",
    "lowest_key_question": "Lowest key question",
    "lowest_pct": "Lowest key question: % yes",
    "n_applicable": "Applicable cases",
    "n_yes": "Cases answered yes",
    "pct_yes": "% answered yes",
    "ci_low": "95% interval: from",
    "ci_high": "95% interval: to",
    "rating": "Rating",
    "overall_rating": "Overall rating",
    **{
        column: f"Chance of {rating} (%)"
        for rating, column in zip(_fw.RATINGS, _fw.PROBABILITY_COLUMNS, strict=True)
    },
    "p_computed": "Chance of the computed rating (%)",
    "borderline": "Borderline",
    "source": "Data source",
    "term": "Measure",
    "odds_ratio": "Odds ratio",
    "p_value": "p-value",
    "p_adjusted": "Adjusted p-value",
    "adjustment": "Adjustment",
    "n": "Cases",
    "n_clusters": "PDUs",
    "events": "Cases with the outcome",
    "warning": "Note",
    "ame_pp": "Difference (percentage points)",
    "ame_ci_low": "95% interval: from",
    "ame_ci_high": "95% interval: to",
    "outcome": "Outcome",
    "band": "Quality band",
    "reference": "Compared with band",
    "rate_pct": "Rate (%)",
    "reference_rate_pct": "Rate in the compared band (%)",
    "difference_pp": "Difference (percentage points)",
    "n_reference": "Cases in the compared band",
    "outcome_rate": "Outcome rate (%)",
    "report_year": "Year of report",
    "score": "Score",
    "source_url": "Source",
    "clear_after_adjustment": "Clear after adjustment",
    "a": "a: both",
    "b": "b: intervention only",
    "c": "c: progress only",
    "d": "d: neither",
    "la_name": "Local authority",
    "publication_date_iso": "Published",
    "score_pct": "Score (%)",
    "score_points": "Score (points)",
    "corrected": "Corrected",
    "correction_source": "Source of the correction",
    "stated_count": "Stated count",
    "probably_missing": "Probably missing",
    "record_likely": "In the record (likely)",
    "record_range": "In the record (certain to possible)",
}
"""Reader heading for each machine column name; other names are turned into words."""

_IDENTIFIER = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)+")
"""A machine name: lower-case words joined by underscores."""

PROBABILITY_COLUMNS = frozenset({*_fw.PROBABILITY_COLUMNS, "p_computed"})
"""Columns holding a probability (0–1), shown as a percentage with one decimal."""

ID_COLUMNS = frozenset(
    {"key_question", "lowest_key_question", "term", "standard", "band", "reference", "outcome"}
)
"""Columns whose values are machine ids (slugs), shown in words."""

INTEGER_COLUMNS = frozenset({"events", "n", "n_yes", "n_applicable", "n_reference", "n_clusters"})
"""Columns of whole counts, shown with thousands separators."""


def column_labels(columns) -> list[str]:
    """Reader headings for ``columns``, each distinct (a repeated label falls back to words).

    >>> column_labels(["standard", "standard_name"])
    ['Standard', 'Standard name']
    """
    labels: list[str] = []
    for column in columns:
        label = column_label(column)
        if label in labels:
            words = str(column).replace("_", " ").strip()
            label = words[:1].upper() + words[1:]
        while label in labels:
            label += " (2)"
        labels.append(label)
    return labels


def column_label(name) -> str:
    """The reader heading for a column: from :data:`COLUMN_LABELS`, else the name in words."""
    text = str(name)
    if text in COLUMN_LABELS:
        return COLUMN_LABELS[text]
    if text.endswith("_pct") and len(text) > 4:  # a percentage: "%" in the heading
        return f"{column_label(text.removesuffix('_pct'))} (%)"
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else text


def _missing(value) -> bool:
    return value is None or (
        not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
    )


def format_value(value, column) -> str:
    """One cell as a reader sees it (no HTML): rounded numbers, Yes/No, ids in words.

    Probabilities become percentages with one decimal; p-values three places (``<0.001``);
    counts are whole numbers; other numbers have two decimals below 10 and one above.
    """
    name = str(column)
    if _missing(value):
        return ""
    if isinstance(value, bool) or (hasattr(value, "dtype") and value.dtype == bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float) or pd.api.types.is_number(value):
        number = float(value)
        if not math.isfinite(number):
            return str(value)
        if name in PROBABILITY_COLUMNS:
            pct = 100 * number
            return "<0.1" if 0 < pct < 0.05 else f"{pct:.1f}"
        if name.startswith("p_") and "pct" not in name:
            return "<0.001" if 0 <= number < 0.001 else f"{number:.3f}"
        if name in INTEGER_COLUMNS:
            return f"{number:,.0f}"
        if number.is_integer() and ("year" in name or not isinstance(value, float)):
            return str(int(number))  # years and codes: no thousands separator
        return f"{number:,.2f}" if abs(number) < 10 else f"{number:,.1f}"
    if name in ID_COLUMNS:
        return readable_id(value)
    if name == "adjustment":
        return ADJUSTMENT_NAMES.get(str(value), str(value))
    if name == "source" and str(value) in ("synthetic", "published", "real"):
        return str(value).capitalize()
    text = str(value)
    if _IDENTIFIER.fullmatch(text):  # a machine name as a value ("keeping_safe", "score_pct")
        return COLUMN_LABELS.get(text) or readable_id(text)
    return text


def numeric_for_sorting(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` for an interactive table: human headings, numbers rounded but still numbers.

    Interactive tables sort by value, so numbers stay numeric (rounded as in
    :func:`format_value`); booleans, ids and everything else become reader text.
    """
    shown = pd.DataFrame(index=frame.index)
    labels = dict(zip(frame.columns, column_labels(frame.columns), strict=True))
    for column in frame.columns:
        values = frame[column]
        name = str(column)
        is_bool = pd.api.types.is_bool_dtype(values)
        if pd.api.types.is_numeric_dtype(values) and not is_bool:
            numbers = values.astype(float)
            if name in PROBABILITY_COLUMNS:
                numbers = (100 * numbers).round(1)
            elif name.startswith("p_") and "pct" not in name:
                numbers = numbers.round(3)
            else:
                numbers = numbers.round(2 if numbers.abs().max() < 10 else 1)
            if name in INTEGER_COLUMNS or pd.api.types.is_integer_dtype(values):
                numbers = values
            elif "year" in name and numbers.dropna().map(float.is_integer).all():
                numbers = numbers.astype("Int64")
            shown[labels[column]] = numbers
        else:
            shown[labels[column]] = values.map(lambda v, n=name: format_value(v, n))
    return shown.reset_index(drop=True)
