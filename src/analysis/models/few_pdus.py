"""Simulation study at regional sizes: do the intervals cover with 6, 8 or 15 PDUs?

Each replication draws ``n_pdus`` PDUs at random from a national SYNTHETIC sample
(:func:`analysis.synthetic.generate.simulate`), keeps between 20 and 50 of each PDU's cases (uniformly,
as real inspections read), and gives every case a binary outcome ``y`` with

``logit P(y = 1) = b0 + effect * (quality score per 10 points) + u_pdu``,
``u_pdu ~ Normal(0, pdu_sd^2)``,

with ``b0`` set so that about ``prevalence`` of cases have the outcome. The case-level models
(:func:`analysis.models.associations`, adjusted for case mix as the reports are) are fitted with
each clustering method, and their 95% intervals for the quality term are compared with the
truth:

* the random-intercept model estimates ``effect`` itself (conditional on the PDU);
* the cluster-robust and GEE models estimate the population-averaged log odds ratio, which is
  smaller in magnitude; its true value is computed by :func:`population_averaged_truth` (the
  logistic fit, by Newton's method, of the marginal outcome probability, integrated over the
  PDU effect by 40-node Gauss-Hermite quadrature, on a large sample of cases).

The summary, one row per number of PDUs and method, has the columns :data:`FEW_PDU_COLUMNS`:
coverage with its Monte Carlo SE, bias with its Monte Carlo SE, the empirical and mean model
standard errors, how many fits gave NaN rows (``n_failed``), how many of those were fits that
did not converge or failed for no reason in the data (``n_not_converged``; the rest had too few
events for the parameters, or separation, so that the estimate does not exist), and how many fell back to a smaller adjustment set
or another model (``n_fallback``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
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

__all__ = [
    "FEW_PDU_COLUMNS",
    "SHOWN_METHODS",
    "few_pdu_sample",
    "marginal_probability",
    "quality_per_10",
    "population_averaged_truth",
    "run_few_pdu_study",
    "write_few_pdu_study",
]

FEW_PDU_COLUMNS = (
    "n_pdus",
    "model",
    "estimand",
    *PERFORMANCE_COLUMNS,
    "n_not_converged",
    "n_fallback",
    "source",
)
"""Column order of the few-PDU study table."""

SHOWN_METHODS = ("robust", "gee", "mixed")
"""Methods the reports can show; ``robust_cr2``, ``robust_cr1`` and ``gee_sandwich`` are studied
for contrast (they miss the coverage target with few PDUs)."""

TERM = "quality_score_per_10pts"
_POOL_CASES = 50


def quality_per_10(cases: pd.DataFrame) -> np.ndarray:
    """Each case's quality score per 10 points."""
    from ..ratings.quality import quality_scores

    return 10 * quality_scores(cases)["quality_score"].to_numpy(dtype=float)


@lru_cache(maxsize=8)
def _population(seeds: tuple[int, ...] = (101, 102, 103, 104)) -> np.ndarray:
    """Quality scores per 10 points of a large synthetic population (for the true values)."""
    from ..synthetic.generate import simulate

    samples = [simulate(seed=s, cases_per_pdu=_POOL_CASES).cases for s in seeds]
    return np.concatenate([quality_per_10(cases) for cases in samples])


@lru_cache(maxsize=32)
def _intercept(effect: float, pdu_sd: float, prevalence: float) -> float:
    return intercept_for(effect * _population(), pdu_sd, prevalence)


@lru_cache(maxsize=32)
def population_averaged_truth(
    effect: float = -0.3, pdu_sd: float = 0.8, prevalence: float = 0.15
) -> float:
    """True population-averaged log odds ratio per 10 quality points of the study's outcome.

    The logistic regression of the marginal probability (the outcome probability averaged
    over the PDU effect) on the quality score, fitted by Newton's method to a large synthetic
    population: the value the cluster-robust and GEE models converge to.

    >>> round(population_averaged_truth(-0.3, 0.0, 0.15), 6)
    -0.3
    """
    q = _population()
    X = np.column_stack([np.ones_like(q), q])
    m = marginal_probability(_intercept(effect, pdu_sd, prevalence) + effect * q, pdu_sd)
    return float(fit_to_probabilities(X, m)[1])


