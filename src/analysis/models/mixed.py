"""Random-intercept logistic regression by maximum likelihood with adaptive Gauss-Hermite quadrature.

Model: ``logit P(y_ij = 1) = x_ij'beta + u_i``, ``u_i ~ N(0, sigma^2)`` for cluster ``i`` (PDU).
The marginal likelihood of each cluster is integrated over ``u_i`` by adaptive Gauss-Hermite
quadrature (AGHQ) centred on the mode of each cluster's integrand and scaled by its curvature,
as ``lme4::glmer(nAGQ = k)`` does; ``n_nodes=1`` is the Laplace approximation. The default 9
nodes makes the integration error negligible next to sampling error.

Why not statsmodels ``BinomialBayesMixedGLM``: its ``fit_vb`` is a mean-field variational
approximation whose posterior standard deviations of the fixed effects are known to be too
small, so its intervals undercover; ``fit_map`` is a joint posterior mode, not the marginal
likelihood. AGHQ gives the maximum-likelihood estimate with standard errors from the observed
information, with the vectorised cost of a few logistic fits.

The gradient uses Fisher's identity (the score is the posterior expectation of the complete-data
score, integrated with the same quadrature nodes) and the Hessian Louis' formula; the maximum is
found by Newton's method with a line search, and standard errors come from the inverse of that
Hessian at the maximum. Convergence is judged by the Newton decrement ``g'H^-1 g``, the squared
distance to the maximum in standard-error units, not by the raw gradient, whose size grows with
the number of cases and is limited by the quadrature error (about 1e-5 per case with 9 nodes).

The mode of each cluster's integrand is found by Newton's method with step halving (the
integrand is log-concave, so this converges from any start) and checked on exit.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> g = np.repeat(np.arange(40), 25)
>>> x = rng.normal(size=g.size)
>>> y = (rng.random(g.size) < 1 / (1 + np.exp(-(-0.5 + 0.8 * x + rng.normal(0, 0.7, 40)[g])))).astype(float)
>>> fit = fit_random_intercept(y, np.column_stack([np.ones_like(x), x]), g)
>>> fit.converged, np.round(fit.params, 2).tolist(), round(fit.sigma, 2)
(True, [-0.51, 0.62], 0.64)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_expit, logsumexp

from ..exceptions import ModelError

__all__ = ["RandomInterceptFit", "fit_random_intercept", "marginal_loglik"]

_SIGMA_FLOOR = 1e-3
DECREMENT_TOL = 1e-8
"""Converged when the Newton decrement g'H^-1 g, the squared distance to the maximum in
standard-error units, is below this (the estimate is within 1e-4 standard errors of it)."""
STALL_DECREMENT_TOL = 1e-4
"""When no step increases the likelihood any more (quadrature error, about 1e-5 per case,
limits how flat the objective can be made), the fit is accepted as converged if the estimate
is within 0.01 standard errors of the maximum."""
RELATIVE_TOL = 1e-10
RETRY_NODES = 25
"""Nodes for a second attempt when the fit with the requested nodes has not converged."""
MAX_STEP = 2.0
SMALL_SIGMA = 0.05
"""Largest change of any parameter (log odds, or log sigma) in one Newton step."""


@dataclass
class RandomInterceptFit:
    """Result of :func:`fit_random_intercept` (fixed effects ``params`` with covariance ``cov``)."""

    params: np.ndarray
    cov: np.ndarray
    sigma: float
    sigma_se: float
    loglik: float
    converged: bool
    message: str
    n_nodes: int
    at_boundary: bool


class _Data:
    """Rows sorted by cluster, so per-cluster sums are contiguous ``np.add.reduceat`` segments."""

    def __init__(self, y, X, groups):
        codes, self.n_groups = _codes(groups)
        order = np.argsort(codes, kind="stable")
        self.y, self.X, self.g = y[order], X[order], codes[order]
        self.starts = np.flatnonzero(np.r_[True, np.diff(self.g) != 0])

    def sum(self, values):
        return np.add.reduceat(values, self.starts, axis=0)


def _cluster_integrand(eta, u, data, prec):
    """Log of each cluster's integrand at ``u`` (log-likelihood plus log prior kernel)."""
    lin = eta + u[data.g]
    return data.sum(log_expit(lin) - (1 - data.y) * lin) - 0.5 * prec * u**2


