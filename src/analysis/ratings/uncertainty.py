"""Calibrated probabilities of each rating band: a pooled model across the units rated together.

A standard's true rating is the band of the lowest true proportion among its key questions.
The probability of each band depends on what is believed about those proportions before the
sample is seen. Independent flat (Jeffreys) posteriors per key question ignore two facts: the
key questions of a standard are related, and units rated in the same framework and round
resemble each other. Ignoring them makes the minimum look worse and more certain than it is
(docs/ratings.md, "Calibrated rating probabilities").

The pooled model, per standard with key questions k = 1..K, on the logit scale:

* true proportions of unit u: θ_u ~ N(μ, Σ), an unrestricted K × K covariance (key questions
  related within a unit);
* observed counts: binomial per key question; for fitting, the empirical logit
  ℓ_uk = log((y + ½)/(n − y + ½)) with variance v_uk = 1/(y + ½) + 1/(n − y + ½). When case-level
  answers are given, answers on the same case are correlated: their pooled within-unit
  correlation R enters the sampling covariance V_u = D^½ R D^½ (D = diag(v), scaled by the
  share of cases common to two key questions).

``μ`` and ``Σ`` are fitted by the method of moments (μ the mean of ℓ, Σ = cov(ℓ) − mean V_u,
made positive definite) across all units rated together when there are at least
``min_units`` of them, or are taken from a population fitted elsewhere (``population=``: e.g. all
PDUs nationally, for a regional subset); otherwise they come from a prior built from the
published national picture (:data:`NATIONAL_PRIOR_FIGURES`). An outside prior is moved to the
units' average and widened per unit as its data ask (:func:`fit_pooled`). Band
probabilities integrate the exact posterior (binomial likelihood) by importance sampling from
its normal approximation with shared scrambled Sobol draws: deterministic given the seed.

>>> import numpy as np
>>> kqs = ["assessment_engagement", "assessment_desistance", "assessment_keeping_safe"]
>>> p = band_probabilities([11, 11, 11], [20, 20, 20], ["York"] * 3, ["assessment"] * 3, kqs,
...     (0, .5, .65, .8), method="national")
>>> p.shape, bool(np.isclose(p.sum(), 1.0))
((1, 4), True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special
from scipy.stats import qmc

from .. import frameworks as _fw
from ..exceptions import InputDataError, ModelError
from .borderline import EDGE_Z, edge_in_reach
from .posterior import (
    answer_correlation,
    independent_band_probabilities,
    population_moments,
    posterior_band_probabilities,
    prior_widening,
    sampling_covariance,
    widened,
    widenings,
)
from .prior import NATIONAL_PRIOR_FIGURES, PRIOR_CORRELATION, national_prior

__all__ = [
    "METHODS",
    "NATIONAL_PRIOR_FIGURES",
    "PRIOR_CORRELATION",
    "StandardModel",
    "PooledModel",
    "national_prior",
    "fit_pooled",
    "band_probabilities",
    "EDGE_Z",
    "edge_in_reach",
]

METHODS = ("pooled", "national", "independent")
"""``pooled``: fitted across units (national prior when too few); ``national``: always the
national prior (a single unit rated from published percentages); ``independent``: the previous
independent Jeffreys model, for comparison."""


@dataclass(frozen=True)
class StandardModel:
    """The population model of one standard: logit-scale mean and covariance of the units'
    true proportions, the within-unit correlation of answers, and where it came from."""

    standard: str
    key_questions: tuple[str, ...]
    mean: np.ndarray
    cov: np.ndarray
    answer_corr: np.ndarray
    n_units: int
    pooled_towards: str
    shift: np.ndarray | None = None
    """Shift of the prior's mean towards the units rated (an outside prior only), or None."""

    def centre(self) -> np.ndarray:
        """The prior mean the units are pooled towards (``mean`` plus any ``shift``)."""
        return self.mean if self.shift is None else self.mean + self.shift


