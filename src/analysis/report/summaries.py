"""Plain-English sentences generated from the numbers, with their uncertainty.

Each function takes a tidy table (as returned by :mod:`analysis.ratings` or
:mod:`analysis.models`) and returns a sentence (or a list of them) for a reader with no
statistics: counts as "7 of 11", percentages rounded to whole numbers, intervals in words.
Rounding happens only here, at the point of presentation.

>>> share(7, 11)
'7 of 11 (64%)'
>>> interval_words(0.25, 0.37, percent=True)
'95% interval 25% to 37%'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frameworks import RATINGS

__all__ = [
    "share",
    "interval_words",
    "label",
    "rating_sentence",
    "standard_sentences",
    "overall_sentence",
    "weakest_key_question",
    "odds_ratio_sentence",
    "band_rate_sentence",
    "OUTCOME_LABELS",
    "outcome_label",
    "association_findings",
    "published_sentence",
    "number_word",
]

_NUMBER_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def label(name) -> str:
    """Readable label for a slug: ``'implementation_and_delivery'`` → ``'implementation and delivery'``.

    >>> label("assessment_keeping_safe")
    'assessment keeping safe'
    """
    return str(name).replace("_", " ")


def share(part: int, whole: int) -> str:
    """``'7 of 11 (64%)'``; ``'0 of 0'`` has no percentage."""
    part, whole = int(part), int(whole)
    if whole == 0:
        return f"{part} of {whole}"
    return f"{part} of {whole} ({100 * part / whole:.0f}%)"


def interval_words(
    low: float, high: float, *, percent: bool = False, digits: int = 0, level: int = 95
) -> str:
    """An interval in words; proportions (0–1) shown as percentages when ``percent``."""
    if pd.isna(low) or pd.isna(high):
        return "interval not available"
    if percent:
        return f"{level}% interval {100 * low:.{digits}f}% to {100 * high:.{digits}f}%"
    return f"{level}% interval {low:.{digits}f} to {high:.{digits}f}"


def _plural(unit: str, n: int) -> str:
    return unit if n == 1 else f"{unit}s"


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
    units = _plural(unit, total)
    sentence = (
        f"In {n_hit} of {total} {units} ({100 * n_hit / total:.0f}%) {label(standard)} was "
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
    from ..stats import wilson_interval

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
        f"The weakest key question was {label(name)}: {100 * row['share']:.0f}% of "
        f"{int(row['n_applicable'])} applicable cases were answered yes "
        f"({interval_words(float(low), float(high), percent=True)})."
    )


def odds_ratio_sentence(
    odds_ratio: float,
    low: float,
    high: float,
    *,
    exposure: str,
    outcome: str,
    adjusted_p: float | None = None,
) -> str:
    """An odds ratio with its interval in words, saying whether the data rule out no effect.

    >>> odds_ratio_sentence(0.8, 0.7, 0.92, exposure="a 10-point higher quality score",
    ...                     outcome="a new offence")  # doctest: +NORMALIZE_WHITESPACE
    'Cases with a 10-point higher quality score had 0.80 times the odds of a new offence
    (95% interval 0.70 to 0.92): lower odds, and the interval excludes no difference.'
    """
    if pd.isna(odds_ratio):
        return f"The association between {exposure} and {outcome} could not be estimated."
    direction = "lower" if odds_ratio < 1 else "higher"
    includes_one = low <= 1 <= high
    verdict = (
        "the interval includes no difference, so the data are consistent with no association"
        if includes_one
        else f"{direction} odds, and the interval excludes no difference"
    )
    text = (
        f"Cases with {exposure} had {odds_ratio:.2f} times the odds of {outcome} "
        f"({interval_words(low, high, digits=2)}): {verdict}"
    )
    if adjusted_p is not None and not pd.isna(adjusted_p):
        text += f" (p = {adjusted_p:.3f} after adjusting for multiple comparisons)"
    return text + "."


OUTCOME_LABELS = {
    "new_offence": "a new offence",
    "progress_offending_factors": "sufficient progress on offending-related factors",
    "progress_risk_factors": "sufficient progress on risk-of-harm factors",
    "complied": "compliance with the order or licence",
    "proven_reoffence_12m": "proven reoffending within 12 months",
    "sentence_completed": "completing the sentence",
}
"""Plain-English names of the case-level outcomes (data contract column → words)."""


def outcome_label(outcome: str) -> str:
    """Words for an outcome column, e.g. ``'new_offence'`` → ``'a new offence (...)'``."""
    return OUTCOME_LABELS.get(outcome, label(outcome))


def association_findings(
    results: pd.DataFrame,
    *,
    outcome: str,
    alpha: float = 0.05,
    subject: str = "key question",
    exposure: str = "a yes answer",
) -> list[str]:
    """Sentences for a table of associations, one row per term (from ``models.associations``).

    ``subject`` names what a row is (``"key question"``, ``"factor"``) and ``exposure`` what
    is compared (``"a yes answer"``, ``"sufficient intervention"``).

    Counts the terms whose interval excludes no difference after the table's multiplicity
    adjustment (``p_adjusted`` < ``alpha``), names the strongest, and counts models that could
    not be fitted.

    Raises
    ------
    KeyError
        If a required column is missing.
    """
    missing = {"term", "odds_ratio", "ci_low", "ci_high", "p_adjusted"} - set(results.columns)
    if missing:
        raise KeyError(f"association_findings needs column(s) {sorted(missing)}.")
    fitted = results.dropna(subset=["odds_ratio"])
    words = outcome_label(outcome)
    sentences = []
    if len(fitted) < len(results):
        sentences.append(
            f"{len(results) - len(fitted)} of {len(results)} models could not be fitted "
            "(too few cases or events); they are left out."
        )
    if fitted.empty:
        return sentences
    method = str(results["adjustment"].iloc[0]) if "adjustment" in results.columns else ""
    method = {"holm": "Holm", "fdr_bh": "Benjamini-Hochberg", "bh": "Benjamini-Hochberg"}.get(
        method, method
    )
    adjusted = f"after {method} adjustment for {len(fitted)} comparisons".replace("  ", " ")
    clear = fitted[fitted["p_adjusted"] < alpha]
    lower = int((clear["odds_ratio"] < 1).sum())
    higher = len(clear) - lower
    if clear.empty:
        sentences.append(
            f"No {subject} showed a clear difference in the odds of {words} {adjusted}: "
            "the data are consistent with no association for each, though the intervals are wide."
        )
    else:
        sentences.append(
            f"For {lower} of {len(fitted)} {subject}s {exposure} went with clearly lower "
            f"odds of {words}, and for {higher} with clearly higher odds, {adjusted}; for the "
            "rest the data are consistent with no difference."
        )
    strongest = fitted.loc[(np.log(fitted["odds_ratio"])).abs().idxmax()]
    verdict = (
        ""
        if strongest["p_adjusted"] < alpha
        else " (not clear once adjusted for multiple comparisons)"
    )
    sentences.append(
        f"The largest association was for {label(strongest['term'])}: odds ratio "
        f"{strongest['odds_ratio']:.2f} "
        f"({interval_words(strongest['ci_low'], strongest['ci_high'], digits=2)}){verdict}."
    )
    if "ame_pp" in fitted.columns and not pd.isna(strongest.get("ame_pp", np.nan)):
        sentences.append(
            f"In percentage points, that is a difference of {strongest['ame_pp']:+.1f} in the "
            f"chance of {words} ({interval_words(strongest['ame_ci_low'], strongest['ame_ci_high'], digits=1)})."
        )
    return sentences


def band_rate_sentence(
    rates: pd.DataFrame,
    *,
    outcome: str,
    band: str = "band",
    rate: str = "rate",
    low: str = "ci_low",
    high: str = "ci_high",
    n: str = "n",
    percent_scale: bool = True,
) -> str:
    """Compare the outcome rate in the best and worst quality bands, with intervals.

    ``rates`` has one row per band, best band first, rates in percent (``percent_scale``) or
    as proportions.

    Raises
    ------
    KeyError
        If a required column is missing.
    """
    missing = {band, rate, low, high, n} - set(rates.columns)
    if missing:
        raise KeyError(f"band_rate_sentence needs column(s) {sorted(missing)}.")
    usable = rates[rates[n] > 0].reset_index(drop=True)
    if len(usable) < 2:
        return f"Too few quality bands had cases to compare {outcome} rates."
    scale = 1 if percent_scale else 100
    first, last = usable.iloc[0], usable.iloc[-1]

    def part(row) -> str:
        return (
            f"{scale * row[rate]:.0f}% in the {row[band]} band (n = {int(row[n])}; "
            f"95% interval {scale * row[low]:.0f}% to {scale * row[high]:.0f}%)"
        )

    # Whether two separate intervals overlap is not a test of the difference (they can
    # overlap while the difference is clear): band_difference_sentence gives that.
    return f"The {outcome} rate was {part(first)}, against {part(last)}."


def published_sentence(published: pd.DataFrame, *, unit_type: str = "pdu") -> str:
    """Count the overall ratings of real published reports (never synthetic data).

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
    ratings = rows["overall_rating"].dropna().astype(str)
    total = len(ratings)
    if total == 0:
        return f"No published {unit_type.upper()} reports are listed."
    counts = ratings.value_counts().reindex(RATINGS, fill_value=0)
    parts = [f"{share(counts[r], total)} {r}" for r in RATINGS if counts[r]]
    absent = [r for r in RATINGS if not counts[r]]
    years = ""
    if "report_year" in rows.columns:
        year = pd.to_numeric(rows["report_year"], errors="coerce").dropna()
        if len(year):
            years = f", {int(year.min())}–{int(year.max())}"
    text = f"Of {total} published {unit_type.upper()} inspection reports{years}: " + "; ".join(
        parts
    )
    if absent:
        text += "; none " + " or ".join(absent)
    return text + "."


