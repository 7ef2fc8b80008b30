"""One logistic fit per design; the ways of handling clustering by PDU, registered by name (internal).

``robust`` and ``gee`` carry the small-sample corrections chosen by the few-PDU simulation study
(CR3 or Mancl-DeRouen covariance, t with G - 1 degrees of freedom); ``robust_cr2`` (CR2 with
Bell-McCaffrey degrees of freedom) is the alternative that missed the coverage target with 6
PDUs; ``robust_cr1`` and ``gee_sandwich`` are the uncorrected versions, kept for comparison.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.special import expit

from .mixed import fit_random_intercept, logistic_start
from .small_sample import cr2_covariance


@dataclass
class Fit:
    params: np.ndarray
    cov: np.ndarray
    converged: bool
    notes: list[str] = field(default_factory=list)
    conditional: bool = False  # effects conditional on the PDU (mixed) vs population-averaged
    df: float | np.ndarray | None = None  # t degrees of freedom (per coefficient); None: normal
    how: str = ""  # how the intervals were made, for the few-PDU warning

    def df_of(self, j: int) -> float | None:
        """Degrees of freedom for coefficient ``j`` (None: normal critical values)."""
        if self.df is None or np.ndim(self.df) == 0:
            return self.df
        return float(self.df[j])


@dataclass(frozen=True)
class ClusterMethod:
    """One way of handling clustering by PDU: ``fit(y, X, groups) -> Fit``."""

    name: str
    label: str
    fit: Callable[[np.ndarray, np.ndarray, np.ndarray], Fit]
    conditional: bool
    needs_clusters: bool  # a sandwich covariance: needs more PDUs than parameters


METHODS: dict[str, ClusterMethod] = {}


def register(name: str, label: str, *, conditional: bool = False, needs_clusters: bool = False):
    """Register a fitting function under ``name`` (decorator)."""

    def decorate(function):
        METHODS[name] = ClusterMethod(name, label, function, conditional, needs_clusters)
        return function

    return decorate


def _logit(y, X):
    import statsmodels.api as sm

    return sm.Logit(y, X, check_rank=False).fit(method="newton", maxiter=100, disp=0)


@register("robust", "logit_cluster_robust", needs_clusters=True)
def _fit_robust(y, X, groups):
    res = _logit(y, X)
    params = np.asarray(res.params)
    cr3 = cr2_covariance(X, y, params, groups, power=1.0)
    n_groups = len(np.unique(groups))
    out = Fit(params, cr3.cov, bool(res.mle_retvals["converged"]), df=n_groups - 1.0)
    out.how = f"the CR3 (jackknife) covariance and t with {n_groups - 1} df"
    if cr3.capped:
        out.notes.append(f"CR3 adjustment capped in {cr3.capped} PDU(s) with leverage 1")
    return out


@register("robust_cr2", "logit_cluster_robust_cr2", needs_clusters=True)
def _fit_robust_cr2(y, X, groups):
    res = _logit(y, X)
    params = np.asarray(res.params)
    cr2 = cr2_covariance(X, y, params, groups)
    out = Fit(params, cr2.cov, bool(res.mle_retvals["converged"]), df=cr2.df)
    out.how = "the CR2 covariance and t with Bell-McCaffrey df"
    if cr2.capped:
        out.notes.append(f"CR2 adjustment capped in {cr2.capped} PDU(s) with leverage 1")
    return out


@register("robust_cr1", "logit_cluster_robust_cr1", needs_clusters=True)
def _fit_robust_cr1(y, X, groups):
    import statsmodels.api as sm

    res = sm.Logit(y, X, check_rank=False).fit(
        method="newton", maxiter=100, disp=0, cov_type="cluster", cov_kwds={"groups": groups}
    )
    out = Fit(
        np.asarray(res.params), np.asarray(res.cov_params()), bool(res.mle_retvals["converged"])
    )
    out.how = "the CR1 covariance and normal critical values"
    return out


def _gee_once(y, X, groups, cov_type, structure):
    import statsmodels.api as sm

    model = sm.GEE(y, X, groups=groups, family=sm.families.Binomial(), cov_struct=structure)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = model.fit(maxiter=100, start_params=logistic_start(y, X), cov_type=cov_type)
    converged = bool(getattr(res, "converged", True)) and not any(
        "converge" in m.lower() for m in _messages(caught)
    )
    params, cov = np.asarray(res.params), np.asarray(res.cov_params())
    converged = converged and bool(np.all(np.isfinite(params)) and np.all(np.isfinite(cov)))
    return model, params, cov, converged


def _gee(y, X, groups, cov_type):
    """GEE with exchangeable working correlation; when it does not converge, GEE with the
    independence working correlation (estimates equal to the ordinary logit, always defined
    when the logit is) and the same covariance, and the note says so."""
    import statsmodels.api as sm

    model, params, cov, converged = _gee_once(y, X, groups, cov_type, sm.cov_struct.Exchangeable())
    if converged:
        out = Fit(params, cov, True)
        out.notes.append(f"exchangeable correlation {model.cov_struct.dep_params:.3f}")
        return out
    _, params, cov, converged = _gee_once(y, X, groups, cov_type, sm.cov_struct.Independence())
    out = Fit(params, cov, converged)
    out.notes.append(
        "GEE with exchangeable correlation did not converge: fitted with the independence "
        "working correlation instead (the ordinary logit estimate)"
    )
    return out


@register("gee", "gee_exchangeable", needs_clusters=True)
def _fit_gee(y, X, groups):
    out = _gee(y, X, groups, "bias_reduced")
    n_groups = len(np.unique(groups))
    out.df = n_groups - 1.0
    out.how = f"the Mancl-DeRouen covariance and t with {n_groups - 1} df"
    return out


@register("gee_sandwich", "gee_exchangeable_sandwich", needs_clusters=True)
def _fit_gee_sandwich(y, X, groups):
    out = _gee(y, X, groups, "robust")
    out.how = "the sandwich covariance and normal critical values"
    return out


@register("mixed", "mixed_random_intercept", conditional=True)
def _fit_mixed(y, X, groups):
    res = fit_random_intercept(y, X, groups)
    out = Fit(res.params, res.cov, res.converged, conditional=True)
    out.how = "the observed information and normal critical values"
    out.notes.append(
        f"PDU random-intercept SD {res.sigma:.3f}"
        + (" (at the lower bound: no detectable PDU variation)" if res.at_boundary else "")
    )
    if not res.converged:
        out.notes.append(res.message)
    return out


@register("none", "logit")
def _fit_none(y, X, groups):
    res = _logit(y, X)
    out = Fit(
        np.asarray(res.params), np.asarray(res.cov_params()), bool(res.mle_retvals["converged"])
    )
    out.how = "model-based standard errors that ignore clustering"
    return out


MODEL_LABELS = {name: method.label for name, method in METHODS.items()}
CLUSTER_CHOICES = tuple(METHODS)


def _messages(caught) -> list[str]:
    out = []
    for w in caught:
        msg = str(w.message).strip().splitlines()[0]
        if msg and msg not in out:
            out.append(msg[:160])
    return out


def fit(y: np.ndarray, X: np.ndarray, groups: np.ndarray, cluster: str) -> Fit:
    """Fit the logistic model of ``y`` on ``X`` with the clustering registered as ``cluster``."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = METHODS[cluster].fit(y, X, groups)
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
