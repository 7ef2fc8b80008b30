"""analysis.models.mixed (AGHQ random-intercept logit) against brute-force integration (issue 4)."""

import numpy as np
import pytest
from scipy import integrate, optimize
from scipy.special import expit

from analysis.models.mixed import fit_random_intercept, marginal_loglik


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(30), 20)
    x = rng.normal(size=g.size)
    X = np.column_stack([np.ones_like(x), x])
    y = (rng.random(g.size) < expit(-0.3 + 0.6 * x + rng.normal(0, 0.8, 30)[g])).astype(float)
    return y, X, g


def _quad_loglik(beta, sigma, y, X, g):
    """Marginal log-likelihood by adaptive scipy quadrature, cluster by cluster (outside reference)."""
    total = 0.0
    eta = X @ beta
    for i in np.unique(g):
        m = g == i

        def f(u, m=m):
            p = expit(eta[m] + u)
            return (
                np.exp(np.sum(y[m] * np.log(p) + (1 - y[m]) * np.log1p(-p)))
                * np.exp(-0.5 * (u / sigma) ** 2)
                / (np.sqrt(2 * np.pi) * sigma)
            )

        total += np.log(
            integrate.quad(f, -12 * sigma - 5, 12 * sigma + 5, epsabs=0, epsrel=1e-12, limit=200)[0]
        )
    return total


def _gh_loglik(beta, sigma, y, X, g, n_nodes=300):
    """Non-adaptive Gauss-Hermite with many nodes (a second, vectorised outside reference)."""
    z, w = np.polynomial.hermite.hermgauss(n_nodes)
    lin = (X @ beta)[:, None] + np.sqrt(2) * sigma * z[None, :]
    ll = y[:, None] * np.log(expit(lin)) + (1 - y[:, None]) * np.log(expit(-lin))
    per_cluster = np.stack([np.bincount(g, ll[:, q]) for q in range(n_nodes)], axis=1)
    m = per_cluster.max(axis=1, keepdims=True)
    return float(np.sum(np.log(np.exp(per_cluster - m) @ w / np.sqrt(np.pi)) + m[:, 0]))


def test_aghq_likelihood_equals_numerical_integration(data):
    y, X, g = data
    for beta, sigma in (([-0.3, 0.6], 0.8), ([0.1, 0.2], 0.3), ([-1.0, 1.0], 2.0)):
        ours = marginal_loglik(np.array(beta), sigma, y, X, g, n_nodes=15)
        assert ours == pytest.approx(
            _quad_loglik(np.array(beta), sigma, y, X, g), abs=1e-6
        )  # 30 clusters: under 1e-8 each


def test_estimates_equal_brute_force_maximum_likelihood(data):
    y, X, g = data
    fit = fit_random_intercept(y, X, g)

    def neg(theta):
        return -_gh_loglik(theta[:2], np.exp(theta[2]), y, X, g)

    ref = optimize.minimize(neg, np.append(fit.params, np.log(fit.sigma)) + 0.05, method="Nelder-Mead",
                            options={"xatol": 1e-7, "fatol": 1e-10, "maxiter": 4000})  # fmt: skip
    assert fit.converged
    np.testing.assert_allclose(fit.params, ref.x[:2], atol=1e-4)
    assert fit.sigma == pytest.approx(np.exp(ref.x[2]), abs=1e-4)
    # standard errors: observed information of the reference likelihood, by finite differences
    h = 1e-3
    theta = ref.x
    H = np.empty((3, 3))
    for j in range(3):
        for k in range(3):
            e_j, e_k = np.eye(3)[j] * h, np.eye(3)[k] * h
            H[j, k] = (neg(theta + e_j + e_k) - neg(theta + e_j - e_k) - neg(theta - e_j + e_k) + neg(theta - e_j - e_k)) / (4 * h * h)  # fmt: skip
    ref_se = np.sqrt(np.diag(np.linalg.inv(H)))[:2]
    np.testing.assert_allclose(np.sqrt(np.diag(fit.cov)), ref_se, rtol=2e-3)


