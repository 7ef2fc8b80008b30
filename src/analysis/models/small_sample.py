"""Small-sample inference for models clustered by PDU: CR2 covariance and t critical values.

A region has 5 to 18 PDUs. With so few clusters the ordinary cluster-robust (sandwich)
covariance is biased downwards and normal critical values are too small, so nominal 95%
intervals cover far less than 95%. Two corrections, used together, bring coverage back to
nominal in the simulation study (``docs/methods.md``, "Few PDUs"):

* :func:`cr2_covariance`: the bias-reduced linearisation (Bell and McCaffrey 2002; "CR2"),
  applied to the logistic model in its iteratively reweighted least-squares form. Each
  cluster's working residuals are multiplied by ``(I - H_gg)^(-1/2)``, where ``H_gg`` is that
  cluster's block of the weighted hat matrix, before they enter the sandwich;
* :func:`t_critical`: Student t critical values with ``G - 1`` degrees of freedom for ``G``
  clusters, in place of normal ones.

:func:`cluster_count_note` writes the plain-English warning that travels with the results.

>>> round(t_critical(0.05, 5), 4), round(t_critical(0.05, None), 4)
(2.5706, 1.96)
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from scipy import stats
from scipy.special import expit

from ._design import term_words

__all__ = [
    "CR2",
    "FEW_CLUSTERS",
    "cr2_covariance",
    "t_critical",
    "p_value",
    "cluster_count_note",
    "design_for_clusters",
    "few_pdu_sentence",
]

FEW_CLUSTERS = 30
"""Below this many PDUs the few-PDU warning is given (a common rule of thumb)."""

_LEVERAGE_CAP = 1.0 - 1e-10


def t_critical(alpha: float, df: float | None) -> float:
    """Two-sided critical value: Student t with ``df`` degrees of freedom, normal if ``df`` is None.

    Parameters
    ----------
    alpha : float
        1 - confidence level.
    df : float or None
        Degrees of freedom (``G - 1`` for ``G`` clusters); ``None`` or infinite for normal.

    Returns
    -------
    float
        ``scipy.stats.t.ppf(1 - alpha / 2, df)`` (or ``norm.ppf``).
    """
    if df is None or not np.isfinite(df):
        return float(stats.norm.ppf(1 - alpha / 2))
    return float(stats.t.ppf(1 - alpha / 2, df))


def p_value(estimate: float, std_error: float, df: float | None) -> float:
    """Two-sided p-value of ``estimate / std_error`` against t(``df``) (normal if ``df`` is None)."""
    stat = abs(estimate) / std_error
    if df is None or not np.isfinite(df):
        return float(2 * stats.norm.sf(stat))
    return float(2 * stats.t.sf(stat, df))


def _segments(groups: np.ndarray) -> list[np.ndarray]:
    order = np.argsort(groups, kind="stable")
    bounds = np.flatnonzero(np.diff(groups[order])) + 1
    return np.split(order, bounds)


class CR2(NamedTuple):
    """Result of :func:`cr2_covariance`."""

    cov: np.ndarray
    """(k, k) CR2 covariance."""
    df: np.ndarray
    """(k,) Bell-McCaffrey (Satterthwaite) degrees of freedom of each coefficient."""
    capped: int
    """Clusters whose leverage reached 1 (adjustment capped); 0 in a usable design."""


def cr2_covariance(
    X: np.ndarray, y: np.ndarray, params: np.ndarray, groups: np.ndarray, *, power: float = 0.5
) -> CR2:
    """CR2 (Bell-McCaffrey) cluster-robust covariance of a logistic fit, with its degrees of freedom.

    With working weights ``w = p (1 - p)``, ``Xw = sqrt(w) X``, Pearson residuals
    ``e = (y - p) / sqrt(w)``, bread ``B = Xw'Xw`` and, for cluster ``g``,
    ``H_gg = Xw_g B^-1 Xw_g'``, the covariance is
    ``B^-1 [sum_g Xw_g' A_g e_g e_g' A_g Xw_g] B^-1`` with ``A_g = (I - H_gg)^(-1/2)``.
    ``A_g`` is applied through the eigenvectors of ``H_gg = Z Z'`` with ``Z = Xw_g L``
    (``L L' = B^-1``), found from the small ``k``-by-``k`` matrix ``Z'Z``, so the cost is linear
    in the cluster size.

    The degrees of freedom of coefficient ``j`` are Bell and McCaffrey's Satterthwaite
    approximation under working independence, ``(tr M)^2 / tr(M^2)``, where
    ``M = G'G`` and column ``g`` of ``G`` is ``(I - H)_(., g) A_g Xw_g B^-1 c`` for the unit
    vector ``c`` of coefficient ``j`` (Imbens and Kolesar 2016); ``M`` is computed as
    ``diag(|a_g|^2) - V'BV`` with ``a_g = A_g Xw_g B^-1 c`` and ``v_g = B^-1 Xw_g' a_g``,
    without forming the n-by-n hat matrix. They are at most ``G - 1`` and smaller when a few
    PDUs carry most of the information about the coefficient.

    Parameters
    ----------
    X : (n, k) array
        Design matrix including the intercept.
    y : (n,) array of 0/1
    params : (k,) array
        Maximum-likelihood estimate.
    groups : (n,) array of int
        Cluster codes.
    power : float
        ``A_g = (I - H_gg)^(-power)``: 0.5 is CR2; 1 is CR3, the linearised jackknife
        (Mancl and DeRouen's correction for GEE).

    Returns
    -------
    CR2
        ``cov``, ``df`` and ``capped``.
    """
    X, y = np.asarray(X, float), np.asarray(y, float)
    p = expit(X @ np.asarray(params, float))
    w = p * (1 - p)
    sw = np.sqrt(w)
    Xw = X * sw[:, None]
    e = (y - p) / sw
    bread = Xw.T @ Xw
    bread_inv = np.linalg.inv(bread)
    bread_inv = 0.5 * (bread_inv + bread_inv.T)
    try:
        L = np.linalg.cholesky(bread_inv)
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(bread_inv)
        L = vecs * np.sqrt(np.clip(vals, 0, None))
    k = X.shape[1]
    segments = _segments(np.asarray(groups))
    meat = np.zeros((k, k))
    norms = np.zeros((len(segments), k))  # |a_g|^2 for each coefficient
    V = np.zeros((len(segments), k, k))  # v_g for each coefficient (last axis)
    capped = 0
    for i, idx in enumerate(segments):
        Z = Xw[idx] @ L
        lev, V_z = np.linalg.eigh(Z.T @ Z)  # nonzero eigenvalues of H_gg = Z Z'
        keep = lev > 1e-12 * max(lev.max(initial=0.0), 1e-300)
        lev = lev[keep]
        U = (Z @ V_z[:, keep]) / np.sqrt(lev)  # eigenvectors of H_gg, thin
        if np.any(lev >= _LEVERAGE_CAP):
            capped += 1
            lev = np.minimum(lev, _LEVERAGE_CAP)
        factor = (1.0 - lev) ** -power - 1.0

        def adjust(vectors, U=U, factor=factor):
            return vectors + U @ (factor[:, None] * (U.T @ vectors))

        score = Xw[idx].T @ adjust(e[idx][:, None])[:, 0]
        meat += np.outer(score, score)
        a = adjust(Xw[idx] @ bread_inv)  # (n_g, k): a_g for every coefficient
        norms[i] = np.sum(a**2, axis=0)
        V[i] = bread_inv @ (Xw[idx].T @ a)
    df = np.empty(k)
    for j in range(k):
        Vj = V[:, :, j]  # (G, k)
        M = np.diag(norms[:, j]) - Vj @ bread @ Vj.T
        df[j] = np.trace(M) ** 2 / np.sum(M * M) if np.any(M) else np.nan
    return CR2(bread_inv @ meat @ bread_inv, df, capped)


def cluster_count_note(n_clusters: int, n_params: int, how: str) -> str:
    """The few-PDU warning for the ``warning`` column, or ``""`` with enough PDUs.

    Parameters
    ----------
    n_clusters : int
        PDUs in the model.
    n_params : int
        Parameters of the model actually fitted (intercept included).
    how : str
        What was done about it, e.g. ``"CR2 covariance, t with 5 df"``.

    >>> cluster_count_note(6, 5, "CR2 covariance, t with 5 df")
    'few PDUs (6 < 30): intervals use CR2 covariance, t with 5 df; treat them as approximate'
    """
    if n_clusters >= FEW_CLUSTERS:
        return ""
    return (
        f"few PDUs ({n_clusters} < {FEW_CLUSTERS}): intervals use {how}; treat them as approximate"
    )


def design_for_clusters(build, covariates, *, needs_clusters: bool):
    """The design to fit when a sandwich covariance needs more PDUs than parameters.

    A cluster-robust (sandwich) covariance sums one score per PDU, and those scores sum to
    zero at the estimate, so with ``G`` PDUs it has rank at most ``G - 1``: with no more PDUs
    than parameters it cannot be estimated. Covariates are then dropped from the end of the
    adjustment list (the default list puts RoSH first, age band last) until the model has fewer
    parameters than PDUs; if even the unadjusted model has too many, the random-intercept
    model is fitted instead.

    Parameters
    ----------
    build : callable
        ``build(covariates) -> Design`` (``n_groups`` and ``X`` are read).
    covariates : list of str
        The requested adjustment set.
    needs_clusters : bool
        Whether the requested method is a sandwich method.

    Returns
    -------
    design : Design
    use_mixed : bool
        True if the random-intercept model must be fitted instead.
    note : str
        What was done, for the ``warning`` column (``""`` if nothing).
    """
    design = build(covariates)
    if not needs_clusters or design.n_groups > design.X.shape[1]:
        return design, False, ""
    first = f"{design.n_groups} PDUs for {design.X.shape[1]} parameters"
    kept = list(covariates)
    while kept:
        kept.pop()
        design = build(kept)
        if design.n_groups > design.X.shape[1]:
            dropped = [term_words(c) for c in covariates if c not in kept]
            adjusted = (
                f"adjusted for {', '.join(term_words(c) for c in kept)} only"
                if kept
                else "unadjusted"
            )
            return (
                design,
                False,
                (
                    f"{first}: the cluster-robust covariance cannot be estimated with the full "
                    f"case mix, so the model is {adjusted} ({', '.join(dropped)} dropped)"
                ),
            )
    return (
        build(covariates),
        True,
        (
            f"{first}: the cluster-robust covariance cannot be estimated even without case mix, "
            "so the random-intercept model (conditional on the PDU) was fitted instead"
        ),
    )


def few_pdu_sentence(row) -> str:
    """A plain-English sentence on the few-PDU caution for a report, from one result row.

    Parameters
    ----------
    row : mapping
        A row of an :func:`analysis.models.associations` table (``n_clusters``, ``warning``).

    Returns
    -------
    str
        ``""`` with 30 or more PDUs or when the row has no interval (``ci_low`` or ``ci_high``
        missing: the fit failed and its row says why); otherwise a sentence naming the number of PDUs, the
        correction used, and any covariates dropped or change of model.

    >>> few_pdu_sentence({"n_clusters": 6, "warning": "few PDUs (6 < 30): intervals use the "
    ...     "CR3 (jackknife) covariance and t with 5 df; treat them as approximate; 6 PDUs for "
    ...     "10 parameters: the cluster-robust covariance cannot be estimated with the full case "
    ...     "mix, so the model is adjusted for risk of serious harm only (sentence type, gender, age "
    ...     "band dropped)"})
    'With only 6 PDUs the interval is approximate (it uses the CR3 (jackknife) covariance and t with 5 df); the model is adjusted for risk of serious harm only (sentence type, gender, age band dropped).'
    """
    import pandas as pd

    n = row["n_clusters"]
    warning = str(row["warning"])
    if pd.isna(n) or n >= FEW_CLUSTERS or not warning.startswith("few PDUs"):
        return ""
    interval = [row.get("ci_low", 0.0), row.get("ci_high", 0.0)] if hasattr(row, "get") else []
    if any(pd.isna(v) for v in interval):  # no interval was computed: nothing to qualify
        return ""
    parts = [p.strip() for p in warning.split(";")]
    how = parts[0].split("intervals use ", 1)[-1]
    text = f"With only {int(n)} PDUs the interval is approximate (it uses {how})"
    for part in parts[1:]:
        if "cannot be estimated" in part:
            text += "; " + part.split(", so ", 1)[-1]
    return text + "."
