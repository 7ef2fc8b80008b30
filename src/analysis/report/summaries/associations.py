"""Sentences about associations: odds ratios, outcome rates by band, differences between bands."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .words import (
    ADJUSTMENT_NAMES,
    interval_words,
    label,
    outcome_label,
)

__all__ = [
    "odds_ratio_sentence",
    "association_findings",
    "band_rate_sentence",
    "band_difference_sentence",
]


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
    method = ADJUSTMENT_NAMES.get(method, method)
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
        parts = []
        if lower:
            parts.append(f"clearly lower odds of {words} for {lower}")
        if higher:
            parts.append(f"clearly higher odds{'' if lower else f' of {words}'} for {higher}")
        rest = len(fitted) - len(clear)
        tail = f"; for the other {rest} the data are consistent with no difference" if rest else ""
        sentences.append(
            f"Of {len(fitted)} {subject}s, {exposure} went with {' and '.join(parts)}, "
            f"{adjusted}{tail}."
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