def few_pdu_sample(
    seed: int,
    n_pdus: int,
    *,
    effect: float = -0.3,
    pdu_sd: float = 0.8,
    prevalence: float = 0.15,
    cases_per_pdu: tuple[int, int] = (20, 50),
) -> SimpleNamespace:
    """One SYNTHETIC regional-size sample with a known effect of quality on outcome ``y``.

    Parameters
    ----------
    seed : int
        Seed of the sample (the national generator and the draws here).
    n_pdus : int
        PDUs drawn at random from the national sample.
    effect : float
        True log odds ratio per 10 quality points, conditional on the PDU.
    pdu_sd : float
        SD of the PDU random intercept (log odds).
    prevalence : float
        Approximate share of cases with the outcome.
    cases_per_pdu : (int, int)
        Smallest and largest number of cases per PDU (drawn uniformly).

    Returns
    -------
    SimpleNamespace
        ``cases`` (with the outcome ``y``, nullable boolean) and ``truth`` (columns
        ``outcome, term, estimand, true_value``: conditional and population-averaged).

    Raises
    ------
    ParameterError
        If ``n_pdus`` is below 2 or above the number of PDUs, or the case range is not
        within 1 to 50.
    """
    from ..synthetic.generate import simulate

    low, high = cases_per_pdu
    if not 1 <= low <= high <= _POOL_CASES:
        raise ParameterError(
            f"cases_per_pdu={cases_per_pdu!r}: expected (low, high) with 1 <= low <= high <= 50."
        )
    rng = np.random.default_rng(seed)
    pool = simulate(seed=seed, cases_per_pdu=high).cases
    pdus = pd.unique(pool["pdu"])
    if not 2 <= n_pdus <= len(pdus):
        raise ParameterError(f"n_pdus={n_pdus!r}: expected a whole number from 2 to {len(pdus)}.")
    chosen = rng.choice(pdus, size=n_pdus, replace=False)
    sizes = dict(zip(chosen, rng.integers(low, high + 1, size=n_pdus), strict=True))
    cases = pool[pool["pdu"].isin(chosen)]
    rank = cases.groupby("pdu", observed=True).cumcount().to_numpy()
    cases = cases[rank < cases["pdu"].map(sizes).to_numpy()].reset_index(drop=True)
    u = dict(zip(chosen, rng.normal(0.0, pdu_sd, size=n_pdus), strict=True))
    eta = _intercept(effect, pdu_sd, prevalence) + effect * quality_per_10(cases)
    eta = eta + cases["pdu"].map(u).to_numpy(dtype=float)
    cases["y"] = pd.array(rng.random(len(cases)) < expit(eta), dtype="boolean")
    truth = pd.DataFrame(
        {
            "outcome": "y",
            "term": TERM,
            "estimand": ["conditional", "population_averaged"],
            "true_value": [effect, population_averaged_truth(effect, pdu_sd, prevalence)],
        }
    )
    return SimpleNamespace(cases=cases, truth=truth)


def _replicate(sample, models: Sequence[str], alpha: float) -> list[dict]:
    from ._fit import METHODS
    from .case import associations

    truth = sample.truth.set_index("estimand")["true_value"]
    rows = []
    for model in models:
        row = associations(sample.cases, outcome="y", cluster=model, alpha=alpha).iloc[0]
        conditional = METHODS[model].conditional or row["model"] == METHODS["mixed"].label
        estimand = "conditional" if conditional else "population_averaged"
        low, high = np.log(row["ci_low"]), np.log(row["ci_high"])
        ok = bool(np.isfinite(row["estimate"]) and np.isfinite(low) and np.isfinite(high))
        common = {
            "estimand": estimand,
            "true_value": float(truth[estimand]),
            "estimate": row["estimate"] if ok else np.nan,
            "std_error": row["std_error"] if ok else np.nan,
            "fallback": "cannot be estimated" in row["warning"],
            "not_converged": not ok and not _refused(row["warning"]),
            "warning": row["warning"],
        }
        rows.append({"method": model, **common, "covered": _covers(low, high, truth[estimand], ok)})
    return rows


def _covers(low, high, truth, ok) -> float:
    return float(low <= truth <= high) if ok else np.nan


def _refused(warning: str) -> bool:
    """A NaN row explained by the data: too few events, or (quasi-)separation."""
    return "too few events" in warning or "separation" in warning