def _modes(eta, data, sigma, iterations=50, start=None):
    """Mode and curvature scale of each cluster's integrand in ``u`` (safeguarded Newton).

    Each cluster's log integrand is strictly concave, so Newton's method converges from any
    start once a step that would lower the integrand is halved until it does not. Returns the
    modes, the scales ``1 / sqrt(curvature)`` and whether every cluster met the tolerance on
    exit (Newton step below 1e-8 standard deviations of the integrand).
    """
    usable = start is not None and np.all(np.isfinite(start))
    u = start.copy() if usable else np.zeros(data.n_groups)
    prec = 1.0 / sigma**2
    h = _cluster_integrand(eta, u, data, prec)
    for _ in range(iterations):
        p = expit(eta + u[data.g])
        grad = data.sum(data.y - p) - u * prec
        hess = data.sum(p * (1 - p)) + prec
        step = grad / hess
        if np.max(np.abs(step) * np.sqrt(hess)) < 1e-10:
            break
        t = np.ones_like(u)
        trial = u + step
        h_trial = _cluster_integrand(eta, trial, data, prec)
        for _ in range(60):  # halve the steps of the clusters whose integrand went down
            worse = h_trial < h - 1e-12 * (1 + np.abs(h))
            if not worse.any():
                break
            t[worse] *= 0.5
            trial = np.where(worse, u + t * step, trial)
            h_trial = np.where(worse, _cluster_integrand(eta, trial, data, prec), h_trial)
        u, h = trial, h_trial
    p = expit(eta + u[data.g])
    hess = data.sum(p * (1 - p)) + prec
    grad = data.sum(data.y - p) - u * prec
    ok = bool(np.max(np.abs(grad) / np.sqrt(hess)) < 1e-8)
    return u, 1.0 / np.sqrt(hess), ok


def _evaluate(theta, data, nodes, weights, want="value", cache=None, centre=None):
    """Log-likelihood by AGHQ; with ``want="grad"`` its gradient, ``"hess"`` also its Hessian.

    The gradient is Fisher's identity and the Hessian Louis' formula (posterior mean of the
    complete-data Hessian plus posterior covariance of the complete-data score), both with the
    quadrature nodes as the posterior's support.
    """
    beta, log_sigma = theta[:-1], theta[-1]
    sigma = np.exp(log_sigma)
    y, X, g = data.y, data.X, data.g
    eta = X @ beta
    if centre is None:  # nodes centred on each cluster's mode at theta
        warm = cache.get("mode") if cache is not None else None
        mode, scale, ok = _modes(eta, data, sigma, start=warm)
        if cache is not None:
            cache["modes_ok"] = ok
            cache["centre"] = (mode, scale)
            if ok:  # a failed search must not become the next warm start
                cache["mode"] = mode
    else:  # nodes held where they were: the gradient is then exactly that of this sum
        mode, scale = centre
    u = mode[:, None] + np.sqrt(2.0) * scale[:, None] * nodes[None, :]  # (G, Q)
    lin = eta[:, None] + u[g]  # (N, Q)
    ll_cluster = data.sum(log_expit(lin) - (1 - y[:, None]) * lin)
    z2 = (u / sigma) ** 2
    log_prior = -0.5 * z2 - log_sigma - 0.5 * np.log(2 * np.pi)
    a = ll_cluster + log_prior + np.log(weights)[None, :] + nodes[None, :] ** 2
    a += np.log(np.sqrt(2.0) * scale)[:, None]
    log_li = logsumexp(a, axis=1)
    loglik = float(log_li.sum())
    if want == "value":
        return loglik, None, None
    post = np.exp(a - log_li[:, None])  # posterior weights of the nodes, (G, Q)
    P = expit(lin)
    R = y[:, None] - P
    post_obs = post[g]
    grad = np.append(X.T @ (R * post_obs).sum(axis=1), float((post * (z2 - 1.0)).sum()))
    if want == "grad":
        return loglik, grad, None
    k = X.shape[1]
    W = (P * (1 - P) * post_obs).sum(axis=1)
    H = np.zeros((k + 1, k + 1))
    H[:k, :k] = -(X.T * W) @ X
    H[k, k] = -2.0 * float((post * z2).sum())
    S = np.empty((data.n_groups, len(nodes), k + 1))  # complete-data scores per cluster and node
    for q in range(len(nodes)):
        S[:, q, :k] = data.sum(X * R[:, q : q + 1])
    S[:, :, k] = z2 - 1.0
    mean = np.einsum("gq,gqa->ga", post, S)
    H += np.einsum("gq,gqa,gqb->ab", post, S, S) - mean.T @ mean
    return loglik, grad, 0.5 * (H + H.T)