@dataclass(frozen=True)
class PooledModel:
    """Fitted models per standard and the data they were fitted to (see :func:`fit_pooled`).

    ``groups`` is a tidy frame ``[unit, standard, probability_model, pooled_towards,
    prior_scale, prior_shared]``, one row per (unit, standard) in order of first appearance: the
    row order of the probability arrays. ``prior_scale`` is the factor on the prior covariance
    and ``prior_shared`` the variance of a shift shared by the unit's key questions, both chosen
    from the unit's own data (1 and 0: the prior in full; see
    :func:`~analysis.ratings.posterior.prior_widening`).
    """

    method: str
    standards: dict[str, StandardModel]
    groups: pd.DataFrame
    data: dict = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """``[standard, key_question, mean_pct, sd_logit, n_units, pooled_towards]``."""
        rows = []
        for m in self.standards.values():
            for j, kq in enumerate(m.key_questions):
                rows.append(
                    (
                        m.standard,
                        kq,
                        100 * special.expit(m.mean[j]),
                        np.sqrt(m.cov[j, j]),
                        m.n_units,
                        m.pooled_towards,
                    )
                )
        cols = ["standard", "key_question", "mean_pct", "sd_logit", "n_units", "pooled_towards"]
        return pd.DataFrame(rows, columns=cols)


def _validate(n_yes, n, unit, standard, key_question):
    y = np.asarray(n_yes, dtype=float)
    m = np.asarray(n, dtype=float)
    arrays = {"unit": unit, "standard": standard, "key_question": key_question}
    size = y.size
    for name, a in {"n": m, **arrays}.items():
        if len(a) != size:
            raise InputDataError(
                f"Column {name!r} has {len(a)} values but n_yes has {size}; give one per row."
            )
    checks = [
        ("n", m, (m >= 0) & (m == np.round(m)), "a whole number of 0 or more"),
        ("n_yes", y, (y >= 0) & (y <= m) & (y == np.round(y)), "a whole number from 0 to n"),
    ]
    for name, values, ok, expected in checks:
        bad = np.flatnonzero(~ok)
        if bad.size:
            r = int(bad[0])
            raise InputDataError(
                f"Row {r + 1}, column {name!r}: value {values[r]:g} is not {expected} "
                f"({bad.size} such row(s))."
            )
    for name, a in arrays.items():
        missing = np.flatnonzero(pd.isna(np.asarray(a, dtype=object)))
        if missing.size:
            raise InputDataError(f"Row {int(missing[0]) + 1}, column {name!r}: value is missing.")
    return y, m


