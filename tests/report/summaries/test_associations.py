"""analysis.report.summaries.associations: odds ratios, rates by band and band differences in words.

Outside reference: Newcombe (1998), Table II, for the difference interval; the other numbers are
worked by hand from the small tables below.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.report import summaries


def test_odds_ratio_sentence_says_when_the_interval_includes_one():
    sentence = summaries.odds_ratio_sentence(1.1, 0.9, 1.3, exposure="x", outcome="y")
    assert "consistent with no association" in sentence
    assert "1.10 times the odds" in sentence and "0.90 to 1.30" in sentence
    assert "p = 0.012" in summaries.odds_ratio_sentence(
        0.8, 0.7, 0.9, exposure="x", outcome="y", adjusted_p=0.0123
    )


def test_band_rate_sentence_compares_first_and_last_band():
    rates = pd.DataFrame(
        {
            "band": ["Good", "Requires improvement", "Inadequate"],
            "rate": [20.0, 30.0, 45.0],
            "ci_low": [14.0, 25.0, 40.0],
            "ci_high": [28.0, 36.0, 50.0],
            "n": [100, 150, 300],
        }
    )
    sentence = summaries.band_rate_sentence(rates, outcome="new offence")
    assert sentence == (
        "The new offence rate was 20% in the Good band (n = 100; 95% interval 14% to 28%), "
        "against 45% in the Inadequate band (n = 300; 95% interval 40% to 50%)."
    )


def test_band_difference_sentence_uses_the_newcombe_interval():
    # Newcombe (1998) Table II example (a): 56/70 vs 48/80, method 10 interval 0.0524 to 0.3339.
    from analysis.stats import newcombe_difference

    diff, low, high = newcombe_difference(56, 70, 48, 80)
    table = pd.DataFrame(
        {
            "band": ["high"],
            "reference": ["inadequate"],
            "difference_pp": [100 * diff],
            "ci_low": [100 * low],
            "ci_high": [100 * high],
            "n": [70],
            "n_reference": [80],
        }
    )
    assert summaries.band_difference_sentence(table, outcome="completion") == (
        "The completion rate was 20.0 percentage points higher in high-quality cases than in "
        "inadequate-quality cases (95% interval 5.2 to 33.4 points higher; 70 and 80 cases)."
    )
    table["ci_low"] = -3.0
    assert "which includes no difference" in summaries.band_difference_sentence(
        table, outcome="completion"
    )


def test_association_findings_names_what_a_row_is():
    table = pd.DataFrame(
        {"term": ["accommodation", "finance"], "odds_ratio": [4.0, 1.1], "ci_low": [2.0, 0.5],
         "ci_high": [8.0, 2.4], "p_adjusted": [0.001, 0.9]}
    )  # fmt: skip
    first = summaries.association_findings(
        table, outcome="sufficient progress", subject="factor", exposure="sufficient intervention"
    )[0]
    assert first.startswith(
        "Of 2 factors, sufficient intervention went with clearly higher odds of sufficient "
        "progress for 1"
    )
    assert "for 0" not in first.lower() and "lower odds" not in first  # no empty count
    assert first.endswith("for the other 1 the data are consistent with no difference.")


def test_an_odds_ratio_that_could_not_be_estimated_or_is_clearly_higher():
    assert summaries.odds_ratio_sentence(np.nan, np.nan, np.nan, exposure="x", outcome="y") == (
        "The association between x and y could not be estimated."
    )
    assert summaries.odds_ratio_sentence(1.5, 1.2, 1.9, exposure="x", outcome="y") == (
        "Cases with x had 1.50 times the odds of y (95% interval 1.20 to 1.90): higher odds, and "
        "the interval excludes no difference."
    )


def test_association_findings_count_unfitted_models_and_give_the_largest_in_points():
    table = pd.DataFrame(
        {
            "term": ["assessment_engagement", "planning_desistance", "reviewing_keeping_safe"],
            "odds_ratio": [0.8, 1.3, np.nan],
            "ci_low": [0.6, 0.9, np.nan],
            "ci_high": [1.05, 1.9, np.nan],
            "p_adjusted": [0.2, 0.3, np.nan],
            "adjustment": "holm",
            "ame_pp": [-2.0, 3.5, np.nan],
            "ame_ci_low": [-4.1, -0.5, np.nan],
            "ame_ci_high": [0.2, 7.4, np.nan],
        }
    )
    assert summaries.association_findings(table, outcome="new_offence") == [
        "1 of 3 models could not be fitted (too few cases or events); they are left out.",
        "No key question showed a clear difference in the odds of a new offence after Holm "
        "adjustment for 2 comparisons: the data are consistent with no association for each, "
        "though the intervals are wide.",
        # |log 1.3| > |log 0.8|
        "The largest association was for planning desistance: odds ratio 1.30 (95% interval "
        "0.90 to 1.90) (not clear once adjusted for multiple comparisons).",
        "In percentage points, that is a difference of +3.5 in the chance of a new offence "
        "(95% interval -0.5 to 7.4).",
    ]
    with pytest.raises(KeyError, match="p_adjusted"):
        summaries.association_findings(table.drop(columns="p_adjusted"), outcome="new_offence")


def test_rates_as_proportions_and_too_few_bands():
    rates = pd.DataFrame(
        {"band": ["high", "inadequate"], "rate": [0.2, 0.45], "ci_low": [0.14, 0.4],
         "ci_high": [0.28, 0.5], "n": [100, 300]}
    )  # fmt: skip
    assert summaries.band_rate_sentence(rates, outcome="new offence", percent_scale=False) == (
        "The new offence rate was 20% in the high band (n = 100; 95% interval 14% to 28%), "
        "against 45% in the inadequate band (n = 300; 95% interval 40% to 50%)."
    )
    one = rates.assign(n=[100, 0])
    assert summaries.band_rate_sentence(one, outcome="new offence") == (
        "Too few quality bands had cases to compare new offence rates."
    )


def test_a_band_difference_without_the_band_is_said_in_words():
    table = pd.DataFrame(
        {"band": ["adequate"], "reference": ["inadequate"], "difference_pp": [5.0],
         "ci_low": [1.0], "ci_high": [9.0], "n": [50], "n_reference": [60]}
    )  # fmt: skip
    assert summaries.band_difference_sentence(table, outcome="completion") == (
        "Too few cases in the high and reference bands to compare completion."
    )
    assert "points higher in adequate-quality cases" in summaries.band_difference_sentence(
        table, outcome="completion", band="adequate"
    )