def _summarise(rep: pd.DataFrame) -> dict:
    return {
        "estimand": rep["estimand"].mode().iloc[0],
        **performance(rep),
        "n_not_converged": int(rep["not_converged"].sum()),
        "n_fallback": int(rep["fallback"].sum()),
    }


def run_few_pdu_study(
    replications: int = 200,
    seed: int = 1,
    n_pdus: Sequence[int] = (6, 8, 15),
    *,
    models: Sequence[str] = (*SHOWN_METHODS, "robust_cr2", "robust_cr1", "gee_sandwich"),
    effect: float = -0.3,
    pdu_sd: float = 0.8,
    prevalence: float = 0.15,
    alpha: float = 0.05,
    progress: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Coverage and bias of each clustering method at regional numbers of PDUs.

    Parameters
    ----------
    replications : int
        Samples per number of PDUs (the documented study uses 200).
    seed : int
        Master seed; sample seeds come from ``numpy.random.SeedSequence(seed)``.
    n_pdus : sequence of int
        Numbers of PDUs to study.
    models : sequence of str
        Clustering methods (names accepted by ``associations(cluster=...)``).
    effect, pdu_sd, prevalence : float
        The data-generating model (see the module docstring).
    alpha : float
        1 - confidence level of the intervals.
    progress : bool
        Show a progress bar (tqdm).

    Returns
    -------
    summary : DataFrame
        Columns :data:`FEW_PDU_COLUMNS`, one row per number of PDUs and method.
    replicates : DataFrame
        One row per replication and method.

    Raises
    ------
    ParameterError
        If ``replications`` is below 2.
    """
    check_replications(replications)
    start = time.perf_counter()
    seeds = np.random.SeedSequence(seed).generate_state(replications * len(n_pdus))
    jobs = [(g, r) for g in n_pdus for r in range(replications)]
    if progress:
        from tqdm.auto import tqdm

        jobs = tqdm(jobs, desc="few-PDU study", unit="sample")
    rows = []
    for i, (g, r) in enumerate(jobs):
        sample = few_pdu_sample(
            int(seeds[i]), g, effect=effect, pdu_sd=pdu_sd, prevalence=prevalence
        )
        for row in _replicate(sample, models, alpha):
            rows.append({"n_pdus": g, "replication": r, **row})
    replicates = pd.DataFrame(rows)
    from ._fit import MODEL_LABELS

    summary = []
    for (g, method), rep in replicates.groupby(["n_pdus", "method"], sort=False):
        summary.append({"n_pdus": g, "model": MODEL_LABELS[method], **_summarise(rep)})
    table = pd.DataFrame(summary).assign(source="synthetic")[list(FEW_PDU_COLUMNS)]
    table.attrs["synthetic"] = True
    table.attrs["study"] = {
        "replications": int(replications),
        "seed": int(seed),
        "effect": effect,
        "pdu_sd": pdu_sd,
        "prevalence": prevalence,
        "seconds": time.perf_counter() - start,
    }
    return table, replicates


def write_few_pdu_study(
    table: pd.DataFrame, out_dir: str | Path, replicates: pd.DataFrame | None = None
) -> list[Path]:
    """Write ``few_pdu_study.csv`` and ``.md`` (and the replicates) to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "few_pdu_study.csv", out / "few_pdu_study.md"]
    table.to_csv(paths[0], index=False, encoding="utf-8", lineterminator="\n")
    meta = table.attrs.get("study", {})
    cols = ["n_pdus", "model", "true_value", "bias", "bias_mcse", "empirical_se"]
    cols += ["mean_model_se", "coverage", "coverage_mcse", "n_failed", "n_not_converged"]
    cols += ["n_fallback"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, row in table.iterrows():
        cells = [f"{row[c]:.3f}" if isinstance(row[c], float) else str(row[c]) for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    header = (
        "# Few-PDU simulation study (SYNTHETIC data)\n\n"
        f"{meta.get('replications', '?')} replications per setting, seed {meta.get('seed', '?')}; "
        f"effect {meta.get('effect', '?')} per 10 points, PDU SD {meta.get('pdu_sd', '?')}, "
        f"prevalence {meta.get('prevalence', '?')}; {meta.get('seconds', float('nan')):.0f} s.\n\n"
    )
    paths[1].write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    if replicates is not None:
        paths.append(out / "few_pdu_replicates.csv")
        replicates.to_csv(paths[-1], index=False, encoding="utf-8", lineterminator="\n")
    return paths
