"""The words sentences share: counts, shares, intervals, labels of outcomes and columns."""

from __future__ import annotations

from functools import cache

import pandas as pd

from ...rounding import half_up

__all__ = [
    "ADJUSTMENT_NAMES",
    "NUMBER_WORDS",
    "OUTCOME_LABELS",
    "human_time",
    "interval_words",
    "label",
    "number_word",
    "outcome_label",
    "plural",
    "readable_id",
    "share",
    "whole_percent",
]

NUMBER_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def label(name) -> str:
    """Readable label for a slug: ``'implementation_and_delivery'`` → ``'implementation and delivery'``.

    >>> label("assessment_keeping_safe")
    'assessment keeping safe'
    """
    return str(name).replace("_", " ")


def share(part: int, whole: int) -> str:
    """``'7 of 11 (64%)'``; ``'0 of 0'`` has no percentage.

    A half rounds up, as the Inspectorate prints percentages (1 of 8 is 13%); the arithmetic
    is on whole numbers, so no half is lost to binary fractions.
    """
    part, whole = int(part), int(whole)
    if whole == 0:
        return f"{part} of {whole}"
    return f"{part} of {whole} ({whole_percent(part, whole)})"


def whole_percent(part: int, whole: int) -> str:
    """``part`` of ``whole`` as a whole percentage, a half rounding up: ``'13%'`` for 1 of 8."""
    return f"{half_up(100 * int(part) / int(whole))}%"


def interval_words(
    low: float, high: float, *, percent: bool = False, digits: int = 0, level: int = 95
) -> str:
    """An interval in words; proportions (0–1) shown as percentages when ``percent``."""
    if pd.isna(low) or pd.isna(high):
        return "interval not available"
    if percent:
        return f"{level}% interval {100 * low:.{digits}f}% to {100 * high:.{digits}f}%"
    return f"{level}% interval {low:.{digits}f} to {high:.{digits}f}"


def plural(unit: str, n: int) -> str:
    return unit if n == 1 else f"{unit}s"


OUTCOME_LABELS = {
    "new_offence": "a new offence",
    "progress_offending_factors": "sufficient progress on offending-related factors",
    "progress_risk_factors": "sufficient progress on risk-of-harm factors",
    "complied": "compliance with the order or licence",
    "proven_reoffence_12m": "proven reoffending within 12 months",
    "sentence_completed": "completing the sentence",
}
"""Plain-English names of the case-level outcomes (data contract column → words)."""


ADJUSTMENT_NAMES = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bh": "Benjamini-Hochberg"}
"""Multiple-comparison adjustments by their published names (statsmodels method → words)."""


def outcome_label(outcome: str) -> str:
    """Words for an outcome column, e.g. ``'new_offence'`` → ``'a new offence (...)'``."""
    return OUTCOME_LABELS.get(outcome, label(outcome))


def number_word(n: int) -> str:
    """Small counts in words, as inspection reports write them (``3`` → ``'three'``)."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


@cache
def _known_ids() -> dict[str, str]:
    """Key-question ids and standard slugs of every framework, with their words."""
    from ... import frameworks

    known: dict[str, str] = {}
    for fid in frameworks.available():
        fw = frameworks.get(fid)
        for slug in fw.standard_slugs:
            known.setdefault(slug, fw.standard(slug).name)
        for kq in fw.key_questions:
            name = fw.standard(kq.standard).name
            known.setdefault(kq.id, f"{name}: {kq.area.replace('_', ' ')}")
    return known


def readable_id(value) -> str:
    """A machine id (key question, standard, outcome, band) in words.

    Key questions read as ``Standard: focus``; a ``_per_10pts`` suffix reads as ``(per 10
    points)``; an outcome column uses its plain-English name; anything else is put into words.
    """
    text = str(value)
    suffix = ""
    if text.endswith("_per_10pts"):
        text, suffix = text.removesuffix("_per_10pts"), " (per 10 points)"
    known = _known_ids()
    if text in known:
        words = known[text]
    elif text in OUTCOME_LABELS:
        words = OUTCOME_LABELS[text]
    else:
        words = text.replace("_", " ")
    return (words[:1].upper() + words[1:] if words else words) + suffix


def human_time(stamp) -> str:
    """An ISO 8601 time as a reader writes it, in UTC: ``'1 December 2026, 18:36 UTC'``.

    A value that is not a time is returned as written.

    >>> human_time("2026-12-01T18:36:22.493Z")
    '1 December 2026, 18:36 UTC'
    """
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return str(stamp)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"
