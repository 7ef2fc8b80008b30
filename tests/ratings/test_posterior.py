"""analysis.ratings.posterior: the numerical core of the pooled rating model (empirical logits
and their sampling covariance, population moments, the prior's scale, answer correlation, band
probabilities of the lowest key question).

References: figures worked by hand from the formulas in the docstrings, scipy's beta
distribution for the independent Jeffreys posteriors and for the posterior under a nearly flat
prior, and a simulated population with a known covariance.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats
from scipy.stats import qmc

from analysis.exceptions import InputDataError
from analysis.ratings.posterior import (
    JITTER,
    MISSING_VAR,
    SCALE_GRID,
    SHARED_GRID,
    answer_correlation,
    independent_band_probabilities,
    population_moments,
    posterior_band_probabilities,
    posterior_draws,
    prior_widening,
    sampling_covariance,
    widened,
    widenings,
)

EDGES = np.array([0.0, 0.5, 0.65, 0.8])


def test_sampling_covariance_by_hand():
    # 5 of 10 and 3 of 40 yes; a third key question with no applicable case
    Y, M = np.array([[5.0, 3.0, 0.0]]), np.array([[10.0, 40.0, 0.0]])
    corr = np.full((3, 3), 0.5) + 0.5 * np.eye(3)
    ell, obs, V = sampling_covariance(Y, M, corr)
    assert obs.tolist() == [[True, True, False]]
    np.testing.assert_allclose(ell[0], [0.0, np.log(3.5 / 37.5), 0.0])  # log((y+½)/(n−y+½))
    v0, v1 = 2 / 5.5, 1 / 3.5 + 1 / 37.5
    np.testing.assert_allclose(np.diag(V[0]), [v0, v1, MISSING_VAR])
    # corr 0.5 × overlap min(10, 40)/√(10·40) = 0.5 × √(v0 v1)
    assert V[0, 0, 1] == pytest.approx(0.5 * 0.5 * np.sqrt(v0 * v1))
    assert V[0, 1, 0] == V[0, 0, 1]
    assert V[0, 0, 2] == 0 and V[0, 2, 1] == 0


def test_population_moments_by_hand():
    # two units at logits 0 and 2 (a third with no applicable case is left out)
    ell = np.array([[0.0], [2.0], [50.0]])
    obs = np.array([[True], [True], [False]])
    mu, cov = population_moments(ell, obs, np.zeros((3, 1, 1)))
    assert mu[0] == pytest.approx(1.0)
    assert cov[0, 0] == pytest.approx(2.0)  # (1² + 1²) / (2 − 1)
    V = np.full((3, 1, 1), 0.5)  # the mean sampling variance is taken off
    assert population_moments(ell, obs, V)[1][0, 0] == pytest.approx(1.5)
    # more sampling noise than spread: the covariance is projected to a tiny positive one
    _, small = population_moments(
        np.array([[0.0], [0.1]]), np.ones((2, 1), bool), np.ones((2, 1, 1))
    )
    assert small[0, 0] == pytest.approx(JITTER)


def test_moments_recover_a_known_population():
    rng = np.random.default_rng(5)
    mean = np.array([0.8, 0.1, -0.7])
    cov = np.array([[0.36, 0.18, 0.12], [0.18, 0.36, 0.15], [0.12, 0.15, 0.25]])
    theta = rng.multivariate_normal(mean, cov, 20_000)
    Y = rng.binomial(40, special.expit(theta)).astype(float)
    ell, obs, V = sampling_covariance(Y, np.full_like(Y, 40), np.eye(3))
    mu, sigma = population_moments(ell, obs, V)
    np.testing.assert_allclose(mu, mean, atol=0.04)
    np.testing.assert_allclose(sigma, cov, atol=0.04)


def test_the_prior_is_kept_at_the_prior_and_widened_with_distance():
    mean, cov = np.zeros(3), np.eye(3) * 0.5
    Y = np.array([[10.0, 10.0, 10.0], [19.0, 19.0, 19.0], [19.0, 1.0, 10.0]])
    M = np.full((3, 3), 20.0)
    ell, obs, V = sampling_covariance(Y, M, np.eye(3))
    scale, shared = prior_widening(ell, obs, V, mean, cov)
    assert (scale[0], shared[0]) == (1.0, 0.0)  # where the prior expects it: the prior in full
    # all three high together: a shared shift, the key questions kept as close as the prior says
    assert scale[1] == 1.0 and shared[1] > 2.0
    # scattered both ways: a wider spread, no shared shift
    assert scale[2] > 2.0 and shared[2] == 0.0


def test_the_widening_is_the_best_of_the_grid():
    # one key question, ℓ − mean = d, sampling variance v: the marginal likelihood of
    # N(d; 0, λc + τ² + v) is largest at λc + τ² + v = d², so λ = (d² − v) / c, here
    # (9 − 1) / 2 = 4 without a shared shift, and τ² = 9 − 1 − 2 = 6 with λ = 1
    ell, obs, V = np.array([[3.0]]), np.array([[True]]), np.array([[[1.0]]])
    cov = np.array([[2.0]])
    assert prior_widening(ell, obs, V, np.zeros(1), cov, scales=[1, 2, 4, 8], shared=[0])[0] == 4
    found = prior_widening(ell, obs, V, np.zeros(1), cov, scales=[1], shared=[0, 3, 6, 12])
    assert found[1] == 6
    assert SCALE_GRID[0] == 1 and SCALE_GRID[-1] == 100 and np.all(np.diff(SCALE_GRID) > 0)
    assert SHARED_GRID[0] == 0 and SHARED_GRID[-1] == 100 and np.all(np.diff(SHARED_GRID) > 0)


def test_a_key_question_without_cases_does_not_move_the_widening():
    mean, cov = np.zeros(3), np.eye(3) * 0.5 + 0.25
    Y, M = np.array([[19.0, 18.0, 0.0], [4.0, 17.0, 0.0]]), np.array([[20.0, 20.0, 0.0]] * 2)
    ell, obs, V = sampling_covariance(Y, M, np.eye(3))
    two = sampling_covariance(Y[:, :2], M[:, :2], np.eye(2))
    with_gap = prior_widening(ell, obs, V, mean, cov)
    without = prior_widening(*two, mean[:2], cov[:2, :2])
    np.testing.assert_array_equal(with_gap, without)
    scale, shared = with_gap
    assert scale[0] == 1.0 and shared[0] > 0 and scale[1] > 1.0  # both high: shared; apart: scale


def test_widened_adds_the_shared_variance_to_every_entry():
    cov = np.array([[1.0, 0.5], [0.5, 2.0]])
    np.testing.assert_array_equal(widened(cov, 2.0, 0.25), [[2.25, 1.25], [1.25, 4.25]])
    masks = list(widenings([1.0, 2.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.5]))
    assert [(m.tolist(), lam, tau2) for m, lam, tau2 in masks] == [
        ([True, False, True, False], 1.0, 0.0),
        ([False, False, False, True], 1.0, 0.5),
        ([False, True, False, False], 2.0, 0.0),
    ]


def _cases(unit, a, b):
    return pd.DataFrame({"unit": unit, "a": a, "b": b})


def test_answer_correlation_by_hand():
    # centred on the unit's means: a (.5, .5, −.5, −.5), b (.25, .25, −.75, .25);
    # Σab = .5, Σa² = 1, Σb² = .75, so r = .5 / √.75 = 1/√3
    cases = _cases("u", ["yes", "yes", "no", "no"], ["yes", "yes", "no", "yes"])
    corr = answer_correlation(cases, ["a", "b"], ["u"])
    assert corr[0, 1] == pytest.approx(1 / np.sqrt(3)) and corr[0, 0] == pytest.approx(1)
    # scored 1 / 0 / True / False alike; a fifth case, yes on a and not applicable on b,
    # moves a's mean to .6 (a: .4, .4, −.6, −.6) but is left out of the pairs:
    # Σab = .5, Σa² = 1.04 over the four pairs, so r = .5 / √(1.04 × .75)
    coded = _cases("u", ["1", "True", "0", "false", "yes"], [1, "yes", "no", "yes", "n/a"])
    r = answer_correlation(coded, ["a", "b"], ["u"])[0, 1]
    assert r == pytest.approx(0.5 / np.sqrt(1.04 * 0.75))


def test_answer_correlation_is_clipped_and_within_units_only():
    same = _cases("u", ["yes", "no"] * 3, ["yes", "no"] * 3)
    assert answer_correlation(same, ["a", "b"], ["u"])[0, 1] == pytest.approx(0.9)
    opposite = _cases("u", ["yes", "no"] * 3, ["no", "yes"] * 3)
    assert answer_correlation(opposite, ["a", "b"], ["u"])[0, 1] == pytest.approx(-0.9)
    # one unit all yes, another all no: different levels, no correlation within either
    levels = pd.concat([_cases("u", ["yes"] * 3, ["yes"] * 3), _cases("v", ["no"] * 3, ["no"] * 3)])
    assert answer_correlation(levels, ["a", "b"], ["u", "v"])[0, 1] == 0
    # units not rated are left out
    assert answer_correlation(pd.concat([same, opposite.assign(unit="w")]), ["a", "b"], ["u"])[
        0, 1
    ] == pytest.approx(0.9)


def test_answer_correlation_names_missing_columns():
    with pytest.raises(InputDataError, match=r"column\(s\) \['unit', 'b'\] not found"):
        answer_correlation(pd.DataFrame({"a": ["yes"]}), ["a", "b"], ["u"])


def test_independent_band_probabilities_match_scipy_beta():
    # Jeffreys posteriors Beta(y + ½, n − y + ½); P(min ≥ c) = Π P(θ_k ≥ c); a key question
    # with no applicable case is left out
    Y, M = np.array([[13.0, 16.0, 0.0]]), np.array([[20.0, 20.0, 0.0]])
    p = independent_band_probabilities(Y, M, EDGES)[0]
    sf = [stats.beta(y + 0.5, 20 - y + 0.5).sf(EDGES[1:]) for y in (13, 16)]
    at_least = np.r_[1.0, sf[0] * sf[1]]
    np.testing.assert_allclose(p, at_least - np.r_[at_least[1:], 0.0], atol=1e-12)
    assert p.sum() == pytest.approx(1.0)


def test_a_key_question_with_one_applicable_case_counts():
    # one case is a (very uncertain) observation, not a missing key question
    Y, M = np.array([[1.0, 16.0]]), np.array([[1.0, 20.0]])
    ell, obs, V = sampling_covariance(Y, M, np.eye(2))
    assert obs.tolist() == [[True, True]] and ell[0, 0] == pytest.approx(np.log(3.0))
    assert V[0, 0, 0] == pytest.approx(1 / 1.5 + 1 / 0.5)
    p = independent_band_probabilities(Y, M, EDGES)[0]
    sf = stats.beta(1.5, 0.5).sf(EDGES[1:]) * stats.beta(16.5, 4.5).sf(EDGES[1:])
    at_least = np.r_[1.0, sf]
    np.testing.assert_allclose(p, at_least - np.r_[at_least[1:], 0.0], atol=1e-12)


def _normal_draws(n, k, seed=1):
    return stats.norm.ppf(qmc.Sobol(k, scramble=True, seed=seed).random(n))


def test_a_nearly_flat_prior_gives_the_binomial_posterior():
    # a flat prior on the logit is Beta(0, 0) on the proportion: the posterior is Beta(y, n − y)
    Y, M = np.array([[13.0], [5.0]]), np.array([[20.0], [12.0]])
    ell, obs, V = sampling_covariance(Y, M, np.eye(1))
    cuts = special.logit(EDGES[1:])
    z = _normal_draws(4096, 1)
    p = posterior_band_probabilities(np.zeros(1), np.eye(1) * 400, Y, M, ell, obs, V, cuts, z)
    for row, (y, n) in zip(p, [(13, 20), (5, 12)], strict=True):
        sf = np.r_[1.0, stats.beta(y, n - y).sf(EDGES[1:])]
        np.testing.assert_allclose(row, sf - np.r_[sf[1:], 0.0], atol=0.005)


def test_posterior_draws_come_with_normalised_weights_per_unit():
    Y, M = np.array([[13.0, 16.0], [2.0, 9.0], [7.0, 7.0]]), np.full((3, 2), 20.0)
    ell, obs, V = sampling_covariance(Y, M, np.eye(2))
    z = _normal_draws(256, 2)
    chunks = list(posterior_draws(np.zeros(2), np.eye(2), Y, M, ell, obs, V, z, chunk=2))
    assert [sl for sl, _, _ in chunks] == [slice(0, 2), slice(2, 4)]
    for _, theta, weight in chunks:
        assert theta.shape[1:] == (256, 2)
        np.testing.assert_allclose(weight.sum(axis=1), 1.0)
        assert (weight >= 0).all()
