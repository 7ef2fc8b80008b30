"""Simulation study: do the case-level models recover the synthetic generator's known effects?

Each replication simulates a national SYNTHETIC sample (:func:`analysis.synthetic.generate.simulate`,
different seed each time), fits ``associations(cases, outcome=..., exposure="quality_score",
cluster=model)`` adjusted for case mix, and compares the estimated log odds ratio per 10
points of case quality score with the generator's true value (``sample.truth``, term
``quality_score_per_10pts``). The summary per outcome, term and model:

``outcome, term, model, true_value, mean_estimate, bias, bias_mcse, empirical_se,
mean_model_se, se_ratio, coverage, coverage_mcse, replications, n_failed, cases_per_pdu,
outcome_pdu_sd, source``

* ``bias`` = mean estimate - truth, with its Monte Carlo SE ``empirical_se / sqrt(R)``;
* ``empirical_se``: SD of the estimates over replications; ``mean_model_se``: mean of the
  models' standard errors (``se_ratio`` near 1 means honest standard errors);
* ``coverage``: share of 95% intervals containing the truth, Monte Carlo SE
  ``sqrt(coverage (1 - coverage) / R)``.

Failed fits (NaN rows) are counted in ``n_failed`` and left out of the summaries.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ._simulation import PERFORMANCE_COLUMNS, check_replications, performance

__all__ = ["STUDY_COLUMNS", "run_study", "replicate", "summarise", "study_markdown", "write_study"]

STUDY_COLUMNS = (
    "outcome",
    "term",
    "model",
    *PERFORMANCE_COLUMNS,
    "cases_per_pdu",
    "outcome_pdu_sd",
    "source",
)
"""Column order of the simulation-study table."""

TERM = "quality_score_per_10pts"
MODEL_NAMES = {
    "robust": "logit_cluster_robust",
    "gee": "gee_exchangeable",
    "mixed": "mixed_random_intercept",
}


def _generate(generator: Callable, seed: int, cases_per_pdu: int, outcome_pdu_sd: float):
    kwargs = {"seed": seed, "cases_per_pdu": cases_per_pdu}
    if outcome_pdu_sd or "outcome_pdu_sd" in inspect.signature(generator).parameters:
        kwargs["outcome_pdu_sd"] = outcome_pdu_sd
    return generator(**kwargs)


def replicate(
    sample, *, outcomes: Sequence[str], models: Sequence[str], alpha: float = 0.05
) -> pd.DataFrame:
    """Fit every model to one sample: ``[outcome, model, term, estimate, std_error, true_value, covered]``."""
    from .case import associations

    truth = sample.truth
    truth = truth[truth["term"] == TERM].set_index("outcome")["true_value"]
    frames = []
    for model in models:
        table = associations(
            sample.cases,
            outcome=list(outcomes),
            exposure="quality_score",
            cluster=model,
            alpha=alpha,
        )
        columns = ["outcome", "model", "term", "estimate", "std_error", "ci_low", "ci_high"]
        frames.append(table[[*columns, "warning"]])
    out = pd.concat(frames, ignore_index=True)
    out["true_value"] = out["outcome"].map(truth)
    # the models' own intervals (t with G - 1 df for the corrected methods), at level alpha
    low, high = np.log(out.pop("ci_low")), np.log(out.pop("ci_high"))
    out["covered"] = np.where(
        out["estimate"].isna(), np.nan, (low <= out["true_value"]) & (out["true_value"] <= high)
    )
    return out


def summarise(replicates: pd.DataFrame) -> pd.DataFrame:
    """Bias, empirical and model SE, coverage and Monte Carlo SEs per outcome, term and model."""
    rows = []
    for (outcome, term, model), g in replicates.groupby(["outcome", "term", "model"], sort=False):
        measures = performance(g, require=("estimate", "std_error"))
        rows.append({"outcome": outcome, "term": term, "model": model, **measures})
    return pd.DataFrame(rows)


def study_markdown(table: pd.DataFrame, *, digits: int = 3) -> str:
    """The study table as a GitHub-flavoured Markdown table (no extra dependency)."""
    cols = ["outcome", "model", *(c for c in PERFORMANCE_COLUMNS if c != "se_ratio")]

    def fmt(v):
        if isinstance(v, float | np.floating):
            return "" if np.isnan(v) else f"{v:.{digits}f}"
        return str(v)

    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(row[c]) for c in cols) + " |" for _, row in table.iterrows()]
    return "\n".join(lines) + "\n"


def write_study(
    table: pd.DataFrame, out_dir: str | Path, replicates: pd.DataFrame | None = None
) -> list[Path]:
    """Write ``simulation_study.csv`` and ``simulation_study.md`` (and the replicates) to ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "simulation_study.csv", out / "simulation_study.md"]
    table.to_csv(paths[0], index=False, encoding="utf-8", lineterminator="\n")
    meta = table.attrs.get("study", {})
    header = (
        "# Simulation study (SYNTHETIC data)\n\n"
        f"Headline model: case quality score per 10 points -> outcome, logistic, case mix adjusted. "
        f"{meta.get('replications', '?')} replications, seed {meta.get('seed', '?')}, "
        f"{meta.get('cases_per_pdu', '?')} cases per PDU, outcome PDU SD {meta.get('outcome_pdu_sd', '?')}; "
        f"{meta.get('seconds', float('nan')):.0f} s.\n\n"
    )
    paths[1].write_text(header + study_markdown(table), encoding="utf-8")
    if replicates is not None:
        paths.append(out / "simulation_replicates.csv")
        replicates.to_csv(paths[-1], index=False, encoding="utf-8", lineterminator="\n")
    return paths


