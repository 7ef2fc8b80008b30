"""Numerical core of the pooled rating model (see :mod:`analysis.ratings.uncertainty`).

Arrays are per standard: ``Y`` and ``M`` of shape ``(units, K)`` hold yes answers and
applicable cases for the standard's K key questions (``M == 0``: no applicable case).
Everything is on the logit scale.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import special

from ..exceptions import InputDataError

__all__ = [
    "MISSING_VAR",
    "answer_correlation",
    "sampling_covariance",
    "population_moments",
    "independent_band_probabilities",
    "SCALE_GRID",
    "SHARED_GRID",
    "widened",
    "prior_widening",
    "widenings",
    "posterior_draws",
    "posterior_band_probabilities",
]

MISSING_VAR = 1e6
"""Sampling variance standing in for a key question with no applicable case."""
_SCORES = {
    "yes": 1.0,
    "no": 0.0,
    "1": 1.0,
    "0": 0.0,
    "1.0": 1.0,
    "0.0": 0.0,
    "true": 1.0,
    "false": 0.0,
}
JITTER = 1e-4
"""Added to fitted covariances (an SD of 0.01 on the logit scale) to keep them invertible."""


def answer_correlation(cases: pd.DataFrame, key_questions, units) -> np.ndarray:
    """Pooled within-unit correlation of yes/no answers between key questions on the same cases.

    Answers are scored 1 (yes, 1, True) and 0 (no, 0, False; anything else: not applicable), centred on each unit's mean per key question, and
    correlated over the cases where both key questions apply, pooling all ``units``. The result
    is clipped to ±0.9 and made positive definite.

    Raises
    ------
    InputDataError
        If ``cases`` lacks the ``unit`` column or a key-question column.
    """
    kqs = list(key_questions)
    absent = [c for c in ("unit", *kqs) if c not in cases.columns]
    if absent:
        raise InputDataError(
            f"cases: column(s) {absent} not found; expected a 'unit' column matching the units "
            f"rated and one column per key question; columns are {list(cases.columns)}."
        )
    sub = cases[cases["unit"].isin(set(units))]
    scored = {k: sub[k].astype("string").str.strip().str.lower().map(_SCORES) for k in kqs}
    num = pd.DataFrame(scored).astype(float)
    dev = (num - num.groupby(sub["unit"].to_numpy()).transform("mean")).to_numpy()
    corr = np.eye(len(kqs))
    for i in range(len(kqs)):
        for j in range(i + 1, len(kqs)):
            a, b = dev[:, i], dev[:, j]
            both = ~np.isnan(a) & ~np.isnan(b)
            den = np.sqrt(np.sum(a[both] ** 2) * np.sum(b[both] ** 2))
            r = np.sum(a[both] * b[both]) / den if den > 0 else 0.0
            corr[i, j] = corr[j, i] = np.clip(r, -0.9, 0.9)
    w, v = np.linalg.eigh(corr)
    return (v * np.clip(w, 0.05, None)) @ v.T


def sampling_covariance(Y, M, corr):
    """Empirical logits, observed mask and sampling covariances of the logits.

    ``ℓ = log((y + ½)/(n − y + ½))``, ``v = 1/(y + ½) + 1/(n − y + ½)``; the covariance of two
    key questions is ``corr × overlap × √(v_j v_k)`` with ``overlap = min(n_j, n_k)/√(n_j n_k)``
    (the applicable cases of one key question taken as a subset of the other's).

    Returns
    -------
    (ell, obs, V) : arrays of shapes (U, K), (U, K) and (U, K, K)
    """
    obs = M > 0
    ell = np.where(obs, np.log((Y + 0.5) / (M - Y + 0.5)), 0.0)
    v = np.where(obs, 1 / (Y + 0.5) + 1 / (M - Y + 0.5), MISSING_VAR)
    sd = np.sqrt(v)
    with np.errstate(invalid="ignore", divide="ignore"):
        overlap = np.minimum(M[:, :, None], M[:, None, :]) / np.sqrt(M[:, :, None] * M[:, None, :])
    both = obs[:, :, None] & obs[:, None, :]
    V = np.where(both, corr[None] * np.nan_to_num(overlap), 0.0) * sd[:, :, None] * sd[:, None, :]
    idx = np.arange(Y.shape[1])
    V[:, idx, idx] = v
    return ell, obs, V


def population_moments(ell, obs, V):
    """Method-of-moments population mean and covariance of the true logits: cov(ℓ) − mean V_u.

    Unweighted, so not biased by the sampling variances' dependence on the observed counts
    (weighted maximum likelihood with these plug-in variances pulls Σ towards 0 at 20 cases);
    each pair of key questions uses the units where both have an applicable case. The
    covariance is projected onto the positive definite matrices (eigenvalues at least
    ``JITTER``).

    Returns
    -------
    (mean, cov) : numpy arrays (K,) and (K, K)
    """
    w = obs.astype(float)
    mu = (ell * w).sum(axis=0) / np.maximum(w.sum(axis=0), 1)
    d = np.where(obs, ell - mu, 0.0)
    pair = w.T @ w
    noise = np.einsum("uj,uk,ujk->jk", w, w, V) / np.maximum(pair, 1)
    cov = np.where(pair > 1, d.T @ d / np.maximum(pair - 1, 1) - noise, 0.0)
    vals, vecs = np.linalg.eigh((cov + cov.T) / 2)
    return mu, (vecs * np.clip(vals, JITTER, None)) @ vecs.T


SCALE_GRID = np.unique(np.round(np.geomspace(1.0, 100.0, 41), 3))
"""Candidate factors by which a prior's covariance may be widened (1 = the prior as given)."""
SHARED_GRID = np.concatenate([[0.0], np.round(np.geomspace(0.03, 100.0, 20), 4)])
"""Candidate variances (logit scale) of a shift shared by every key question of a unit (0: none)."""


def widened(cov, scale: float, shared: float) -> np.ndarray:
    """The prior covariance widened for one unit: ``scale · cov + shared`` (every entry)."""
    return scale * np.asarray(cov) + shared


def prior_widening(
    ell, obs, V, mean, cov, scales=SCALE_GRID, shared=SHARED_GRID
) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the widening of the prior N(mean, cov) that the unit's own data support best.

    Two ways a unit can sit away from an outside prior: its key questions scatter more than
    the prior expects (met by a factor λ ≥ 1 on the covariance), or all of them sit higher or
    lower together (met by a shift shared by every key question, of variance τ² ≥ 0). The
    marginal likelihood of the empirical logits under prior N(mean, λ·cov + τ²·11ᵀ) is
    N(ℓ; mean, λ·cov + τ²·11ᵀ + V_u) (key questions with no applicable case left out); (λ, τ²)
    is its maximum over ``scales`` × ``shared``. A unit that sits where the prior expects gets
    (1, 0), the prior in full; a strong unit against a prior built from weaker published
    figures gets a shared shift, so that it is pulled towards the prior only as far as its
    distance and its number of cases allow, without its key questions being thought further
    apart from each other than the prior says.

    Returns
    -------
    (scale, shared) : numpy arrays of shape (U,)
    """
    U, K = ell.shape
    best = np.full(U, -np.inf)
    out_scale, out_shared = np.ones(U), np.zeros(U)
    d = np.where(obs, ell - mean, 0.0)
    # S = λ·C + τ²·J + W per unit; a key question with no applicable case has no residual and
    # unit variance in W, and nothing in C or J, so it drops out
    drop = ~(obs[:, :, None] & obs[:, None, :])
    C = np.where(drop, 0.0, np.asarray(cov)[None])
    J = np.where(drop, 0.0, 1.0)
    W = np.where(drop, 0.0, V)
    W[:, np.arange(K), np.arange(K)] = np.where(obs, W[:, np.arange(K), np.arange(K)], 1.0)
    for lam in scales:
        for tau2 in shared:
            S = lam * C + tau2 * J + W
            _, logdet = np.linalg.slogdet(S)
            quad = np.einsum("uj,uj->u", d, np.linalg.solve(S, d[..., None])[..., 0])
            ll = -0.5 * (logdet + quad)
            better = ll > best + 1e-12
            out_scale = np.where(better, lam, out_scale)
            out_shared = np.where(better, tau2, out_shared)
            best = np.where(better, ll, best)
    return out_scale, out_shared


def widenings(scale, shared):
    """The distinct (λ, τ²) of some units: (row mask, λ, τ²) for each."""
    pairs = np.column_stack([np.asarray(scale, float), np.asarray(shared, float)])
    for lam, tau2 in np.unique(pairs, axis=0):
        yield (pairs[:, 0] == lam) & (pairs[:, 1] == tau2), float(lam), float(tau2)


def independent_band_probabilities(Y, M, edges):
    """Independent Jeffreys posteriors: P(min ≥ c) = Π_k P(θ_k ≥ c) (the previous model)."""
    a, b = Y[:, :, None] + 0.5, M[:, :, None] - Y[:, :, None] + 0.5
    with np.errstate(invalid="ignore"):
        surv = 1.0 - special.betainc(a, b, np.clip(edges, 0.0, 1.0)[None, None, :])
    surv = np.where(edges[None, None, :] <= 0, 1.0, surv)
    surv = np.where((M > 0)[:, :, None], surv, 1.0)
    at_least = np.prod(surv, axis=1)
    upper = np.concatenate([at_least[:, 1:], np.zeros((len(at_least), 1))], axis=1)
    return np.clip(at_least - upper, 0.0, 1.0)


def _log_posterior(theta, mean, prec, Y, M, ell, A):
    """Log prior + binomial log likelihood (+ copula term) up to a constant; theta (U, S, K)."""
    dev = theta - mean
    out = -0.5 * np.sum((dev @ prec) * dev, axis=2)
    softplus = np.log1p(np.exp(-np.abs(theta))) + np.maximum(theta, 0)  # log(1 + e^θ)
    out += (theta @ Y[:, :, None])[..., 0] - (softplus @ M[:, :, None])[..., 0]
    if A is not None:
        d = ell[:, None] - theta
        out -= 0.5 * np.sum((d @ A) * d, axis=2)
    return out


def _posterior_mode(start, mean, prec, Y, M, ell, A, max_iter: int = 50):
    """Newton's method with step halving for the posterior mode; returns (mode, −Hessian)."""
    theta = start.copy()
    eye = np.eye(mean.size)
    for _ in range(max_iter):
        p = special.expit(theta)
        grad = -(theta - mean) @ prec + Y - M * p
        neg_hess = prec[None] + eye * (M * p * (1 - p))[:, :, None]
        if A is not None:
            grad += np.einsum("ujk,uk->uj", A, ell - theta)
            neg_hess = neg_hess + A
        step = np.linalg.solve(neg_hess, grad[..., None])[..., 0]
        current = _log_posterior(theta[:, None], mean, prec, Y, M, ell, A)[:, 0]
        t = np.ones(len(theta))
        for _ in range(30):
            cand = theta + t[:, None] * step
            ok = _log_posterior(cand[:, None], mean, prec, Y, M, ell, A)[:, 0] >= current - 1e-12
            if ok.all():
                break
            t = np.where(ok, t, t / 2)
        theta = np.where(ok[:, None], cand, theta)
        if np.max(np.abs(t[:, None] * step)) < 1e-8:
            break
    p = special.expit(theta)
    neg_hess = prec[None] + eye * (M * p * (1 - p))[:, :, None]
    return theta, neg_hess + (A if A is not None else 0.0)


def posterior_draws(mean, cov, Y, M, ell, obs, V, z, inflate: float = 1.2, chunk: int = 128):
    """Weighted draws from each unit's posterior under prior N(mean, cov) and binomial answers.

    Importance sampling of the exact posterior from its Laplace approximation: the posterior
    mode (Newton's method with step halving, started from the normal-normal posterior mean)
    and the inverse of the negative Hessian there, inflated by ``inflate``; draws
    ``θ = mode + inflate · chol(P) z`` are weighted by prior × likelihood / proposal. Where ``V``
    has off-diagonal terms (answers on the same cases), the likelihood keeps the exact binomial
    margins and adds their dependence as a Gaussian copula on the empirical logits (where that
    makes the Hessian indefinite, the normal-normal posterior covariance is used instead).
    ``z`` are standard normal draws (S, K).

    Yields
    ------
    (rows, theta, weight) : slice, (u, S, K) draws and (u, S) normalised weights, per chunk of
    at most ``chunk`` units.
    """
    K = mean.size
    prec = np.linalg.inv(cov)
    prec = (prec + prec.T) / 2
    idx = np.arange(K)
    off_diagonal = idx[:, None] != idx[None, :]
    half_z2 = 0.5 * np.sum(z**2, axis=1)[None]
    for lo in range(0, Y.shape[0], chunk):
        sl = slice(lo, lo + chunk)
        Yc, Mc, ellc, Vc = Y[sl], M[sl], ell[sl], V[sl]
        A = None
        if np.any(Vc[:, off_diagonal]):
            A = np.linalg.inv(Vc)
            A[:, idx, idx] -= 1 / Vc[:, idx, idx]
        resid = np.where(obs[sl], ellc - mean, 0.0)
        gain = cov[None] @ np.linalg.inv(cov[None] + Vc)
        start = mean + np.einsum("ujk,uk->uj", gain, resid)
        mode, neg_hess = _posterior_mode(start, mean, prec, Yc, Mc, ellc, A)
        P = np.linalg.inv(neg_hess)
        P = (P + np.swapaxes(P, 1, 2)) / 2
        bad = np.linalg.eigvalsh(P)[:, 0] <= 0
        if bad.any():
            P_normal = cov[None] - gain @ cov[None]
            P[bad] = (P_normal[bad] + np.swapaxes(P_normal[bad], 1, 2)) / 2
        L = inflate * np.linalg.cholesky(P + 1e-10 * np.eye(K))
        theta = mode[:, None, :] + z @ np.swapaxes(L, 1, 2)
        log_w = np.log(np.diagonal(L, axis1=1, axis2=2)).sum(1)[:, None] + half_z2
        log_w += _log_posterior(theta, mean, prec, Yc, Mc, ellc, A)
        log_w -= log_w.max(axis=1, keepdims=True)
        weight = np.exp(log_w)
        weight /= weight.sum(axis=1, keepdims=True)
        yield sl, theta, weight


def posterior_band_probabilities(
    mean, cov, Y, M, ell, obs, V, cuts, z, inflate: float = 1.2, chunk: int = 128
):
    """P(band of the lowest θ) per unit under prior N(mean, cov) and binomial answers.

    Draws and weights from :func:`posterior_draws`; key questions with no applicable case are
    left out of the minimum. ``cuts`` are the logits of the band edges above 0; ``z`` standard
    normal draws (S, K).

    Returns
    -------
    numpy.ndarray of shape (U, len(cuts) + 1), worst band first
    """
    out = np.empty((Y.shape[0], cuts.size + 1))
    nb = cuts.size + 1
    for sl, theta, weight in posterior_draws(mean, cov, Y, M, ell, obs, V, z, inflate, chunk):
        o = obs[sl][:, None, :]
        band = np.searchsorted(cuts, np.min(np.where(o, theta, np.inf), axis=2), side="right")
        cell = (np.arange(len(band))[:, None] * nb + band).ravel()
        out[sl] = np.bincount(cell, weights=weight.ravel(), minlength=len(band) * nb).reshape(
            -1, nb
        )
    return out
