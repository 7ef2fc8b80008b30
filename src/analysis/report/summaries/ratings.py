"""Sentences about ratings: bands, standards, overall ratings, key questions, published ratings."""

from __future__ import annotations

import pandas as pd

from ...frameworks import RATINGS
from .words import (
    interval_words,
    label,
    plural,
    readable_id,
    share,
    whole_percent,
)

__all__ = [
    "rating_sentence",
    "standard_sentences",
    "overall_sentence",
    "weakest_key_question",
    "published_sentence",
]


def rating_sentence(
    standards: pd.DataFrame,
    standard: str,
    rating: str = "Inadequate",
    *,
    unit: str = "PDU",
    borderline_at: float = 0.2,
) -> str:
    """How many units got ``rating`` for ``standard``, and how many of those are borderline.

    Parameters
    ----------
    standards : DataFrame
        From :func:`analysis.ratings.standard_ratings`: one row per unit and standard, with
        ``standard``, ``rating`` and ``borderline``.
    standard, rating : str
    unit : str
        What a row is (``"PDU"``, ``"region"``).
    borderline_at : float
        The threshold the ``borderline`` flag was computed with (for the wording only).

    Returns
    -------
    str

    Raises
    ------
    KeyError
        If a required column is missing.

    Examples
    --------
    >>> frame = pd.DataFrame({"standard": "assessment",
    ...     "rating": ["Inadequate"] * 7 + ["Good"] * 4,
    ...     "borderline": [True] * 3 + [False] * 8})
    >>> rating_sentence(frame, "assessment")  # doctest: +NORMALIZE_WHITESPACE
    'In 7 of 11 PDUs (64%) assessment was rated Inadequate; for 3 of them the rating is
    borderline (a 20% or greater chance the true band differs).'
    """
    missing = {"standard", "rating", "borderline"} - set(standards.columns)
    if missing:
        raise KeyError(f"rating_sentence needs column(s) {sorted(missing)}.")
    rows = standards[standards["standard"].astype(str) == standard]
    rated = rows[rows["rating"].notna()]
    total = len(rated)
    if total == 0:
        return f"No {unit} had enough applicable cases to rate {label(standard)}."
    hit = rated[rated["rating"].astype(str) == rating]
    n_hit = len(hit)
    borderline = int(hit["borderline"].fillna(False).astype(bool).sum())
    units = plural(unit, total)
    sentence = (
        f"In {n_hit} of {total} {units} ({whole_percent(n_hit, total)}) {label(standard)} was "
        f"rated {rating}"
    )
    if n_hit == 0:
        return sentence + "."
    threshold = f"a {100 * borderline_at:.0f}% or greater chance the true band differs"
    if borderline == 0:
        return sentence + f"; none of these ratings is borderline ({threshold})."
    them = "it" if n_hit == 1 else "them"
    return sentence + f"; for {borderline} of {them} the rating is borderline ({threshold})."


def standard_sentences(
    standards: pd.DataFrame, *, unit: str = "PDU", borderline_at: float = 0.2
) -> list[str]:
    """One :func:`rating_sentence` per standard, for its most common rating (worst on ties)."""
    sentences = []
    for name in dict.fromkeys(standards["standard"].astype(str)):
        ratings = standards.loc[standards["standard"].astype(str) == name, "rating"].dropna()
        if ratings.empty:
            sentences.append(rating_sentence(standards, name, unit=unit))
            continue
        counts = ratings.astype(str).value_counts().reindex(RATINGS, fill_value=0)
        top = counts[counts == counts.max()].index[-1]
        sentences.append(
            rating_sentence(standards, name, top, unit=unit, borderline_at=borderline_at)
        )
    return sentences


def overall_sentence(
    overall: pd.DataFrame,
    *,
    unit: str = "PDU",
    place: str | None = None,
    borderline_at: float = 0.2,
) -> str:
    """The most common overall rating (worst on ties) with how many are borderline.

    ``overall`` is from :func:`analysis.ratings.overall_ratings` (``overall_rating``,
    ``borderline``).

    Raises
    ------
    KeyError
        If a required column is missing.

    >>> frame = pd.DataFrame({"overall_rating": ["Inadequate", "Inadequate", "Good"],
    ...                       "borderline": [False, True, False]})
    >>> overall_sentence(frame, place="Wales")  # doctest: +NORMALIZE_WHITESPACE
    'In 2 of 3 PDUs (67%) in Wales the overall rating was Inadequate; for 1 of them the rating
    is borderline (a 20% or greater chance the true band differs).'
    """
    missing = {"overall_rating", "borderline"} - set(overall.columns)
    if missing:
        raise KeyError(f"overall_sentence needs column(s) {sorted(missing)}.")
    frame = overall.assign(standard="overall", rating=overall["overall_rating"])
    ratings = frame["rating"].dropna().astype(str)
    if ratings.empty:
        return f"No {unit} had every standard rated, so no overall rating was computed."
    counts = ratings.value_counts().reindex(RATINGS, fill_value=0)
    top = counts[counts == counts.max()].index[-1]
    sentence = rating_sentence(frame, "overall", top, unit=unit, borderline_at=borderline_at)
    where = f" in {place}" if place else ""
    return sentence.replace(" overall was rated ", f"{where} the overall rating was ", 1)


