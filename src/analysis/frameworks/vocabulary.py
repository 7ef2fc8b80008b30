"""The words every framework shares: the rating scale, areas of practice and case answers.

The single home of these labels; everything else (schemas, the rating engine, reports)
reads them from here.

>>> parse_rating("  requires Improvement "), parse_rating("Satisfactory")
('Requires improvement', None)
"""

from __future__ import annotations

__all__ = [
    "RATINGS",
    "PROBABILITY_COLUMNS",
    "AREAS",
    "AREA_LABELS",
    "ANSWERS",
    "APPLICABLE_ANSWERS",
    "parse_rating",
]

RATINGS: tuple[str, ...] = ("Outstanding", "Good", "Requires improvement", "Inadequate")
"""The four-point rating scale, best first."""

PROBABILITY_COLUMNS: tuple[str, ...] = tuple(
    "p_" + rating.lower().replace(" ", "_") for rating in RATINGS
)
"""Column names of the probability that a unit's rating is each band, best first."""

AREAS: tuple[str, ...] = ("engagement", "desistance", "keeping_safe")
"""Areas of practice that each case-supervision key question covers."""

AREA_LABELS = {
    "engagement": "Engagement",
    "desistance": "Desistance",
    "keeping_safe": "Keeping other people safe",
}

ANSWERS: tuple[str, ...] = ("yes", "no", "not_applicable")
"""A case's answer to a key question, in code order (0 = yes, 1 = no, 2 = not applicable)."""

APPLICABLE_ANSWERS: tuple[str, ...] = ANSWERS[:2]
"""Answers that count towards a key question's denominator (the question applied to the case)."""


def parse_rating(value: object) -> str | None:
    """The canonical rating label for ``value`` (case and spacing ignored); None if not a rating.

    Missing values (None, NaN, pd.NA, empty text) also give None: callers decide whether a
    missing or unknown rating is an error.
    """
    if not isinstance(value, str):
        return None
    wanted = " ".join(value.replace("\u00a0", " ").split()).lower()
    for rating in RATINGS:
        if wanted == rating.lower():
            return rating
    return None
