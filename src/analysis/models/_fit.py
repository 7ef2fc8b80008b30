"""One logistic fit per design, four ways of handling clustering by PDU (internal)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from .mixed import fit_random_intercept, logistic_start

MODEL_LABELS = {
    "robust": "logit_cluster_robust",
    "gee": "gee_exchangeable",
    "mixed": "mixed_random_intercept",
    "none": "logit",
}
CLUSTER_CHOICES = tuple(MODEL_LABELS)


@dataclass
class Fit:
    params: np.ndarray
    cov: np.ndarray
    converged: bool
    notes: list[str] = field(default_factory=list)
    conditional: bool = False  # effects conditional on the PDU (mixed) vs population-averaged


def _messages(caught) -> list[str]:
    out = []
    for w in caught:
        msg = str(w.message).strip().splitlines()[0]
        if msg and msg not in out:
            out.append(msg[:160])
    return out


def fit(y: np.ndarray, X: np.ndarray, groups: np.ndarray, cluster: str) -> Fit:
    """Fit the logistic model of ``y`` on ``X`` with the requested clustering."""
    import statsmodels.api as sm

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if cluster in ("robust", "none"):
            kw = (
                {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
                if cluster == "robust"
                else {}
            )
            res = sm.Logit(y, X, check_rank=False).fit(method="newton", maxiter=100, disp=0, **kw)
            result = Fit(
                np.asarray(res.params),
                np.asarray(res.cov_params()),
                bool(res.mle_retvals["converged"]),
            )
        elif cluster == "gee":
            model = sm.GEE(
                y,
                X,
                groups=groups,
                family=sm.families.Binomial(),
                cov_struct=sm.cov_struct.Exchangeable(),
            )
            res = model.fit(maxiter=100, start_params=logistic_start(y, X))
            conv = bool(getattr(res, "converged", True))
            result = Fit(np.asarray(res.params), np.asarray(res.cov_params()), conv)
            result.notes.append(f"exchangeable correlation {model.cov_struct.dep_params:.3f}")
        elif cluster == "mixed":
            res = fit_random_intercept(y, X, groups)
            result = Fit(res.params, res.cov, res.converged, conditional=True)
            result.notes.append(
                f"PDU random-intercept SD {res.sigma:.3f}"
                + (" (at the lower bound: no detectable PDU variation)" if res.at_boundary else "")
            )
        else:  # pragma: no cover - checked by the caller
            raise ValueError(cluster)
    result.notes.extend(
        m for m in _messages(caught) if "converge" in m.lower() or "separation" in m.lower()
    )
    if any("converge" in m.lower() for m in _messages(caught)):
        result.converged = False
    return result


def average_marginal_effect(
    fit: Fit, X: np.ndarray, j: int, kind: str, siblings=()
) -> tuple[float, float]:
    """Average marginal effect of column ``j`` on P(y=1) (proportion scale) with its delta-method SE.

    ``continuous``: mean of the derivative ``beta_j p (1 - p)``; ``indicator``: mean of
    ``P(x_j = 1) - P(x_j = 0)`` with the sibling indicators of the same factor set to 0.
    For the mixed model the effect is conditional on a PDU at the average (random effect 0).
    """
    beta = fit.params
    if kind == "continuous":
        p = expit(X @ beta)
        w = p * (1 - p)
        ame = float(beta[j] * w.mean())
        grad = beta[j] * (X.T @ (w * (1 - 2 * p))) / len(p)
        grad[j] += w.mean()
    else:
        X0 = X.copy()
        for s in siblings:
            X0[:, s] = 0.0
        X0[:, j] = 0.0
        X1 = X0.copy()
        X1[:, j] = 1.0
        p0 = expit(X0 @ beta)
        p1 = expit(X1 @ beta)
        ame = float(np.mean(p1 - p0))
        grad = (X1.T @ (p1 * (1 - p1)) - X0.T @ (p0 * (1 - p0))) / len(p0)
    var = float(grad @ fit.cov @ grad)
    return ame, float(np.sqrt(var)) if var >= 0 else np.nan
