"""analysis.models._fit: one logistic fit per design, the clustering methods by name, marginal effects.

Outside references: the score equations of the logistic likelihood, the inverse information
and the CR1 and CR3 cluster sandwich covariances written out from their formulas (Liang and
Zeger 1986; Bell and McCaffrey 2002), and marginal effects worked by hand or by numerical
differentiation.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.special import expit

from analysis.models import _fit
from analysis.models._fit import ClusterMethod, Fit, average_marginal_effect, fit


@pytest.fixture(scope="module")
def clustered():
    """200 cases in 10 PDUs of 20, one covariate, log odds 0.2 + 0.8 x."""
    import statsmodels.api  # noqa: F401  (imported once here, not inside the first test)

    rng = np.random.default_rng(1)
    x = rng.normal(size=200)
    X = np.column_stack([np.ones(200), x])
    y = (rng.random(200) < expit(0.2 + 0.8 * x)).astype(float)
    return y, X, np.repeat(np.arange(10), 20)


def _information_inverse(X, p):
    return np.linalg.inv(X.T @ (X * (p * (1 - p))[:, None]))


def test_clustering_methods_are_registered_by_name():
    from analysis.models._fit import CLUSTER_CHOICES, METHODS

    assert {"robust", "gee", "mixed", "none"} <= set(CLUSTER_CHOICES)
    assert METHODS["mixed"].conditional and not METHODS["robust"].conditional
    assert METHODS["robust"].needs_clusters and not METHODS["mixed"].needs_clusters
    assert {m.label for m in METHODS.values()} >= {"logit_cluster_robust", "gee_exchangeable"}


def test_degrees_of_freedom_are_none_one_value_or_one_per_coefficient():
    params, cov = np.zeros(2), np.eye(2)
    assert Fit(params, cov, True).df_of(1) is None
    assert Fit(params, cov, True, df=9.0).df_of(0) == 9.0
    assert Fit(params, cov, True, df=np.array([3.0, 4.5])).df_of(1) == 4.5


def test_register_adds_a_method_under_its_name_and_returns_the_function(monkeypatch):
    monkeypatch.setattr(_fit, "METHODS", {})

    def method(y, X, groups):
        return Fit(np.zeros(1), np.eye(1), True)

    assert _fit.register("demo", "demo_label", conditional=True)(method) is method
    assert _fit.METHODS == {"demo": ClusterMethod("demo", "demo_label", method, True, False)}


def test_the_plain_logit_solves_the_score_equations_with_the_inverse_information(clustered):
    y, X, groups = clustered
    result = fit(y, X, groups, "none")
    p = expit(X @ result.params)
    np.testing.assert_allclose(X.T @ (y - p), 0, atol=1e-8)
    np.testing.assert_allclose(result.cov, _information_inverse(X, p), rtol=1e-8)
    assert result.converged and result.df is None and not result.conditional
    assert result.how == "model-based standard errors that ignore clustering"


def test_cr1_is_the_cluster_sandwich_with_the_small_sample_factor(clustered):
    y, X, groups = clustered
    result = fit(y, X, groups, "robust_cr1")
    p = expit(X @ result.params)
    scores = np.array([X[groups == g].T @ (y - p)[groups == g] for g in range(10)])
    bread = _information_inverse(X, p)
    factor = 10 / 9 * 199 / 198  # G / (G - 1) * (N - 1) / (N - K)
    np.testing.assert_allclose(result.cov, factor * bread @ scores.T @ scores @ bread, rtol=1e-8)
    assert result.df is None and result.how == "the CR1 covariance and normal critical values"


def test_the_default_robust_fit_is_cr3_with_t_on_g_minus_1_df(clustered):
    y, X, groups = clustered
    result = fit(y, X, groups, "robust")
    p = expit(X @ result.params)
    np.testing.assert_allclose(X.T @ (y - p), 0, atol=1e-8)  # the same estimate as the logit
    sw = np.sqrt(p * (1 - p))
    Xw, e = X * sw[:, None], (y - p) / sw
    bread, meat = np.linalg.inv(Xw.T @ Xw), np.zeros((2, 2))
    for g in range(10):
        m = groups == g
        adjust = np.linalg.inv(np.eye(m.sum()) - Xw[m] @ bread @ Xw[m].T)  # (I - H_gg)^-1
        u = Xw[m].T @ adjust @ e[m]
        meat += np.outer(u, u)
    np.testing.assert_allclose(result.cov, bread @ meat @ bread, rtol=1e-8)
    assert result.df == 9.0 and result.df_of(1) == 9.0
    assert result.how == "the CR3 (jackknife) covariance and t with 9 df"


def test_gee_uses_t_on_g_minus_1_df_and_reports_its_correlation(clustered):
    y, X, groups = clustered
    result = fit(y, X, groups, "gee")
    assert result.df == 9.0 and result.converged
    assert result.how == "the Mancl-DeRouen covariance and t with 9 df"
    assert result.notes[0].startswith("exchangeable correlation ")


def test_the_mixed_model_is_conditional_and_states_its_pdu_sd(clustered):
    y, X, groups = clustered
    result = fit(y, X, groups, "mixed")
    assert result.conditional and result.df is None
    assert result.notes[0].startswith("PDU random-intercept SD ")
    assert result.how == "the observed information and normal critical values"


def test_a_warning_about_convergence_marks_the_fit_and_is_noted(monkeypatch, clustered):
    def noisy(y, X, groups):
        warnings.warn("Maximum Likelihood optimization failed to converge.", stacklevel=1)
        warnings.warn("an unrelated remark", stacklevel=1)
        return Fit(np.zeros(2), np.eye(2), True)

    monkeypatch.setitem(_fit.METHODS, "noisy", ClusterMethod("noisy", "noisy", noisy, False, False))
    result = fit(*clustered, "noisy")
    assert not result.converged
    assert result.notes == ["Maximum Likelihood optimization failed to converge."]


def test_indicator_marginal_effect_and_its_delta_method_se_by_hand():
    # beta: intercept 0, the indicator log 3, a sibling log 2. With the sibling set to 0,
    # P(x = 0) = 1/2 and P(x = 1) = 3/4 for every case: the effect is exactly 0.25.
    X = np.array([[1.0, 1, 0], [1, 0, 1], [1, 0, 0]])
    result = Fit(np.array([0.0, np.log(3), np.log(2)]), 0.01 * np.eye(3), True)
    ame, se = average_marginal_effect(result, X, 1, "indicator", siblings=[2])
    assert ame == pytest.approx(0.25)
    # gradient: mean of X1 p1 (1 - p1) - X0 p0 (1 - p0) = (3/16 - 1/4, 3/16, 0)
    assert se == pytest.approx(np.sqrt(0.01 * (0.0625**2 + 0.1875**2)))


def test_continuous_marginal_effect_at_one_half_by_hand():
    # p = 1/2 everywhere: the effect is beta (2) times 1/4, and only beta's own SE counts
    X = np.array([[1.0, 0], [1, 0]])
    ame, se = average_marginal_effect(
        Fit(np.array([0.0, 2.0]), 0.04 * np.eye(2), True), X, 1, "continuous"
    )
    assert ame == pytest.approx(0.5)
    assert se == pytest.approx(0.2 * 0.25)


def test_continuous_marginal_effect_matches_numerical_derivatives():
    rng = np.random.default_rng(3)
    X = np.column_stack([np.ones(50), rng.normal(size=50), rng.normal(size=50)])
    beta = np.array([-0.4, 0.7, -0.3])
    cov = np.array([[0.04, 0.01, 0.0], [0.01, 0.09, 0.02], [0.0, 0.02, 0.05]])

    def effect(b, h=1e-6):  # d mean P / d x_1, by central differences
        shift = np.zeros(3)
        shift[1] = h
        return (expit((X + shift) @ b).mean() - expit((X - shift) @ b).mean()) / (2 * h)

    grad = np.array([(effect(beta + d) - effect(beta - d)) / 2e-4 for d in 1e-4 * np.eye(3)])
    ame, se = average_marginal_effect(Fit(beta, cov, True), X, 1, "continuous")
    assert ame == pytest.approx(effect(beta), rel=1e-6)
    assert se == pytest.approx(np.sqrt(grad @ cov @ grad), rel=1e-5)