def fit_pooled(
    n_yes,
    n,
    unit,
    standard,
    key_question,
    *,
    method: str = "pooled",
    cases: pd.DataFrame | None = None,
    min_units: int = 30,
    framework: str | _fw.Framework = "pdu-2023",
    population: PooledModel | None = None,
    min_shift_units: int = 5,
    adapt: bool = True,
) -> PooledModel:
    """Fit the population model of each standard across the units rated together.

    Parameters
    ----------
    n_yes, n : array-like of int
        Per row (one unit, one key question): answers yes and applicable cases.
    unit, standard, key_question : array-like
        Labels of each row. A group is one (unit, standard); groups keep the order of first
        appearance. Key questions are matched across units by label.
    method : {"pooled", "national", "independent"}
        See :data:`METHODS`.
    cases : DataFrame, optional
        Case-level answers: a ``unit`` column (labels as in ``unit``) and one column per key
        question (yes / no / not_applicable), used to estimate how answers on the same cases are
        correlated.
    min_units : int
        Fewest units with an applicable case in a standard for its population to be fitted;
        below it the national prior is used (and ``pooled_towards`` says so).
    framework : str or Framework
        Maps key questions to areas for the national prior.
    population : PooledModel, optional
        A model fitted to a larger set of units of the same framework and round (for example
        every PDU nationally); its population is used for every standard it has with the same
        key questions, instead of fitting one here.
    min_shift_units : int
        With a prior from outside these units (the national prior, or ``population``), the
        prior's mean is moved to the average of the units rated when there are at least this
        many of them (a region better than the national picture is pooled towards itself), and
        each unit's prior is widened as far as its own data ask
        (:func:`~analysis.ratings.posterior.prior_widening`): pooling towards an outside prior is
        decided by the data, not assumed.
    adapt : bool
        ``False`` uses an outside prior exactly as given (no shift, no widening), for
        comparison.

    Returns
    -------
    PooledModel

    Raises
    ------
    InputDataError
        Bad counts or labels, a (unit, key question) given twice, or unusable ``cases``.
    """
    if method not in METHODS:
        raise InputDataError(f"method {method!r} is not one of {', '.join(METHODS)}.")
    y, m = _validate(n_yes, n, unit, standard, key_question)
    keys = pd.MultiIndex.from_arrays(
        [np.asarray(unit, dtype=object), np.asarray(standard, dtype=object)]
    )
    codes, uniques = pd.factorize(keys)
    groups = pd.DataFrame(
        {"unit": uniques.get_level_values(0), "standard": uniques.get_level_values(1)}
    )
    std_arr, kq_arr = np.asarray(standard, dtype=object), np.asarray(key_question, dtype=object)
    models, data = {}, {}
    towards = np.empty(len(groups), dtype=object)
    scales, shared = np.ones(len(groups)), np.zeros(len(groups))
    for s in pd.unique(std_arr):
        rows = np.flatnonzero(std_arr == s)
        kqs = tuple(pd.unique(kq_arr[rows]))
        g = np.unique(codes[rows])
        gpos = np.searchsorted(g, codes[rows])
        kpos = np.array([kqs.index(k) for k in kq_arr[rows]])
        dup = pd.Series(gpos * len(kqs) + kpos).duplicated().to_numpy()
        if dup.any():
            r = int(rows[np.flatnonzero(dup)[0]])
            raise InputDataError(
                f"Row {r + 1}: unit {np.asarray(unit, dtype=object)[r]!r}, key question "
                f"{kq_arr[r]!r} appears more than once; expected one row per unit and key question."
            )
        Y, M = np.zeros((g.size, len(kqs))), np.zeros((g.size, len(kqs)))
        Y[gpos, kpos], M[gpos, kpos] = y[rows], m[rows]
        units = groups["unit"].to_numpy()[g]
        corr = np.eye(len(kqs)) if cases is None else answer_correlation(cases, kqs, units)
        ell, obs, V = sampling_covariance(Y, M, corr)
        n_units = int(obs.any(axis=1).sum())
        given = population.standards.get(s) if population is not None else None
        if method == "pooled" and given is not None and given.key_questions == kqs:
            mean, cov = given.mean, given.cov
            corr = given.answer_corr if cases is None else corr
            ell, obs, V = sampling_covariance(Y, M, corr)
            label = f"fitted across {given.n_units} units (given population)"
        elif method == "pooled" and n_units >= max(min_units, len(kqs) + 2):
            mean, cov = population_moments(ell, obs, V)
            label = f"fitted across {n_units} units rated together"
        else:
            mean, cov = national_prior(kqs, framework)
            label = "national prior (published figures)"
        shift, scale, common = None, np.ones(g.size), np.zeros(g.size)
        outside = adapt and method != "independent" and not label.endswith("rated together")
        if outside:  # a prior from elsewhere: the data decide how far to pool towards it
            shift, scale, common = _adapt(ell, obs, V, mean, cov, min_shift_units)
        models[s] = StandardModel(s, kqs, mean, cov, corr, n_units, label, shift)
        data[s] = (g, Y, M, ell, obs, V)
        scales[g], shared[g] = scale, common
        if method == "independent":
            towards[g] = "none (independent Jeffreys)"
        else:
            moved = "" if shift is None else ", its mean moved to these units' average"
            towards[g] = label + moved
    groups["probability_model"] = method
    groups["pooled_towards"] = towards
    groups["prior_scale"] = scales
    groups["prior_shared"] = shared
    return PooledModel(method, models, groups, data)


