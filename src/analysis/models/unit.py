"""Unit-level models: outcome rates on key-question percentages, and ratings on context.

* :func:`unit_outcome_models`: for each key question (or the pooled quality %, a standard or
  an area), a binomial GLM of each unit's outcome rate on the unit's % Yes, weighted by the
  number of cases with a known outcome. Quasi-binomial by default (``scale="X2"``: the
  dispersion is estimated from Pearson's chi-squared), because units differ in more than
  their key-question percentages. The rate is the response with ``var_weights=n``: with a
  two-column (events, non-events) response statsmodels 0.15 leaves the trials out of Pearson's
  chi-squared, so ``scale="X2"`` would understate the standard errors about ``sqrt(n)``-fold.
* :func:`rating_context_models`: for each standard, an ordinal logistic model
  (statsmodels ``OrderedModel``) of the unit's rating (Inadequate < Requires improvement <
  Good < Outstanding) on context (vacancy rate, workload). An odds ratio above 1 means
  higher values of the context go with *better* ratings.

Both are ecological (associations between units, not cases). Column order as the case-level
tables: ``term, odds_ratio, ci_low, ci_high, p_value, p_adjusted, n, n_clusters, model``,
then ``outcome, exposure, estimate, std_error, warning, source``.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..data.provenance import data_source, mark
from ..exceptions import ParameterError
from ..frameworks.dtypes import RATING_DTYPE
from ..stats import z_value
from . import _design as _d
from .case import ESTIMATE_COLUMNS, adjust_pvalues
from .diagnostics import failure_reason

__all__ = [
    "UNIT_COLUMNS",
    "unit_key_question_table",
    "unit_outcome_models",
    "rating_context_models",
]

UNIT_COLUMNS = (
    *ESTIMATE_COLUMNS,
    "outcome",
    "exposure",
    "estimate",
    "std_error",
    "warning",
    "source",
)
"""Column order of the unit-level result tables."""

CONTEXT_SCALE = {
    "vacancy_rate": 0.1,
    "workload_pct": 10.0,
    "staff_in_post_pct": 10.0,
    "caseload": 100.0,
}
"""Units of context per odds ratio: 10 points of vacancy rate (0-1), workload %, staff in post %,
100 cases of caseload."""


def _kq_groups(exposure: str, framework: str) -> dict[str, list[str]]:
    fw = _fw.get(framework)
    if exposure == "key_question":
        return {k: [k] for k in fw.key_question_ids}
    if exposure == "quality_score":
        return {"quality_pct": list(fw.key_question_ids)}
    if exposure in ("standard", "area"):
        attr = "standard" if exposure == "standard" else "area"
        names = fw.case_based_standards if exposure == "standard" else _fw.AREAS
        return {
            f"{exposure}_{v}_pct": [k.id for k in fw.key_questions if getattr(k, attr) == v]
            for v in names
        }
    if exposure in fw.key_question_ids:
        return {exposure: [exposure]}
    raise ParameterError(
        f"exposure={exposure!r} is not known; use key_question, quality_score, standard, area or a key-question id."
    )


def unit_key_question_table(
    cases: pd.DataFrame,
    *,
    outcome: str,
    exposure: str = "key_question",
    by: str = "pdu",
    framework: str = "pdu-2023",
) -> pd.DataFrame:
    """One row per unit: ``events``, ``n`` (cases with a known outcome) and each exposure's % Yes.

    Raises
    ------
    InputDataError
        If the outcome or ``by`` column is missing (a constant one gives rows that say so).
    """
    _d.check_columns(cases, [outcome], "outcome", allow_constant=True)
    _d.check_columns(cases, [by], "unit", allow_constant=True)
    groups = _kq_groups(exposure, framework)
    y = _d.outcome_vector(cases, outcome)
    frame = pd.DataFrame(
        {by: cases[by].astype("object").to_numpy(), "events": np.nan_to_num(y), "n": ~np.isnan(y)}
    )
    for name, cols in groups.items():
        answers = cases[cols].astype("object")
        frame[f"_yes_{name}"] = (answers == "yes").sum(axis=1).to_numpy()
        frame[f"_app_{name}"] = answers.isin(_fw.APPLICABLE_ANSWERS).sum(axis=1).to_numpy()
    agg = frame.groupby(by, sort=True).sum(numeric_only=True)
    out = agg[["events", "n"]].astype(int)
    for name in groups:
        app = agg[f"_app_{name}"]
        out[name] = 100 * agg[f"_yes_{name}"] / app.where(app > 0)
    return out.reset_index()


def unit_outcome_models(
    cases: pd.DataFrame,
    *,
    outcome: str | Sequence[str] = "new_offence",
    exposure: str = "key_question",
    by: str = "pdu",
    framework: str = "pdu-2023",
    scale: str | None = "X2",
    per: float = 10,
    adjust: str = "holm",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Binomial GLM of unit outcome rates on key-question % Yes, weighted by n, one model per exposure.

    Parameters
    ----------
    cases : DataFrame
        Case-level records; aggregated to units by ``by``.
    outcome : str or sequence of str
        Binary outcome column(s).
    exposure : str
        ``key_question`` (twelve models), ``quality_score`` (pooled % Yes over all key
        questions), ``standard``, ``area``, or one key-question id.
    by : str
        Unit column (default ``pdu``).
    framework : str
        Framework defining the key questions.
    scale : {"X2", None}
        ``"X2"``: quasi-binomial (dispersion from Pearson chi-squared); ``None``: binomial.
    per : float
        Odds ratios per ``per`` percentage points.
    adjust : {"holm", "bh", "none"}
        ``p_adjusted`` across the exposures of each outcome.
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        Columns :data:`UNIT_COLUMNS`; ``n`` is the number of cases, ``n_clusters`` of units.

    Raises
    ------
    InputDataError
        If an outcome or the unit column is missing or constant.
    ParameterError
        If ``exposure`` or ``adjust`` is not a documented choice.
    """
    import statsmodels.api as sm

    z = z_value(alpha)
    frames = []
    for name in _d.as_list(outcome):
        table = unit_key_question_table(
            cases, outcome=name, exposure=exposure, by=by, framework=framework
        )
        rows = []
        for term in _kq_groups(exposure, framework):
            sub = table[(table["n"] > 0) & table[term].notna()]
            row = {
                "term": f"{term}_per_{per:g}pts",
                "n": int(sub["n"].sum()),
                "n_clusters": len(sub),
            }
            try:
                if len(sub) < 3:
                    raise ValueError(f"only {len(sub)} units with data")
                X = sm.add_constant(sub[term].to_numpy(dtype=float) / per, has_constant="add")
                rate = (sub["events"] / sub["n"]).to_numpy(dtype=float)
                weights = sub["n"].to_numpy(dtype=float)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model = sm.GLM(rate, X, family=sm.families.Binomial(), var_weights=weights)
                    # With an estimated dispersion and few units, intervals and p-values use
                    # the t distribution on the residual degrees of freedom (units - 2).
                    res = model.fit(scale=scale, use_t=bool(scale))
                beta, se = float(res.params[1]), float(res.bse[1])
                low, high = (
                    res.conf_int(alpha=alpha)[1] if scale else (beta - z * se, beta + z * se)
                )
                row.update(estimate=beta, std_error=se, p_value=float(res.pvalues[1]))
                row.update(odds_ratio=np.exp(beta), ci_low=np.exp(low), ci_high=np.exp(high))
                row["warning"] = f"dispersion {res.scale:.2f}" if scale else ""
            except Exception as exc:  # one failed model never stops the batch
                row["warning"] = failure_reason(exc)
            rows.append(row)
        frame = pd.DataFrame(rows)
        frame["outcome"] = name
        frame["p_adjusted"] = adjust_pvalues(
            frame.get("p_value", np.full(len(frame), np.nan)), method=adjust
        )
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True).reindex(columns=list(UNIT_COLUMNS))
    out["model"] = "quasi_binomial_glm_units" if scale else "binomial_glm_units"
    out["exposure"] = exposure
    return mark(out, data_source(cases), origin=cases)