def weakest_key_question(kq_scores: pd.DataFrame) -> str:
    """The key question with the lowest pooled % yes, with its Wilson 95% interval.

    Pools ``n_yes`` and ``n_applicable`` over all units in ``kq_scores`` (from
    :func:`analysis.ratings.key_question_scores`).

    Raises
    ------
    KeyError
        If a required column is missing.
    """
    from ...stats import wilson_interval

    missing = {"key_question", "n_yes", "n_applicable"} - set(kq_scores.columns)
    if missing:
        raise KeyError(f"weakest_key_question needs column(s) {sorted(missing)}.")
    pooled = kq_scores.groupby(kq_scores["key_question"].astype(str), sort=False)[
        ["n_yes", "n_applicable"]
    ].sum()
    pooled = pooled[pooled["n_applicable"] > 0]
    if pooled.empty:
        return "No key question had applicable cases."
    pooled["share"] = pooled["n_yes"] / pooled["n_applicable"]
    name = pooled["share"].idxmin()
    row = pooled.loc[name]
    low, high = wilson_interval(row["n_yes"], row["n_applicable"])
    return (
        f"The weakest key question was {readable_id(name)}, where {100 * row['share']:.0f}% of "
        f"{int(row['n_applicable']):,} applicable cases were answered yes "
        f"({interval_words(float(low), float(high), percent=True)})."
    )


def _years(rows: pd.DataFrame) -> str:
    """', 2022–2024' (or ', 2023' when all reports share a year); empty without years."""
    if "report_year" not in rows.columns:
        return ""
    year = pd.to_numeric(rows["report_year"], errors="coerce").dropna()
    if not len(year):
        return ""
    low, high = int(year.min()), int(year.max())
    return f", {low}" if low == high else f", {low}–{high}"


def _counts(ratings: pd.Series) -> str:
    total = len(ratings)
    counts = ratings.value_counts().reindex(RATINGS, fill_value=0)
    text = "; ".join(f"{share(counts[r], total)} {r}" for r in RATINGS if counts[r])
    absent = [r for r in RATINGS if not counts[r]]
    return text + ("; none " + " or ".join(absent) if absent else "")


def published_sentence(published: pd.DataFrame, *, unit_type: str = "pdu") -> str:
    """Count the overall ratings of real published reports (never synthetic data).

    With a ``framework`` column, each inspection round is counted apart (rounds are never
    pooled): ``Of 78 published PDU inspection reports, in 2 rounds counted apart: ...``.

    Raises
    ------
    KeyError
        If ``overall_rating`` is missing.
    """
    if "overall_rating" not in published.columns:
        raise KeyError("published_sentence needs the column 'overall_rating'.")
    rows = published
    if "unit_type" in rows.columns:
        rows = rows[rows["unit_type"].astype(str) == unit_type]
    rows = rows[rows["overall_rating"].notna()]
    total = len(rows)
    if total == 0:
        return f"No published {unit_type.upper()} reports are listed."
    kind = f"published {unit_type.upper()} inspection reports"
    if "framework" not in rows.columns:
        return f"Of {total} {kind}{_years(rows)}: {_counts(rows['overall_rating'].astype(str))}."
    from ...ratings.distribution import round_label  # the one home of round labels

    parts = []
    for fid, part in rows.groupby(rows["framework"].astype(object).fillna(""), sort=True):
        label = round_label(fid or None)
        parts.append(
            f"{label}, {len(part)} reports{_years(part)}: "
            f"{_counts(part['overall_rating'].astype(str))}"
        )
    rounds = len(parts)
    head = (
        f"Of {total} {kind}, in {rounds} rounds counted apart"
        if rounds > 1
        else f"Of {total} {kind}"
    )
    return f"{head}: " + ". ".join(parts) + "."