def marginal_loglik(params, sigma, y, X, groups, *, n_nodes: int = 9) -> float:
    """Marginal log-likelihood of the random-intercept logit by AGHQ (for checks and tests).

    Raises
    ------
    ModelError
        If the mode of some cluster's integrand could not be found.
    """
    data = _Data(np.asarray(y, float), np.asarray(X, float), groups)
    nodes, weights = np.polynomial.hermite.hermgauss(n_nodes)
    theta = np.append(np.asarray(params, float), np.log(sigma))
    cache: dict = {}
    value = _evaluate(theta, data, nodes, weights, cache=cache)[0]
    if not cache["modes_ok"]:
        raise ModelError(
            "The random-intercept likelihood could not be evaluated: the mode of some PDU's "
            f"integrand was not found at sigma={sigma!r}."
        )
    return value


def _codes(groups):
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(groups))
    return codes.astype(np.int64), len(uniques)


def logistic_start(y, X, iterations=25):
    """Ordinary logistic fit by Newton-Raphson (starting values; no clustering).

    Parameters
    ----------
    y : array of 0/1
    X : 2-D array
        Design matrix including the intercept.
    iterations : int
        Maximum Newton steps.

    Returns
    -------
    numpy.ndarray
        The estimate (or the last iterate if the information matrix became singular).
    """
    beta = np.zeros(X.shape[1])
    for _ in range(iterations):
        p = expit(X @ beta)
        info = X.T @ (X * (p * (1 - p))[:, None])
        try:
            step = np.linalg.solve(info, X.T @ (y - p))
        except np.linalg.LinAlgError:
            break
        beta += step
        if np.max(np.abs(step)) < 1e-8:
            break
    return beta


def _newton_step(grad, H):
    """Newton step for a maximum, with the Hessian's eigenvalues made safely negative."""
    vals, vecs = np.linalg.eigh(-H)
    vals = np.maximum(vals, max(1e-8 * vals.max(initial=0.0), 1e-12))
    step = vecs @ ((vecs.T @ grad) / vals)
    return step, float(grad @ step)


def _maximise(data, theta, nodes, weights, cache, maxiter):
    """Newton's method with a line search for the AGHQ likelihood, from ``theta``."""
    k, floor = data.X.shape[1], np.log(_SIGMA_FLOOR)

    def evaluate(t, want, centre=None):
        return _evaluate(t, data, nodes, weights, want=want, cache=cache, centre=centre)

    value, grad, H = evaluate(theta, "hess")
    free = np.ones(k + 1, bool)
    converged, message, decrement = False, "iteration limit reached", np.inf
    for iteration in range(1, maxiter + 1):
        step = np.zeros(k + 1)
        step[free], decrement = _newton_step(grad[free], H[np.ix_(free, free)])
        if free[-1] and theta[-1] <= floor and step[-1] <= 0:  # sigma stays at its floor
            free[-1] = False
            continue
        if np.max(np.abs(step)) > MAX_STEP:  # far from the maximum: a shorter step
            step *= MAX_STEP / np.max(np.abs(step))
        if free[-1] and step[-1] < 0 and theta[-1] + step[-1] < np.log(SMALL_SIGMA):
            # heading for sigma = 0, where Newton in log sigma crawls (about 0.5 per step):
            # try the floor directly; the line search keeps it only if the likelihood agrees
            step[-1] = floor - theta[-1]
        if decrement < DECREMENT_TOL:
            converged, message = True, f"converged in {iteration - 1} Newton steps"
            break
        t, trial_value, centre = 1.0, -np.inf, cache["centre"]
        while t > 1e-10:  # line search on the sum with the nodes held, consistent with grad
            trial = theta + t * step
            trial[-1] = max(trial[-1], floor)
            trial_value = evaluate(trial, "value", centre)[0]
            if trial_value >= value - 1e-12 * abs(value):
                break
            t *= 0.5
        if t <= 1e-10 or not trial_value >= value - 1e-12 * abs(value):
            converged = decrement < STALL_DECREMENT_TOL
            message = "no further increase of the likelihood"
            message += "" if converged else " far from a maximum"
            break
        change = abs(trial_value - value) / max(abs(value), 1.0)
        theta = trial
        value, grad, H = evaluate(theta, "hess")
        if change < RELATIVE_TOL and decrement < STALL_DECREMENT_TOL:
            converged, message = (
                True,
                f"converged in {iteration} Newton steps (objective unchanged)",
            )
            break
    return {
        "theta": theta,
        "value": value,
        "H": H,
        "free": free,
        "converged": converged,
        "message": message,
        "decrement": decrement,
    }