def _adapt(ell, obs, V, mean, cov, min_shift_units):
    """Shift of an outside prior's mean (when at least ``min_shift_units`` units) and per-unit
    widening (:func:`~analysis.ratings.posterior.prior_widening`): (shift, scale, shared)."""
    shift = None
    units = obs.any(axis=1)
    if units.sum() >= min_shift_units:
        w = obs.astype(float)
        shift = (np.where(obs, ell - mean, 0.0)).sum(axis=0) / np.maximum(w.sum(axis=0), 1)
    centre = mean if shift is None else mean + shift
    return shift, *prior_widening(ell, obs, V, centre, cov)


def band_probabilities(
    n_yes,
    n,
    unit,
    standard,
    key_question,
    edges,
    *,
    method: str = "pooled",
    cases: pd.DataFrame | None = None,
    rng: int | np.random.Generator | None = None,
    draws: int = 1024,
    min_units: int = 30,
    framework: str | _fw.Framework = "pdu-2023",
    model: PooledModel | None = None,
    population: PooledModel | None = None,
    min_shift_units: int = 5,
) -> np.ndarray:
    """Probability that the band of each (unit, standard)'s lowest true proportion is each band.

    Same conventions as :func:`analysis.stats.band_probabilities_of_minimum`: ``edges`` are the
    bands' lower bounds as proportions, worst band first, starting at 0; key questions with no
    applicable case are left out of the minimum; the result has shape ``(groups, bands)``, worst
    band first, NaN for groups with no applicable key question. Groups are (unit, standard)
    pairs in order of first appearance (``fit_pooled(...).groups``).

    Parameters
    ----------
    n_yes, n, unit, standard, key_question, method, cases, min_units, framework, population
    min_shift_units
        As :func:`fit_pooled`.
    edges : sequence of float
    rng : int or numpy.random.Generator, optional
        Seeds the scrambled Sobol draws (default seed 0): the same seed gives the same result.
    draws : int
        Importance-sampling draws per unit (rounded up to a power of 2).
    model : PooledModel, optional
        A model already fitted to these rows (skips :func:`fit_pooled`).

    Returns
    -------
    numpy.ndarray
    """
    edges = np.asarray(edges, dtype=float)
    if (
        edges.ndim != 1
        or edges.size < 1
        or edges[0] != 0
        or np.any(np.diff(edges) <= 0)
        or edges[-1] >= 1
    ):
        raise InputDataError(
            f"edges {edges.tolist()} must start at 0 and increase strictly below 1 "
            "(lower bounds of the bands as proportions, worst band first)."
        )
    if model is None:
        model = fit_pooled(
            n_yes,
            n,
            unit,
            standard,
            key_question,
            method=method,
            cases=cases,
            min_units=min_units,
            population=population,
            framework=framework,
            min_shift_units=min_shift_units,
        )
    gen = (
        rng
        if isinstance(rng, np.random.Generator)
        else np.random.default_rng(0 if rng is None else rng)
    )
    probs = np.full((len(model.groups), edges.size), np.nan)
    cuts = special.logit(edges[1:])
    for s, sm in model.standards.items():
        g, Y, M, ell, obs, V = model.data[s]
        if model.method == "independent":
            p = independent_band_probabilities(Y, M, edges)
        else:
            k = sm.mean.size
            sobol = qmc.Sobol(d=k, scramble=True, seed=gen).random_base2(
                int(np.ceil(np.log2(max(draws, 2))))
            )
            z = special.ndtri(np.clip(sobol, 1e-12, 1 - 1e-12))
            p = np.empty((g.size, edges.size))
            scale = model.groups["prior_scale"].to_numpy()[g]
            common = model.groups["prior_shared"].to_numpy()[g]
            for rows, lam, tau2 in widenings(scale, common):
                p[rows] = posterior_band_probabilities(
                    sm.centre(),
                    widened(sm.cov, lam, tau2),
                    Y[rows],
                    M[rows],
                    ell[rows],
                    obs[rows],
                    V[rows],
                    cuts,
                    z,
                )
        p[~obs.any(axis=1)] = np.nan
        probs[g] = p
    if not np.all(np.isfinite(probs[~np.isnan(probs).all(axis=1)])):
        raise ModelError("Band probabilities could not be computed (non-finite weights).")
    return probs