def run_study(
    replications: int = 200,
    seed: int = 1,
    cases_per_pdu: int = 24,
    out_dir: str | Path | None = None,
    *,
    outcomes: Sequence[str] | None = None,
    models: Sequence[str] = ("robust", "gee", "mixed"),
    outcome_pdu_sd: float = 0.0,
    generator: Callable | None = None,
    write: bool = True,
    progress: bool = False,
) -> pd.DataFrame:
    """Run the simulation study and return its summary table (columns :data:`STUDY_COLUMNS`).

    Parameters
    ----------
    replications : int
        Number of simulated samples (the documented study uses 200).
    seed : int
        Master seed; replication seeds are drawn from ``numpy.random.SeedSequence(seed)``.
    cases_per_pdu : int
        Cases per PDU in each sample (108 PDUs).
    out_dir : path, optional
        Folder for ``simulation_study.csv``, ``.md`` and the replicates; default
        ``reports/validation`` under the project root.
    outcomes : sequence of str, optional
        Outcomes to study (default: every outcome in the generator's truth table).
    models : sequence of {"robust", "gee", "mixed", "none"}
        Cluster handling to compare.
    outcome_pdu_sd : float
        PDU random-intercept SD in the outcomes (default 0; above 0 the robust and GEE models
        estimate population-averaged effects, which are smaller than the conditional truth).
    generator : callable, optional
        ``generator(seed=..., cases_per_pdu=...)`` returning an object with ``.cases`` and
        ``.truth``; default :func:`analysis.synthetic.generate.simulate`.
    write : bool
        Write the tables (default True).
    progress : bool
        Show a progress bar (tqdm).

    Returns
    -------
    DataFrame
        The summary; ``attrs["study"]`` records the settings and run time.

    Raises
    ------
    ParameterError
        If ``replications`` is below 2.
    """
    check_replications(replications)
    if generator is None:
        from ..synthetic.generate import simulate as generator
    start = time.perf_counter()
    seeds = np.random.SeedSequence(seed).generate_state(replications)
    iterator = range(replications)
    if progress:
        from tqdm.auto import tqdm

        iterator = tqdm(iterator, desc="simulation study", unit="replication")
    frames = []
    for r in iterator:
        sample = _generate(generator, int(seeds[r]), cases_per_pdu, outcome_pdu_sd)
        chosen = (
            list(outcomes)
            if outcomes is not None
            else list(pd.unique(sample.truth.loc[sample.truth["term"] == TERM, "outcome"]))
        )
        rep = replicate(sample, outcomes=chosen, models=models)
        rep.insert(0, "replication", r)
        frames.append(rep)
    replicates = pd.concat(frames, ignore_index=True)
    table = summarise(replicates)
    table["cases_per_pdu"] = cases_per_pdu
    table["outcome_pdu_sd"] = float(outcome_pdu_sd)
    table["source"] = "synthetic"
    table = table[list(STUDY_COLUMNS)]
    table.attrs["synthetic"] = True
    table.attrs["study"] = {
        "replications": int(replications),
        "seed": int(seed),
        "cases_per_pdu": int(cases_per_pdu),
        "outcome_pdu_sd": float(outcome_pdu_sd),
        "models": list(models),
        "seconds": time.perf_counter() - start,
    }
    if write:
        write_study(
            table, out_dir if out_dir is not None else config.REPORTS_DIR / "validation", replicates
        )
    return table