def test_no_cluster_variation_gives_ordinary_logistic_estimates():
    import statsmodels.api as sm

    rng = np.random.default_rng(3)
    g = np.repeat(np.arange(50), 40)
    x = rng.normal(size=g.size)
    X = np.column_stack([np.ones_like(x), x])
    y = (rng.random(g.size) < expit(0.2 + 0.5 * x)).astype(float)
    fit = fit_random_intercept(y, X, g)
    ref = sm.Logit(y, X).fit(disp=0)
    if fit.at_boundary:
        assert fit.sigma == pytest.approx(1e-3)
        np.testing.assert_allclose(fit.params, ref.params, atol=1e-5)
    else:
        assert fit.sigma < 0.2
        np.testing.assert_allclose(fit.params, ref.params, atol=5e-3)


def _cluster_loglik_quad(eta, y, sigma):
    """One cluster's marginal log-likelihood by scipy quadrature around its own mode (reference)."""
    from scipy.special import log_expit

    def h(u):
        return (
            np.sum(y * log_expit(eta + u) + (1 - y) * log_expit(-eta - u)) - 0.5 * (u / sigma) ** 2
        )

    bounds = (-50, 50)
    top = optimize.minimize_scalar(lambda u: -h(u), bounds=bounds, options={"xatol": 1e-10})
    m, hm = top.x, h(top.x)
    width = 12 * min(sigma, 2.0) + 2
    options = {"points": [m], "epsabs": 0, "epsrel": 1e-12, "limit": 400}
    value = integrate.quad(lambda u: np.exp(h(u) - hm), m - width, m + width, **options)[0]
    return hm + np.log(value) - np.log(np.sqrt(2 * np.pi) * sigma)


def _reference_loglik(beta, sigma, y, X, g):
    eta = X @ beta
    return sum(_cluster_loglik_quad(eta[g == i], y[g == i], sigma) for i in np.unique(g))


def test_mode_search_is_safeguarded_far_from_the_mode():
    """One PDU, 22 ones and 18 zeros, at beta -4: the undamped Newton step diverged (-807.07)."""
    y = np.r_[np.ones(22), np.zeros(18)]
    X, g = np.ones((40, 1)), np.zeros(40, int)
    ours = marginal_loglik(np.array([-4.0]), 1.3, y, X, g)
    assert ours == pytest.approx(_quad_loglik(np.array([-4.0]), 1.3, y, X, g), abs=1e-6)
    for beta, sigma in ((-8.0, 0.3), (6.0, 3.0), (-4.0, 0.05), (9.0, 1.3)):
        ref = _reference_loglik(np.array([beta]), sigma, y, X, g)
        ours = marginal_loglik(np.array([beta]), sigma, y, X, g, n_nodes=15)
        assert ours == pytest.approx(ref, abs=1e-6)


@pytest.mark.parametrize("seed", [1, pytest.param(2, marks=pytest.mark.slow)])
def test_large_pdu_variation_fits_converge_at_the_maximum(seed):
    """PDU SD 1.5-2 (where the old gradient test rejected good fits): converged, at the maximum."""
    rng = np.random.default_rng(seed)
    n_groups = 10
    g = np.repeat(np.arange(n_groups), rng.integers(20, 51, n_groups))
    x = rng.normal(size=g.size)
    X = np.column_stack([np.ones_like(x), x])
    sd = 1.5 + 0.5 * (seed % 2)
    y = (rng.random(g.size) < expit(-1.7 - 0.3 * x + rng.normal(0, sd, n_groups)[g])).astype(float)
    fit = fit_random_intercept(y, X, g)
    assert fit.converged, fit.message
    assert np.all(np.isfinite(fit.cov))

    def neg(theta):
        return -_reference_loglik(theta[:2], np.exp(theta[2]), y, X, g)

    start = np.append(fit.params, np.log(fit.sigma)) + 0.05
    options = {"xatol": 1e-6, "fatol": 1e-9, "maxiter": 2000}
    ref = optimize.minimize(neg, start, method="Nelder-Mead", options=options)
    np.testing.assert_allclose(fit.params, ref.x[:2], atol=1e-4)
    assert fit.sigma == pytest.approx(np.exp(ref.x[2]), abs=1e-4)