def fit_random_intercept(
    y, X, groups, *, n_nodes: int = 9, start=None, sigma_start: float = 0.5, maxiter: int = 100
) -> RandomInterceptFit:
    """Fit ``logit P(y=1) = X beta + u_group`` with ``u ~ N(0, sigma^2)`` by AGHQ maximum likelihood.

    Parameters
    ----------
    y : array of 0/1
    X : 2-D array
        Fixed-effects design including the intercept column.
    groups : array
        Cluster labels (any hashable values).
    n_nodes : int
        Quadrature nodes per cluster (1 = Laplace approximation).
    start : array, optional
        Starting fixed effects (default: an ordinary logistic fit).
    sigma_start : float
        Starting random-intercept SD.
    maxiter : int
        Maximum Newton iterations.

    Returns
    -------
    RandomInterceptFit
        ``at_boundary`` flags an estimated ``sigma`` below 0.001 (no detectable
        between-cluster variation): ``sigma`` is then reported as 0.001 and the fixed-effect
        covariance is taken with ``sigma`` held there.

    Raises
    ------
    ValueError
        If the inputs do not have matching lengths.
    """
    y, X = np.asarray(y, float), np.asarray(X, float)
    if not (len(y) == X.shape[0] == len(np.asarray(groups))):
        raise ValueError("y, X and groups must have the same number of rows.")
    data = _Data(y, X, groups)
    nodes, weights = np.polynomial.hermite.hermgauss(n_nodes)
    if start is None:
        start = logistic_start(y, X)
    theta = np.append(np.asarray(start, float), np.log(sigma_start))
    k, floor = X.shape[1], np.log(_SIGMA_FLOOR)
    cache: dict = {}
    out = _maximise(data, theta, nodes, weights, cache, maxiter)
    if not out["converged"] and n_nodes < RETRY_NODES:  # more nodes: a more accurate gradient
        n_nodes = RETRY_NODES
        nodes, weights = np.polynomial.hermite.hermgauss(n_nodes)
        cache = {}
        out = _maximise(data, out["theta"], nodes, weights, cache, maxiter)
        out["message"] += f" (retried with {n_nodes} nodes)"
    theta, value, H, free = out["theta"], out["value"], out["H"], out["free"]
    converged, message, decrement = out["converged"], out["message"], out["decrement"]
    at_boundary = bool(theta[-1] <= floor)
    if at_boundary:
        free[-1] = False
    if not cache.get("modes_ok", True):
        converged, message = False, "the mode of some PDU's integrand was not found"
    sigma_se = np.nan
    try:
        full = np.linalg.inv(-H[np.ix_(free, free)])
        cov = full[:k, :k]
        if not at_boundary:
            sigma_se = float(np.exp(theta[-1]) * np.sqrt(full[-1, -1]))
    except np.linalg.LinAlgError:
        cov = np.full((k, k), np.nan)
        converged, message = False, "singular information matrix"
    return RandomInterceptFit(
        params=theta[:-1],
        cov=cov,
        sigma=float(np.exp(theta[-1])),
        sigma_se=sigma_se,
        loglik=float(value),
        converged=converged,
        message=f"{message}; Newton decrement {decrement:.1e}",
        n_nodes=n_nodes,
        at_boundary=at_boundary,
    )