def number_word(n: int) -> str:
    """Small counts in words, as inspection reports write them (``3`` → ``'three'``)."""
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else str(n)


def band_difference_sentence(differences: pd.DataFrame, *, outcome: str, band: str = "high") -> str:
    """The difference in outcome rate between one quality band and the reference band, in points.

    ``differences`` is the output of :func:`analysis.models.band_differences` (columns band,
    reference, difference_pp, ci_low, ci_high, n, n_reference); the interval is Newcombe's.

    >>> d = pd.DataFrame({"band": ["high"], "reference": ["inadequate"], "difference_pp": [-14.2],
    ...     "ci_low": [-22.0], "ci_high": [-6.1], "n": [300], "n_reference": [250]})
    >>> band_difference_sentence(d, outcome="proven reoffending")
    'The proven reoffending rate was 14.2 percentage points lower in high-quality cases than in inadequate-quality cases (95% interval 6.1 to 22.0 points lower; 300 and 250 cases).'
    """
    rows = differences[differences["band"] == band]
    if rows.empty or pd.isna(rows.iloc[0]["difference_pp"]):
        return f"Too few cases in the {band} and reference bands to compare {outcome}."
    row = rows.iloc[0]
    diff, low, high = (float(row[c]) for c in ("difference_pp", "ci_low", "ci_high"))
    direction = "lower" if diff < 0 else "higher"
    if low <= 0 <= high:
        interval = f"95% interval {low:+.1f} to {high:+.1f} points, which includes no difference"
    elif diff < 0:
        interval = f"95% interval {-high:.1f} to {-low:.1f} points lower"
    else:
        interval = f"95% interval {low:.1f} to {high:.1f} points higher"
    return (
        f"The {outcome} rate was {abs(diff):.1f} percentage points {direction} in {band}-quality "
        f"cases than in {row['reference']}-quality cases ({interval}; {int(row['n'])} and "
        f"{int(row['n_reference'])} cases)."
    )
