"""analysis.stats against outside references: statsmodels, scipy, a published table, Monte Carlo."""

import numpy as np
import pytest
from scipy import stats as sps
from statsmodels.stats.proportion import proportion_confint

from analysis.stats import (
    band_probabilities_of_minimum,
    jeffreys_survival,
    newcombe_difference,
    wilson_interval,
)


@pytest.mark.parametrize("n_yes,n", [(0, 20), (1, 20), (14, 20), (20, 20), (5, 17), (300, 546)])
def test_wilson_matches_statsmodels(n_yes, n):
    low, high = wilson_interval(n_yes, n)
    ref_low, ref_high = proportion_confint(n_yes, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(ref_low, abs=1e-12)
    assert high == pytest.approx(ref_high, abs=1e-12)


def test_wilson_vectorised_and_empty_units_are_nan():
    low, high = wilson_interval(np.array([3, 0, 7]), np.array([10, 0, 7]))
    ref = proportion_confint(np.array([3, 7]), np.array([10, 7]), method="wilson")
    assert np.isnan(low[1]) and np.isnan(high[1])
    np.testing.assert_allclose(low[[0, 2]], ref[0], atol=1e-12)
    np.testing.assert_allclose(high[[0, 2]], ref[1], atol=1e-12)


def test_wilson_rejects_impossible_counts():
    with pytest.raises(ValueError, match="between 0 and n"):
        wilson_interval(21, 20)


@pytest.mark.parametrize(
    "y1,n1,y2,n2,low,high",
    [  # Newcombe (1998) Stat Med 17:873, Table II, method 10 (hybrid score)
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (0, 10, 0, 20, -0.1611, 0.2775),
        (10, 10, 0, 20, 0.6791, 1.0000),
    ],
)
def test_newcombe_matches_published_table(y1, n1, y2, n2, low, high):
    _, lo, hi = newcombe_difference(y1, n1, y2, n2)
    assert lo == pytest.approx(low, abs=6e-5)
    assert hi == pytest.approx(high, abs=6e-5)


def test_jeffreys_survival_matches_scipy_beta():
    surv = jeffreys_survival([5, 14], [20, 20], [0.25, 0.5, 0.65])
    for i, (y, n) in enumerate([(5, 20), (14, 20)]):
        ref = sps.beta(y + 0.5, n - y + 0.5).sf([0.25, 0.5, 0.65])
        np.testing.assert_allclose(surv[i], ref, rtol=1e-10)


def test_band_probabilities_of_minimum_match_monte_carlo():
    """Exact product rule vs 400,000 draws from the same Jeffreys posteriors."""
    rng = np.random.default_rng(7)
    n_yes, n = np.array([11, 13, 10]), np.array([20, 18, 20])
    edges = np.array([0, 0.5, 0.65, 0.8])
    exact = band_probabilities_of_minimum(n_yes, n, np.zeros(3, dtype=int), edges)[0]
    draws = rng.beta(n_yes + 0.5, n - n_yes + 0.5, size=(400_000, 3)).min(axis=1)
    mc = np.bincount(np.searchsorted(edges, draws, side="right") - 1, minlength=4) / draws.size
    np.testing.assert_allclose(exact, mc, atol=0.004)
    assert exact.sum() == pytest.approx(1.0)


def test_band_probabilities_ignore_not_applicable_and_flag_empty_groups():
    probs = band_probabilities_of_minimum([5, 0, 0], [20, 0, 0], [0, 0, 1], [0, 0.5, 0.65, 0.8])
    single = band_probabilities_of_minimum([5], [20], [0], [0, 0.5, 0.65, 0.8])
    np.testing.assert_allclose(probs[0], single[0])
    assert np.isnan(probs[1]).all()