def rating_context_models(
    ratings: pd.DataFrame,
    units: pd.DataFrame | None = None,
    *,
    context: Sequence[str] = ("vacancy_rate", "workload_pct"),
    by: str = "pdu",
    standards: Sequence[str] | None = None,
    per: Mapping[str, float] | None = None,
    adjust: str = "holm",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Ordinal logistic model of each standard's ratings on unit context (``OrderedModel``, logit).

    Parameters
    ----------
    ratings : DataFrame
        Long table ``[by, standard, rating]`` (e.g. ``datasets.load_unit_ratings()`` or
        ``ratings.rate(cases).standards``); ratings are the four-point scale.
    units : DataFrame, optional
        Context per unit ``[by, *context]``, merged on ``by``; default: ``ratings`` already
        holds the context columns.
    context : sequence of str
        Context columns (default vacancy rate and workload %).
    by : str
        Unit column.
    standards : sequence of str, optional
        Standards to model (default: every standard in ``ratings``).
    per : mapping, optional
        Units of each context column per odds ratio (default :data:`CONTEXT_SCALE`, else 1).
    adjust : {"holm", "bh", "none"}
        ``p_adjusted`` across every row of the table.
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        Columns :data:`UNIT_COLUMNS`; ``outcome`` holds the standard; odds ratios above 1 mean
        better ratings with higher context values.

    Raises
    ------
    InputDataError
        If a needed column is missing, or a context column is constant.
    """
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    data = (
        ratings
        if units is None
        else ratings.merge(units[[by, *context]], on=by, how="left", suffixes=("_r", ""))
    )
    _d.check_columns(data, ["standard", "rating"], "rating")
    _d.check_columns(data, list(context), "context")
    scale = {**CONTEXT_SCALE, **(per or {})}
    chosen = (
        list(standards) if standards is not None else list(pd.unique(data["standard"].astype(str)))
    )
    z = z_value(alpha)
    rows = []
    for std in chosen:
        sub = data[data["standard"].astype(str) == std].dropna(subset=["rating", *context])
        y = sub["rating"].astype(str).astype(RATING_DTYPE)
        names = [f"{c}_per_{scale.get(c, 1):g}" for c in context]
        base = {
            "outcome": std,
            "n": len(sub),
            "n_clusters": sub[by].nunique() if by in sub else len(sub),
        }
        try:
            if y.cat.remove_unused_categories().cat.categories.size < 2:
                raise ValueError("fewer than two rating levels observed")
            X = pd.DataFrame(
                {
                    n: sub[c].to_numpy(float) / scale.get(c, 1)
                    for n, c in zip(names, context, strict=True)
                }
            )
            endog = y.cat.remove_unused_categories().reset_index(drop=True).rename("rating")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = OrderedModel(endog, X, distr="logit").fit(method="bfgs", disp=0, maxiter=500)
            conv = bool(res.mle_retvals.get("converged", True))
            for n in names:
                b, se = float(res.params[n]), float(res.bse[n])
                rows.append(
                    {
                        **base,
                        "term": n,
                        "estimate": b,
                        "std_error": se,
                        "p_value": float(res.pvalues[n]),
                        "odds_ratio": np.exp(b),
                        "ci_low": np.exp(b - z * se),
                        "ci_high": np.exp(b + z * se),
                        "warning": "" if conv else "did not converge",
                    }
                )
        except Exception as exc:
            rows += [{**base, "term": n, "warning": failure_reason(exc)} for n in names]
    out = pd.DataFrame(rows).reindex(columns=list(UNIT_COLUMNS))
    out["p_adjusted"] = adjust_pvalues(out["p_value"], method=adjust)
    out["model"] = "ordered_logit"
    out["exposure"] = "context"
    synthetic = any(f is not None and f.attrs.get("synthetic") for f in (ratings, units))
    return mark(out, "synthetic" if synthetic else data_source(ratings), origin=ratings)
