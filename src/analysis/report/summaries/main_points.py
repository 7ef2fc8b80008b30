"""Main points: the three to five plain sentences a report opens with.

Each is one sentence under 200 characters with its number and its uncertainty in words,
percentage points first (the Inspectorate's own form); odds ratios, model names and column
names stay in the body of the report.

>>> d = pd.DataFrame({"band": ["high"], "reference": ["inadequate"], "difference_pp": [-25.5],
...     "ci_low": [-30.9], "ci_high": [-20.1], "n": [300], "n_reference": [250]})
>>> difference_point(d, outcome="new_offence", place="Wales")
'In Wales, a new offence was 25.5 percentage points less common in high- than in inadequate-quality cases (95% interval 20.1 to 30.9).'
>>> odds_point({"odds_ratio": 0.81, "ci_low": 0.71, "ci_high": 0.92}, outcome="new_offence")
'Allowing for case mix, each 10 points of quality score went with 19% lower odds of a new offence (95% interval 8% to 29% lower).'
"""

from __future__ import annotations

import pandas as pd

from .words import number_word, outcome_label

__all__ = [
    "cause_point",
    "difference_point",
    "few_pdus_point",
    "key_question_point",
    "odds_point",
    "published_point",
    "worst_standard_point",
]


def difference_point(differences: pd.DataFrame, *, outcome: str, place: str, band: str = "high"):
    """The outcome gap between ``band`` and the reference band, in percentage points.

    ``differences`` is :func:`analysis.models.band_differences`'s table. Returns None when the
    two bands cannot be compared.
    """
    rows = differences[differences["band"].astype(str) == band]
    if rows.empty or pd.isna(rows.iloc[0]["difference_pp"]):
        return None
    row = rows.iloc[0]
    diff, low, high = (float(row[c]) for c in ("difference_pp", "ci_low", "ci_high"))
    words = outcome_label(outcome)
    common = "less common" if diff < 0 else "more common"
    where = f"in {band}- than in {row['reference']}-quality cases"
    if low <= 0 <= high:
        return (
            f"In {place}, {words} was {abs(diff):.1f} percentage points {common} {where}, "
            f"consistent with no difference (95% interval {low:+.1f} to {high:+.1f})."
        )
    a, b = (-high, -low) if diff < 0 else (low, high)
    return (
        f"In {place}, {words} was {abs(diff):.1f} percentage points {common} {where} "
        f"(95% interval {a:.1f} to {b:.1f})."
    )


def odds_point(row, *, outcome: str) -> str | None:
    """The adjusted association per 10 points of quality score, as a percentage change in odds.

    ``row`` holds ``odds_ratio``, ``ci_low`` and ``ci_high`` (one row of
    :func:`analysis.models.associations` with ``exposure="quality_score"``).
    """
    odds, low, high = (row[c] for c in ("odds_ratio", "ci_low", "ci_high"))
    if any(pd.isna(v) for v in (odds, low, high)):
        return None
    words = outcome_label(outcome)

    def change(value: float) -> str:
        pct = 100 * (float(value) - 1)
        return f"{abs(pct):.0f}% {'lower' if pct < 0 else 'higher'}"

    if low <= 1 <= high:
        return (
            f"Allowing for case mix, the data are consistent with no link between the quality "
            f"score and {words} (95% interval from {change(low)} to {change(high)} odds per "
            "10 points)."
        )
    a, b = (high, low) if odds < 1 else (low, high)
    return (
        f"Allowing for case mix, each 10 points of quality score went with {change(odds)} odds "
        f"of {words} (95% interval {change(a).split()[0]} to {change(b)})."
    )


def key_question_point(results: pd.DataFrame, *, outcome: str, alpha: float = 0.05) -> str | None:
    """How many key questions had a clear association once chance over all of them is allowed for.

    ``results`` is the per-key-question table of :func:`analysis.models.associations`
    (``odds_ratio``, ``p_adjusted``).
    """
    fitted = results.dropna(subset=["odds_ratio"])
    if fitted.empty:
        return None
    total = len(fitted)
    clear = fitted[fitted["p_adjusted"] < alpha]
    lower = int((clear["odds_ratio"] < 1).sum())
    higher = len(clear) - lower
    words = outcome_label(outcome)
    if clear.empty:
        return (
            f"None of the {total} key questions on its own showed a clear link with {words}, "
            "once the chance of a fluke across them all is allowed for."
        )
    parts = []
    if lower:
        parts.append(f"clearly lower odds of {words} in {number_word(lower)}")
    if higher:
        parts.append(f"clearly higher odds in {number_word(higher)}")
    return (
        f"A yes on a key question went with {' and '.join(parts)} of the {total} key questions, "
        "allowing for the chance of a fluke across them all."
    )


def few_pdus_point(n_pdus, *, threshold: int = 30) -> str | None:
    """A caution when the estimates rest on fewer than ``threshold`` PDUs; None otherwise."""
    if n_pdus is None or pd.isna(n_pdus) or int(n_pdus) >= threshold:
        return None
    return (
        f"The cases come from only {int(n_pdus)} PDUs, so the intervals are approximate and "
        "could be wider than shown."
    )


def cause_point(outcome: str) -> str:
    """The reminder that an association in inspection samples is not a cause."""
    return (
        f"These are links seen in inspected cases, not proof that better supervision changes "
        f"the chance of {outcome_label(outcome)}."
    )


def worst_standard_point(standards: pd.DataFrame, *, unit: str = "PDU") -> str | None:
    """The standard most often rated Inadequate (else Requires improvement), as one sentence.

    ``standards`` is :func:`analysis.ratings.standard_ratings`'s table; None when no unit has
    either rating.
    """
    from .ratings import rating_sentence

    rated = standards[standards["rating"].notna()]
    for rating in ("Inadequate", "Requires improvement"):
        hits = rated[rated["rating"].astype(str) == rating]
        if len(hits):
            counts = hits["standard"].astype(str).value_counts(sort=False)
            top = counts.idxmax()
            return rating_sentence(standards, top, rating, unit=unit)
    return None


def published_point(published: pd.DataFrame, *, unit_type: str = "pdu") -> str | None:
    """The most common overall rating in real published reports, with the count behind it."""
    from ...frameworks import RATINGS

    rows = published
    if "unit_type" in rows.columns:
        rows = rows[rows["unit_type"].astype(str) == unit_type]
    ratings = rows["overall_rating"].dropna().astype(str)
    if ratings.empty:
        return None
    counts = ratings.value_counts().reindex(RATINGS, fill_value=0)
    top = counts[counts == counts.max()].index[-1]
    total = len(ratings)
    reports = "report" if total == 1 else "reports"
    return (
        f"In the real published {unit_type.upper()} inspections, the most common overall rating "
        f"was {top}: {counts[top]} of {total} {reports} ({100 * counts[top] / total:.0f}%)."
    )
