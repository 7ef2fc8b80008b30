"""Case-level logistic models of outcomes on practice quality, adjusted for case mix.

One call, :func:`associations`, answers "how does practice quality relate to this outcome?" at
any resolution (case quality score, quality band, standard, area, each key question), with
clustering by PDU handled by cluster-robust standard errors (default), GEE with exchangeable
correlation, or a random-intercept mixed model (see ``docs/methods.md``).

Result columns, in this order (:data:`RESULT_COLUMNS`):

``term, odds_ratio, ci_low, ci_high, p_value, p_adjusted, n, n_clusters, model``, then
``outcome, exposure, estimate, std_error, ame_pp, ame_ci_low, ame_ci_high, p_holm, p_bh,
adjustment, events, events_per_variable, converged, warning, source``.

``estimate`` and ``std_error`` are on the log-odds scale; ``ame_pp`` is the average marginal
effect in percentage points (per 10 points of a score, or Yes vs No for a key question, or the
band vs ``inadequate``). ``p_adjusted`` applies ``adjust`` (Holm by default) across the exposure
terms of one outcome; ``p_holm`` and ``p_bh`` (Benjamini-Hochberg) are both always given.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..data.provenance import data_source, dataset_kind, dataset_name, mark_dataset
from ..exceptions import ParameterError
from . import _design as _d
from ._fit import CLUSTER_CHOICES, METHODS, MODEL_LABELS, average_marginal_effect, fit
from .diagnostics import design_diagnostics, failure_reason, fit_diagnostics
from .small_sample import cluster_count_note, design_for_clusters, p_value, t_critical

__all__ = [
    "ESTIMATE_COLUMNS",
    "RESULT_COLUMNS",
    "CASE_MIX",
    "associations",
    "adjust_pvalues",
    "data_source",
]

CASE_MIX = _d.CASE_MIX
ESTIMATE_COLUMNS: tuple[str, ...] = (
    "term",
    "odds_ratio",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "n",
    "n_clusters",
    "model",
)
"""The columns every association table starts with: the term, its odds ratio and interval, the
p-values, the numbers of cases and clusters, and the model."""

RESULT_COLUMNS: tuple[str, ...] = (
    *ESTIMATE_COLUMNS,
    "outcome",
    "exposure",
    "estimate",
    "std_error",
    "ame_pp",
    "ame_ci_low",
    "ame_ci_high",
    "p_holm",
    "p_bh",
    "adjustment",
    "events",
    "events_per_variable",
    "converged",
    "warning",
    "source",
)
"""Fixed column order of every case-level result table."""

_ADJUST = {"holm": "holm", "bh": "fdr_bh", "fdr_bh": "fdr_bh", "none": None}


def _holm(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p, kind="mergesort")
    m = len(p)
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def _bh(p: np.ndarray) -> np.ndarray:
    order = np.argsort(p, kind="mergesort")[::-1]
    m = len(p)
    stepped = np.minimum.accumulate(m / np.arange(m, 0, -1) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def adjust_pvalues(p_values, *, method: str = "holm") -> np.ndarray:
    """Multiplicity-adjusted p-values: Holm (family-wise) or Benjamini-Hochberg (false discovery rate).

    Equal to ``statsmodels.stats.multitest.multipletests(p, method="holm" | "fdr_bh")[1]``
    (checked in the tests), computed directly because statsmodels' Holm branch runs a full
    garbage collection on every call, which dominates the cost of a batch of small models.
    NaN p-values (models that could not be fitted) are left out of the family and stay NaN.

    >>> adjust_pvalues([0.01, 0.04, float("nan"), 0.03], method="holm").round(3).tolist()
    [0.03, 0.06, nan, 0.06]

    Raises
    ------
    ParameterError
        If ``method`` is not ``holm``, ``bh`` (or ``fdr_bh``) or ``none``.
    """
    if method not in _ADJUST:
        raise ParameterError(f"adjust={method!r} is not known; use 'holm', 'bh' or 'none'.")
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    if _ADJUST[method] is None:
        out[ok] = p[ok]
    elif ok.any():
        out[ok] = (_holm if method == "holm" else _bh)(p[ok])
    return out


def _row(design, fitted, j, *, alpha, is_exposure):
    df = fitted.df_of(j)
    z = t_critical(alpha, df)
    beta, se = float(fitted.params[j]), float(np.sqrt(max(fitted.cov[j, j], 0.0)))
    usable = np.isfinite(se) and se > 0
    row = {
        "term": design.names[j],
        "odds_ratio": float(np.exp(np.clip(beta, -700, 700))),
        "ci_low": np.exp(beta - z * se) if usable else np.nan,
        "ci_high": np.exp(beta + z * se) if usable else np.nan,
        "p_value": p_value(beta, se, df) if usable else np.nan,
        "estimate": beta,
        "std_error": se if usable else np.nan,
    }
    if is_exposure:
        siblings = [design.names.index(s) for s in design.siblings if s != design.names[j]]
        ame, ame_se = average_marginal_effect(fitted, design.X, j, design.exposure_kind, siblings)
        ame_se = ame_se if usable else np.nan
        row.update(
            ame_pp=100 * ame,
            ame_ci_low=100 * (ame - z * ame_se),
            ame_ci_high=100 * (ame + z * ame_se),
        )
    return row


class _NotConverged(Exception):
    pass


def _nan_rows(names, reason):
    return [{"term": t, "warning": reason} for t in names]


def _one_model(
    cases,
    y,
    exposure,
    *,
    covariates,
    cluster,
    cluster_by,
    alpha,
    include_covariates,
    outcome,
    within_pdu=False,
):
    def build(adjust_for):
        return _d.build_design(
            cases, y, exposure, covariates=adjust_for, cluster_by=cluster_by, within_pdu=within_pdu
        )

    design, use_mixed, fallback = design_for_clusters(
        build, list(covariates), needs_clusters=METHODS[cluster].needs_clusters
    )
    cluster = "mixed" if use_mixed else cluster
    diag = design_diagnostics(design.y, design.X, design.names, focus=design.exposure_terms)
    base = {
        "n": len(design.y),
        "n_clusters": design.n_groups,
        "model": MODEL_LABELS[cluster],
        "outcome": outcome,
        "events": diag["events"],
        "events_per_variable": diag["events_per_variable"],
    }
    terms = design.names if include_covariates else design.exposure_terms
    notes = [fallback] if fallback else []
    notes += list(design.notes) + list(diag["notes"])
    if diag["fatal"]:
        rows = _nan_rows(terms, "; ".join([diag["fatal"], *notes]))
        return [
            {**base, "converged": False, "is_exposure": r["term"] in design.exposure_terms, **r}
            for r in rows
        ]
    try:
        fitted = fit(design.y, design.X, design.groups, cluster)
        notes += fit_diagnostics(
            fitted.params, design.names, converged=fitted.converged, cov=fitted.cov
        )
        notes += fitted.notes
        how = fitted.how
        if np.ndim(fitted.df) == 1:  # per-coefficient degrees of freedom: give the exposure's
            first = design.exposure_terms[0]
            how += f" ({fitted.df_of(design.names.index(first)):.1f} df for {first})"
        few = cluster_count_note(design.n_groups, design.X.shape[1], how)
        notes = [few, *notes] if few else notes
        if not fitted.converged:  # estimates of a model that did not converge are not reported
            raise _NotConverged("; ".join(notes))
        rows = []
        for term in terms:
            is_exposure = term in design.exposure_terms
            row = _row(
                design, fitted, design.names.index(term), alpha=alpha, is_exposure=is_exposure
            )
            rows.append(
                {
                    **base,
                    "converged": True,
                    "warning": "; ".join(notes),
                    "is_exposure": is_exposure,
                    **row,
                }
            )
    except Exception as exc:  # a failed fit becomes a NaN row, never a crash mid-batch
        reason = (
            str(exc) if isinstance(exc, _NotConverged) else "; ".join([failure_reason(exc), *notes])
        )
        rows = [
            {**base, "converged": False, "is_exposure": r["term"] in design.exposure_terms, **r}
            for r in _nan_rows(terms, reason)
        ]
    for term in design.empty_terms:  # e.g. a quality band with no cases in this sample
        reason = f"no cases with {term} among the {len(design.y)} analysed"
        rows.append(
            {**base, "converged": False, "is_exposure": True, "term": term, "warning": reason}
        )
    return rows


def associations(
    cases: pd.DataFrame,
    *,
    outcome: str | Sequence[str] = "new_offence",
    exposure: str = "quality_score",
    cluster: str = "robust",
    covariates: Sequence[str] | None = CASE_MIX,
    cluster_by: str = "pdu",
    framework: str = "pdu-2023",
    per: float = 10,
    adjust: str = "holm",
    alpha: float = 0.05,
    include_covariates: bool = False,
    within_pdu: bool = False,
) -> pd.DataFrame:
    """Logistic models of outcome(s) on practice quality, adjusted for case mix, clustered by PDU.

    Parameters
    ----------
    cases : DataFrame
        Case-level records (the data contract: one row per inspected case).
    outcome : str or sequence of str
        Binary outcome column(s), e.g. ``"new_offence"``; missing values (not applicable, not
        linked) are left out of that outcome's models.
    exposure : str
        ``"quality_score"`` (share of applicable key questions answered Yes, per ``per``
        percentage points; term ``quality_score_per_10pts``), ``"quality_band"`` (``adequate``
        and ``high`` vs ``inadequate``: cut-offs 0.5 and 0.8), ``"standard"`` (one model per
        standard's share), ``"area"`` (one model per area's share), ``"key_question"`` (twelve
        models, Yes vs No; not applicable left out), or a single key-question column.
    cluster : {"robust", "gee", "mixed", "none", "robust_cr2", "robust_cr1", "gee_sandwich"}
        ``robust``: logistic regression with the CR3 (jackknife) cluster-robust covariance by
        ``cluster_by`` and t intervals with G - 1 degrees of freedom for G PDUs; ``gee``: GEE,
        exchangeable working correlation, Mancl-DeRouen bias-reduced covariance, t with G - 1
        degrees of freedom; ``mixed``: random-intercept logistic model, maximum likelihood by
        adaptive Gauss-Hermite quadrature (effects conditional on the PDU); ``none``: ordinary
        logistic regression (for reference only: ignores clustering). ``robust_cr2`` (CR2 with
        Bell-McCaffrey degrees of freedom), ``robust_cr1`` and ``gee_sandwich`` (uncorrected
        sandwich, normal intervals) are for comparison only: they undercover with few PDUs
        (``docs/methods.md``, "Few PDUs"). With fewer than 30 PDUs the ``warning`` says so;
        with no more PDUs than parameters the sandwich methods drop covariates from the end of
        ``covariates`` (or fall back to ``mixed``) and say so.
    covariates : sequence of str, optional
        Case-mix adjustment, treatment coded with the first level as reference; default RoSH,
        sentence type, gender, age band. ``None`` or ``()`` for an unadjusted model.
    cluster_by : str
        Column that identifies clusters (default ``pdu``).
    framework : str
        Framework whose key questions define the scores.
    per : float
        Scale of continuous scores: the odds ratio is per ``per`` percentage points.
    adjust : {"holm", "bh", "none"}
        Method for ``p_adjusted`` across the exposure terms of each outcome.
    alpha : float
        1 - confidence level of the intervals.
    include_covariates : bool
        Also return rows for the intercept and covariates (their ``p_adjusted`` is NaN).
    within_pdu : bool
        The association **within a PDU**: each PDU's mean of the exposure (over the cases
        analysed) is added as a covariate, so nothing that differs between PDUs confounds the
        exposure's coefficient (``robust``, ``gee``: population-averaged; ``mixed``:
        conditional). The between-PDU association is it plus the ``<term>[pdu_mean]``
        coefficient (``docs/methods.md``, "Within a PDU").

    Returns
    -------
    DataFrame
        Columns :data:`RESULT_COLUMNS`; one row per outcome and exposure term. A model that
        cannot be fitted gives a row of NaN estimates whose ``warning`` says why.

    Raises
    ------
    InputDataError
        If an outcome, covariate or cluster column is missing or constant, or an outcome is
        not binary.
    ParameterError
        If ``exposure``, ``cluster`` or ``adjust`` is not one of the documented choices.

    Examples
    --------
    >>> from analysis.synthetic.generate import simulate
    >>> cases = simulate(seed=3, cases_per_pdu=10).cases
    >>> table = associations(cases, outcome="new_offence", exposure="quality_score")
    >>> table[["term", "n", "n_clusters", "model"]]
                          term     n  n_clusters                 model
    0  quality_score_per_10pts  1080         108  logit_cluster_robust
    """
    if cluster not in CLUSTER_CHOICES:
        raise ParameterError(
            f"cluster={cluster!r} is not known; use one of {', '.join(CLUSTER_CHOICES)}."
        )
    if adjust not in _ADJUST:
        raise ParameterError(f"adjust={adjust!r} is not known; use 'holm', 'bh' or 'none'.")
    outcomes = _d.as_list(outcome)
    covariates = _d.as_list(covariates)
    _d.check_columns(cases, outcomes, "outcome", allow_constant=True)
    _d.check_columns(cases, covariates, "covariate", allow_constant=True)
    _d.check_columns(cases, [cluster_by], "cluster", allow_constant=True)
    specs = _d.exposures(cases, exposure, framework=framework, per=per)
    source = data_source(cases)
    # What the data cannot support is said in the rows, never a failed report: a covariate
    # with one value carries no information and is left out; with one PDU nothing can be
    # clustered; an outcome with one value cannot be modelled at all.
    dropped = _d.constant_columns(cases, covariates)
    covariates = [c for c in covariates if c not in dropped]
    data_notes = [
        f"{', '.join(map(_d.term_words, dropped))} left out of the adjustment (one value only)"
    ] * bool(dropped)
    if _d.constant_columns(cases, [cluster_by]):
        cluster = "none"
        data_notes.append(f"one {cluster_by} only: no clustering is possible (plain logit)")
    frames = []
    for name in outcomes:
        if _d.constant_columns(cases, [name]):
            value = cases[name].dropna().unique().tolist()[:1]
            reason = f"outcome {name!r} has one value only ({value[0] if value else 'none'}): it cannot be modelled"
            rows = [
                {
                    "term": spec.label,
                    "outcome": name,
                    "warning": reason,
                    "converged": False,
                    "is_exposure": True,
                    "n": int(cases[name].notna().sum()),
                }
                for spec in specs
            ]
            frame = pd.DataFrame(rows).reindex(columns=[*RESULT_COLUMNS, "is_exposure"])
            frames.append(frame.assign(exposure=exposure))
            continue
        y = _d.outcome_vector(cases, name)
        rows = []
        for spec in specs:
            rows += _one_model(
                cases,
                y,
                spec,
                covariates=covariates,
                cluster=cluster,
                cluster_by=cluster_by,
                alpha=alpha,
                include_covariates=include_covariates,
                outcome=name,
                within_pdu=within_pdu,
            )
        frame = pd.DataFrame(rows).reindex(columns=[*RESULT_COLUMNS, "is_exposure"])
        frame["exposure"] = exposure
        is_exp = frame["is_exposure"].astype(bool).to_numpy()
        for col, method in (("p_holm", "holm"), ("p_bh", "bh"), ("p_adjusted", adjust)):
            frame[col] = np.nan
            frame.loc[is_exp, col] = adjust_pvalues(frame.loc[is_exp, "p_value"], method=method)
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True).reindex(columns=list(RESULT_COLUMNS))
    if data_notes:
        notes = "; ".join(data_notes)
        table["warning"] = [
            f"{notes}; {w}" if isinstance(w, str) and w else notes for w in table["warning"]
        ]
    table["adjustment"] = {"bh": "fdr_bh"}.get(adjust, adjust)
    table["source"] = source
    table["warning"] = table["warning"].fillna("")
    table["converged"] = table["converged"].astype(bool)
    for col in ("n", "n_clusters"):
        table[col] = table[col].astype("Int64")
    if dataset_kind(cases) is not None:  # the cases' dataset and kind travel with the result
        return mark_dataset(table, dataset_name(cases), dataset_kind(cases), case_level=False)
    if source == "synthetic":
        table.attrs["synthetic"] = True
    return table
