"""Simulation study of the within-PDU estimate under PDU-level confounding.

A PDU whose practice is better may also differ in ways that affect outcomes (its caseload,
local services): then the association across all cases mixes the comparison of cases within a
PDU with the comparison of PDUs. Each replication draws ``n_pdus`` PDUs from a national
SYNTHETIC sample (:func:`analysis.synthetic.generate.simulate`, 50 cases per PDU), keeps 20 to
50 cases of each (uniformly), and gives every case a binary outcome ``y`` with

``logit P(y = 1) = b0 + effect * q + confounding * (q̄_PDU − q̄) + u_PDU``,
``u_PDU ~ Normal(0, pdu_sd^2)``,

where ``q`` is the case's quality score per 10 points, ``q̄_PDU`` the mean of its PDU's 50
generated cases and ``q̄`` the national mean: the PDU's quality shifts its outcomes beyond the
effect of each case's quality (with the defaults, ``effect = −0.3`` and ``confounding = +0.3``,
better PDUs have no better outcomes at all). The within-PDU truth is

* ``effect`` for the random-intercept model (conditional on the PDU);
* for the cluster-robust and GEE models, the population-averaged within-PDU log odds ratio:
  the coefficient of ``q`` in the logistic fit, by Newton's method, of the outcome probability
  averaged over ``u_PDU`` (40-node Gauss-Hermite quadrature) on ``q`` and ``q̄_PDU``, over
  21,600 synthetic cases (:func:`within_truth`).

Each method is fitted as the reports fit it (``associations``, adjusted for case mix), once
with ``within_pdu=True`` (the PDU mean of the quality score added) and once without, so the
table shows what the within-PDU option buys.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import lru_cache
from types import SimpleNamespace

import numpy as np
import pandas as pd
from scipy.special import expit

from ..exceptions import ParameterError
from ._simulation import (
    PERFORMANCE_COLUMNS,
    check_replications,
    fit_to_probabilities,
    intercept_for,
    marginal_probability,
    performance,
)
from .few_pdus import TERM, quality_per_10

__all__ = [
    "WITHIN_COLUMNS",
    "within_truth",
    "within_pdu_sample",
    "run_within_pdu_study",
    "within_markdown",
]

WITHIN_COLUMNS = (
    "n_pdus",
    "model",
    "within_pdu",
    "estimand",
    *PERFORMANCE_COLUMNS,
    "source",
)
"""Column order of the within-PDU study table."""

_POOL = 50


def _pdu_mean(cases: pd.DataFrame, q: np.ndarray) -> np.ndarray:
    codes = pd.factorize(cases["pdu"].astype("object"))[0]
    ok = ~np.isnan(q)
    means = np.bincount(codes[ok], q[ok]) / np.bincount(codes[ok])
    return means[codes]


@lru_cache(maxsize=4)
def _population(seeds: tuple[int, ...] = (101, 102, 103, 104)) -> tuple[np.ndarray, np.ndarray]:
    from ..synthetic.generate import simulate

    qs, means = [], []
    for s in seeds:
        cases = simulate(seed=s, cases_per_pdu=_POOL).cases
        q = quality_per_10(cases)
        qs.append(q)
        means.append(_pdu_mean(cases, q))
    q, m = np.concatenate(qs), np.concatenate(means)
    ok = ~np.isnan(q)
    return q[ok], m[ok]


@lru_cache(maxsize=32)
def _intercept(effect: float, confounding: float, pdu_sd: float, prevalence: float) -> float:
    q, m = _population()
    return intercept_for(effect * q + confounding * (m - m.mean()), pdu_sd, prevalence)


@lru_cache(maxsize=32)
def within_truth(
    effect: float = -0.3, confounding: float = 0.3, pdu_sd: float = 0.8, prevalence: float = 0.15
) -> float:
    """Population-averaged within-PDU log odds ratio per 10 quality points (see the module text).

    >>> round(within_truth(-0.3, 0.3, 0.0, 0.15), 6)
    -0.3
    """
    q, m = _population()
    centre = m.mean()
    b0 = _intercept(effect, confounding, pdu_sd, prevalence)
    target = marginal_probability(b0 + effect * q + confounding * (m - centre), pdu_sd)
    X = np.column_stack([np.ones_like(q), q, m])
    return float(fit_to_probabilities(X, target)[1])


def within_pdu_sample(
    seed: int,
    n_pdus: int,
    *,
    effect: float = -0.3,
    confounding: float = 0.3,
    pdu_sd: float = 0.8,
    prevalence: float = 0.15,
) -> SimpleNamespace:
    """One SYNTHETIC sample with PDU-level confounding: ``cases`` (outcome ``y``) and ``truth``.

    Raises
    ------
    ParameterError
        If ``n_pdus`` is below 2 or above the number of PDUs.
    """
    from ..synthetic.generate import simulate

    rng = np.random.default_rng(seed)
    pool = simulate(seed=seed, cases_per_pdu=_POOL).cases
    q_pool = quality_per_10(pool)
    pool = pool.assign(_pdu_mean=_pdu_mean(pool, q_pool))
    pdus = pd.unique(pool["pdu"])
    if not 2 <= n_pdus <= len(pdus):
        raise ParameterError(f"n_pdus={n_pdus!r}: expected a whole number from 2 to {len(pdus)}.")
    chosen = rng.choice(pdus, size=n_pdus, replace=False)
    sizes = dict(zip(chosen, rng.integers(20, _POOL + 1, size=n_pdus), strict=True))
    cases = pool[pool["pdu"].isin(chosen)]
    rank = cases.groupby("pdu", observed=True).cumcount().to_numpy()
    cases = cases[rank < cases["pdu"].map(sizes).to_numpy()].reset_index(drop=True)
    u = dict(zip(chosen, rng.normal(0.0, pdu_sd, size=n_pdus), strict=True))
    _, m = _population()
    centre = m.mean()
    eta = _intercept(effect, confounding, pdu_sd, prevalence) + effect * quality_per_10(cases)
    eta = eta + confounding * (cases["_pdu_mean"].to_numpy() - centre)
    eta = eta + cases["pdu"].map(u).to_numpy(dtype=float)
    y = rng.random(len(cases)) < expit(np.nan_to_num(eta))
    cases["y"] = pd.array(np.where(np.isnan(eta), None, y), dtype="boolean")
    truth = {
        "conditional": effect,
        "population_averaged": within_truth(effect, confounding, pdu_sd, prevalence),
    }
    return SimpleNamespace(cases=cases.drop(columns="_pdu_mean"), truth=truth)


def run_within_pdu_study(
    replications: int = 200,
    seed: int = 7,
    n_pdus: Sequence[int] = (6, 15, 108),
    *,
    models: Sequence[str] = ("robust", "gee", "mixed"),
    within: Sequence[bool] = (True, False),
    effect: float = -0.3,
    confounding: float = 0.3,
    pdu_sd: float = 0.8,
    prevalence: float = 0.15,
    alpha: float = 0.05,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage of the within-PDU truth by each method, with and without ``within_pdu``.

    Returns
    -------
    summary : DataFrame
        Columns :data:`WITHIN_COLUMNS`, one row per number of PDUs, method and option.
    replicates : DataFrame
        One row per replication, method and option.

    Raises
    ------
    ParameterError
        If ``replications`` is below 2.
    """
    from ._fit import METHODS, MODEL_LABELS
    from .case import associations

    check_replications(replications)
    start = time.perf_counter()
    seeds = np.random.SeedSequence(seed).generate_state(replications * len(n_pdus))
    rows = []
    for i, (g, r) in enumerate((g, r) for g in n_pdus for r in range(replications)):
        sample = within_pdu_sample(
            int(seeds[i]),
            g,
            effect=effect,
            confounding=confounding,
            pdu_sd=pdu_sd,
            prevalence=prevalence,
        )
        for model in models:
            for w in within:
                row = associations(
                    sample.cases, outcome="y", cluster=model, alpha=alpha, within_pdu=w
                ).iloc[0]
                conditional = METHODS[model].conditional or row["model"] == MODEL_LABELS["mixed"]
                estimand = "conditional" if conditional else "population_averaged"
                truth = sample.truth[estimand]
                low, high = np.log(row["ci_low"]), np.log(row["ci_high"])
                ok = bool(np.isfinite(row["estimate"]) and np.isfinite(low) and np.isfinite(high))
                rows.append(
                    {
                        "n_pdus": g,
                        "replication": r,
                        "method": model,
                        "within_pdu": w,
                        "estimand": estimand,
                        "true_value": truth,
                        "estimate": row["estimate"] if ok else np.nan,
                        "std_error": row["std_error"] if ok else np.nan,
                        "covered": float(low <= truth <= high) if ok else np.nan,
                        "warning": row["warning"],
                    }
                )
    replicates = pd.DataFrame(rows)
    summary = []
    for (g, method, w), rep in replicates.groupby(["n_pdus", "method", "within_pdu"], sort=False):
        summary.append(
            {
                "n_pdus": g,
                "model": MODEL_LABELS[method],
                "within_pdu": w,
                "estimand": rep["estimand"].mode().iloc[0],
                **performance(rep),
            }
        )
    table = pd.DataFrame(summary).assign(source="synthetic")[list(WITHIN_COLUMNS)]
    table.attrs["synthetic"] = True
    table.attrs["study"] = {
        "replications": int(replications),
        "seed": int(seed),
        "effect": effect,
        "confounding": confounding,
        "pdu_sd": pdu_sd,
        "prevalence": prevalence,
        "term": TERM,
        "seconds": time.perf_counter() - start,
    }
    return table, replicates


def within_markdown(table: pd.DataFrame) -> str:
    """The within-PDU study table as markdown, with the settings it was run at."""
    meta = table.attrs.get("study", {})
    lines = [
        f"Within-PDU study (SYNTHETIC): {meta.get('replications', '?')} samples per number of "
        f"PDUs, seed {meta.get('seed', '?')}, effect {meta.get('effect', '?')}, confounding "
        f"{meta.get('confounding', '?')}, PDU SD {meta.get('pdu_sd', '?')}; "
        f"{meta.get('seconds', float('nan')):.0f} s.",
        "",
        "| PDUs | model | within_pdu | truth | mean estimate | bias | empirical SE | "
        "mean model SE | coverage (MCSE) | fits | failed |",
        "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in table.itertuples(index=False):
        lines.append(
            f"| {r.n_pdus} | {r.model} | {r.within_pdu} | {r.true_value:.4f} | "
            f"{r.mean_estimate:.4f} | {r.bias:+.4f} | {r.empirical_se:.4f} | "
            f"{r.mean_model_se:.4f} | {r.coverage:.3f} ({r.coverage_mcse:.3f}) | "
            f"{r.replications} | {r.n_failed} |"
        )
    return "\n".join(lines) + "\n"
