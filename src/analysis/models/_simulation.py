"""What the simulation studies of the association models share (internal).

The rule for a study's number of replications, the performance measures of one method in one
setting (bias, empirical and model standard errors, coverage, with Monte Carlo standard errors),
and the true values of a synthetic population
whose outcome has a Normal PDU effect: the marginal outcome probability, the intercept that
gives a chosen prevalence, and the logistic fit of marginal probabilities (the
population-averaged value that the cluster-robust and GEE models converge to).

>>> round(float(marginal_probability(np.array([0.0]), 0.8)[0]), 6)
0.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import expit

from ..exceptions import ParameterError

__all__ = [
    "check_replications",
    "PERFORMANCE_COLUMNS",
    "performance",
    "marginal_probability",
    "intercept_for",
    "fit_to_probabilities",
]

PERFORMANCE_COLUMNS = (
    "true_value",
    "mean_estimate",
    "bias",
    "bias_mcse",
    "empirical_se",
    "mean_model_se",
    "se_ratio",
    "coverage",
    "coverage_mcse",
    "replications",
    "n_failed",
)
"""The measures :func:`performance` gives, in the order every study table shows them."""


def check_replications(replications) -> None:
    """Refuse a number of replications that is not a whole number of at least 2."""
    if not isinstance(replications, int | np.integer) or replications < 2:
        raise ParameterError(
            f"replications must be a whole number of at least 2, got {replications!r}."
        )


def performance(replicates: pd.DataFrame, *, require: tuple[str, ...] = ("estimate",)) -> dict:
    """The performance measures of one method in one setting, from its replicate rows.

    ``replicates`` has ``estimate``, ``std_error``, ``covered`` (1 when the interval held the
    truth) and ``true_value``; rows missing any column of ``require`` count as failed fits. The
    Monte Carlo standard errors are those of Morris, White and Crowther (2019): bias
    ``empirical SE / sqrt(R)``, coverage ``sqrt(c (1 - c) / R)``.

    >>> rep = pd.DataFrame({"estimate": [1.0, 3.0, np.nan], "std_error": [1.0, 1.0, np.nan],
    ...                     "covered": [1.0, 0.0, np.nan], "true_value": 1.5})
    >>> m = performance(rep)
    >>> m["bias"], m["coverage"], m["replications"], m["n_failed"]
    (0.5, 0.5, 2, 1)
    """
    ok = replicates.dropna(subset=list(require))
    r = len(ok)
    truth = float(replicates["true_value"].iloc[0])
    empirical = float(ok["estimate"].std(ddof=1)) if r > 1 else np.nan
    model_se = float(ok["std_error"].mean()) if r else np.nan
    cover = float(ok["covered"].mean()) if r else np.nan
    return {
        "true_value": truth,
        "mean_estimate": float(ok["estimate"].mean()) if r else np.nan,
        "bias": float(ok["estimate"].mean() - truth) if r else np.nan,
        "bias_mcse": empirical / np.sqrt(r) if r > 1 else np.nan,
        "empirical_se": empirical,
        "mean_model_se": model_se,
        "se_ratio": model_se / empirical if r > 1 else np.nan,
        "coverage": cover,
        "coverage_mcse": float(np.sqrt(cover * (1 - cover) / r)) if r else np.nan,
        "replications": r,
        "n_failed": len(replicates) - r,
    }


def marginal_probability(eta: np.ndarray, pdu_sd: float) -> np.ndarray:
    """P(y = 1) averaged over a Normal(0, pdu_sd²) PDU effect (40-node Gauss-Hermite)."""
    z, w = np.polynomial.hermite.hermgauss(40)
    return expit(eta[:, None] + np.sqrt(2.0) * pdu_sd * z[None, :]) @ w / np.sqrt(np.pi)


def intercept_for(linear: np.ndarray, pdu_sd: float, prevalence: float) -> float:
    """The intercept ``b0`` at which ``b0 + linear`` gives a mean marginal probability of ``prevalence``."""
    return float(
        optimize.brentq(
            lambda b0: marginal_probability(b0 + linear, pdu_sd).mean() - prevalence, -15, 15
        )
    )


def fit_to_probabilities(X: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Coefficients of the logistic regression of known probabilities ``target`` on ``X``.

    Fitted by Newton's method (the score equations of a fractional-response logit), stopping
    when no coefficient moves by more than 1e-12, or after 50 steps.
    """
    beta = np.zeros(X.shape[1])
    for _ in range(50):
        p = expit(X @ beta)
        step = np.linalg.solve(X.T @ (X * (p * (1 - p))[:, None]), X.T @ (target - p))
        beta += step
        if np.max(np.abs(step)) < 1e-12:
            break
    return beta
