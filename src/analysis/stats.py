"""Small, vectorised interval and probability calculations used across the workspace.

Each function is checked in ``tests/test_stats.py`` against an outside reference
(statsmodels, scipy, or a Monte Carlo simulation).

>>> low, high = wilson_interval(14, 20)
>>> round(float(low), 4), round(float(high), 4)
(0.481, 0.8545)
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

__all__ = [
    "z_value",
    "wilson_interval",
    "newcombe_difference",
    "jeffreys_survival",
    "band_probabilities_of_minimum",
]


def z_value(alpha: float = 0.05) -> float:
    """Two-sided standard normal quantile, 1.959964 for ``alpha=0.05``."""
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha!r}.")
    return NormalDist().inv_cdf(1 - alpha / 2)


def wilson_interval(n_yes, n, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for a binomial proportion, as proportions (0–1).

    Parameters
    ----------
    n_yes, n : array-like of int
        Successes and trials. Where ``n == 0`` both bounds are NaN.
    alpha : float
        1 - confidence level.

    Returns
    -------
    (low, high) : tuple of numpy arrays

    Raises
    ------
    ValueError
        If any ``n_yes`` is negative or exceeds ``n``.
    """
    y = np.asarray(n_yes, dtype=float)
    n = np.asarray(n, dtype=float)
    if np.any(y < 0) or np.any(y > n):
        raise ValueError("n_yes must lie between 0 and n.")
    z = z_value(alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = y / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        low = np.where(n > 0, np.clip(centre - half, 0, 1), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0, 1), np.nan)
    return low, high


def newcombe_difference(y1, n1, y2, n2, alpha: float = 0.05):
    """Difference of two independent proportions, ``p1 - p2``, with Newcombe's hybrid score interval.

    Newcombe (1998), Statistics in Medicine 17:873–890, method 10: combines the two Wilson
    intervals. Returns ``(difference, low, high)`` as proportions; NaN where a group is empty.

    >>> d, lo, hi = newcombe_difference(56, 70, 48, 80)
    >>> round(float(d), 4), round(float(lo), 4), round(float(hi), 4)  # Newcombe (1998) Table II: 0.0524, 0.3339
    (0.2, 0.0524, 0.3339)
    """
    y1, n1, y2, n2 = (np.asarray(a, dtype=float) for a in (y1, n1, y2, n2))
    l1, u1 = wilson_interval(y1, n1, alpha)
    l2, u2 = wilson_interval(y2, n2, alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = y1 / n1, y2 / n2
        diff = p1 - p2
        low = diff - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
        high = diff + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return diff, low, high


def jeffreys_survival(n_yes, n, threshold) -> np.ndarray:
    """P(θ ≥ threshold) under the Jeffreys posterior Beta(n_yes + ½, n − n_yes + ½).

    Vectorised over ``n_yes``/``n`` (shape ``(k,)``) and ``threshold`` (shape ``(m,)``):
    returns shape ``(k, m)``. Rows with ``n == 0`` are NaN.
    """
    from scipy.special import betainc

    y = np.asarray(n_yes, dtype=float)[:, None]
    n = np.asarray(n, dtype=float)[:, None]
    t = np.asarray(threshold, dtype=float)[None, :]
    a, b = y + 0.5, n - y + 0.5
    with np.errstate(invalid="ignore"):
        surv = 1.0 - betainc(a, b, np.clip(t, 0.0, 1.0))
    surv = np.where(t <= 0, 1.0, surv)
    surv = np.where(t > 1, 0.0, surv)
    return np.where(n > 0, surv, np.nan)


def band_probabilities_of_minimum(n_yes, n, group, edges) -> np.ndarray:
    """Probability that the minimum of each group's true proportions falls in each band.

    Each row is one key question (``n_yes`` of ``n``), with an independent Jeffreys posterior;
    ``group`` gives integer group codes 0..G-1 (one group = one standard of one unit); rows with
    ``n == 0`` are ignored. ``edges`` are the bands' lower bounds as proportions, worst band
    first, starting at 0 (``(0, .5, .65, .8)``). Because the minimum is at least ``c`` exactly
    when every proportion is, P(min ≥ c) = Π_k P(θ_k ≥ c).

    Returns an array of shape ``(G, len(edges))``, worst band first; rows of groups with no
    applicable key question are NaN.
    """
    group = np.asarray(group, dtype=np.int64)
    n_groups = int(group.max()) + 1 if group.size else 0
    edges = np.asarray(edges, dtype=float)
    surv = jeffreys_survival(n_yes, n, edges)  # (k, m)
    used = ~np.isnan(surv[:, 0])
    with np.errstate(divide="ignore"):
        log_surv = np.log(np.where(used[:, None], surv, 1.0))
    totals = np.zeros((n_groups, edges.size))
    np.add.at(totals, group, log_surv)
    counts = np.bincount(group[used], minlength=n_groups)
    at_least = np.exp(totals)  # P(min >= edge_j), shape (G, m)
    upper = np.concatenate([at_least[:, 1:], np.zeros((n_groups, 1))], axis=1)
    probs = np.clip(at_least - upper, 0.0, 1.0)
    probs[counts == 0] = np.nan
    return probs
