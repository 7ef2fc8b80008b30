"""Offending-related factors of the synthetic sample: which apply to each case, and two judgements.

SYNTHETIC DATA. Part of :mod:`analysis.synthetic.generate` (kept in its own module so that each stays
short); the model is in ``docs/methods.md`` ("Synthetic data", step 8).

For case *i* and factor *f*:

1. the factor applies with probability ``prevalence_f`` (independent of everything else);
2. sufficient interventions were delivered with probability
   ``logistic(intervention_intercept_f + INTERVENTION_PER_LATENT * c_i)``, where ``c_i`` is the
   case's latent practice quality (the same latent that drives its key-question answers);
3. sufficient progress was made with probability
   ``logistic(progress_intercept_f + log_or_f * sufficient_intervention)``.

Practice quality reaches progress only through the intervention, so the 2x2 odds ratio of
progress by intervention (:func:`analysis.models.factor_associations`) estimates ``exp(log_or_f)``
without confounding. The intercepts are solved so that the expected % sufficient intervention
and % sufficient progress equal the targets (the 2013 table).

>>> params = factor_parameters(latent_sd=1.0)
>>> params.loc["accommodation", ["prevalence", "pct_intervention", "pct_progress"]].tolist()
[0.2857142857142857, 86.0, 71.0]
>>> bool(abs(expected_pcts(params, 1.0) - params[["pct_intervention", "pct_progress"]]).max().max() < 1e-3)
True
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd

from .. import config
from ..data import schemas as _s

__all__ = [
    "FACTOR_SAMPLE_2013",
    "FINANCE_ASSUMED",
    "factor_targets",
    "FACTOR_LOG_OR",
    "INTERVENTION_PER_LATENT",
    "factor_parameters",
    "expected_pcts",
    "simulate_factors",
    "factor_truth_rows",
    "factor_truth",
]

FACTOR_SAMPLE_2013 = 49
"""Cases inspected in York and North Yorkshire, 2013 (seed 002, section 1.3)."""

FINANCE_ASSUMED = (6, 50, 40)
"""``finance`` is not in the 2013 table: ASSUMED to apply in fewer cases than ETE's 8, with
interventions and progress near the table's middle."""


@cache
def factor_targets() -> dict[str, tuple[int, int, int]]:
    """Targets per factor: (cases of the 49 where it applied, % sufficient interventions,
    % sufficient progress).

    Read from the published York and North Yorkshire 2013 table
    (``data/raw/published/offending_factors_2013.csv``, seed 002), plus ``finance``
    (:data:`FINANCE_ASSUMED`), in :data:`analysis.data.schemas.OFFENDING_FACTORS` order.
    """
    path = config.RAW_DIR / "published" / "offending_factors_2013.csv"
    table = pd.read_csv(path, encoding="utf-8-sig")
    columns = ["n_cases", "pct_interventions_sufficient", "pct_progress_sufficient"]
    published = {row.factor: tuple(int(v) for v in row[columns]) for _, row in table.iterrows()}
    targets = {**published, "finance": FINANCE_ASSUMED}
    return {f: targets[f] for f in _s.OFFENDING_FACTORS}


FACTOR_LOG_OR = dict.fromkeys(_s.OFFENDING_FACTORS, 1.5)
"""True log odds ratio of sufficient progress given sufficient intervention, per factor (one
common value, odds ratio about 4.5: an assumption; no published table gives the 2x2 counts)."""

INTERVENTION_PER_LATENT = 1.0
"""Log odds ratio of sufficient intervention per unit of latent practice quality (the same scale
as a key question's answer, whose log odds move one for one with the latent)."""


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _bisect(fn, target: np.ndarray, low=-12.0, high=12.0, steps=80) -> np.ndarray:
    """Solve ``fn(x) = target`` elementwise for an increasing ``fn`` by bisection."""
    lo, hi = np.full_like(target, low), np.full_like(target, high)
    for _ in range(steps):
        mid = (lo + hi) / 2
        below = fn(mid) < target
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    return (lo + hi) / 2


@cache
def _quadrature(points: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Hermite nodes and weights for the standard normal (weights sum to 1)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(points)
    return nodes, weights / weights.sum()


def _mean_over_latent(intercept: np.ndarray, latent_sd: float) -> np.ndarray:
    """E[logistic(intercept + slope * c)] for c ~ Normal(0, latent_sd), by Gauss-Hermite."""
    nodes, weights = _quadrature()
    eta = intercept[:, None] + INTERVENTION_PER_LATENT * latent_sd * nodes[None, :]
    return _expit(eta) @ weights


def factor_parameters(latent_sd: float) -> pd.DataFrame:
    """Per-factor prevalence, targets, true log odds ratio and the intercepts that meet the targets.

    Parameters
    ----------
    latent_sd : float
        SD of the cases' latent practice quality across the sample (logit scale).

    Returns
    -------
    DataFrame
        Indexed by factor (in :data:`analysis.data.schemas.OFFENDING_FACTORS` order): prevalence,
        pct_intervention, pct_progress, log_or, intervention_intercept, progress_intercept.
    """
    factors = list(_s.OFFENDING_FACTORS)
    targets = factor_targets()
    t = np.array([targets[f] for f in factors], dtype=float)
    p_int, p_prog = t[:, 1] / 100, t[:, 2] / 100
    log_or = np.array([FACTOR_LOG_OR[f] for f in factors])
    int_icpt = _bisect(lambda x: _mean_over_latent(x, latent_sd), p_int)
    prog_icpt = _bisect(lambda x: p_int * _expit(x + log_or) + (1 - p_int) * _expit(x), p_prog)
    # Rounded so that the truth table does not depend on the last bits of floating point.
    int_icpt, prog_icpt = np.round(int_icpt, 6) + 0.0, np.round(prog_icpt, 6) + 0.0
    return pd.DataFrame(
        {
            "prevalence": t[:, 0] / FACTOR_SAMPLE_2013,
            "pct_intervention": t[:, 1],
            "pct_progress": t[:, 2],
            "log_or": log_or,
            "intervention_intercept": int_icpt,
            "progress_intercept": prog_icpt,
        },
        index=pd.Index(factors, name="factor"),
    )


def expected_pcts(params: pd.DataFrame, latent_sd: float) -> pd.DataFrame:
    """Expected % sufficient intervention and % sufficient progress implied by ``params``."""
    p_int = _mean_over_latent(params["intervention_intercept"].to_numpy(), latent_sd)
    icpt, log_or = params["progress_intercept"].to_numpy(), params["log_or"].to_numpy()
    p_prog = p_int * _expit(icpt + log_or) + (1 - p_int) * _expit(icpt)
    return pd.DataFrame(
        {"pct_intervention": 100 * p_int, "pct_progress": 100 * p_prog}, index=params.index
    )


def simulate_factors(
    rng: np.random.Generator, latent: np.ndarray, cases: pd.DataFrame, latent_sd: float
) -> pd.DataFrame:
    """Long table of factors per case: case_id, region, pdu, factor, two judgements, source.

    ``rng`` is the generator's own child stream, so that drawing factors leaves every other
    synthetic table exactly as it was; ``latent`` is each case's latent practice quality.
    """
    params = factor_parameters(latent_sd)
    n, k = len(latent), len(params)
    applies = np.empty((n, k), dtype=bool)
    intervention = np.empty((n, k), dtype=bool)
    progress = np.empty((n, k), dtype=bool)
    for j, p in enumerate(params.itertuples()):
        applies[:, j] = rng.random(n) < p.prevalence
        eta = p.intervention_intercept + INTERVENTION_PER_LATENT * latent
        intervention[:, j] = rng.random(n) < _expit(eta)
        progress[:, j] = rng.random(n) < _expit(
            p.progress_intercept + p.log_or * intervention[:, j]
        )
    case_at, factor_at = np.nonzero(applies)  # case order, then factor order
    frame = pd.DataFrame(
        {
            "case_id": cases["case_id"].to_numpy()[case_at].astype(str),
            "region": _take(cases["region"], case_at),
            "pdu": _take(cases["pdu"], case_at),
            "factor": pd.Categorical.from_codes(
                factor_at, dtype=_s.CATEGORY_DTYPES["offending_factor"]
            ),
            "sufficient_intervention": pd.array(intervention[case_at, factor_at], dtype="boolean"),
            "sufficient_progress": pd.array(progress[case_at, factor_at], dtype="boolean"),
            "source": pd.Categorical(["synthetic"] * len(case_at)),
        }
    )
    frame.attrs["synthetic"] = True
    return frame


def _take(column: pd.Series, at: np.ndarray) -> pd.Categorical:
    values = column.astype("category")
    return pd.Categorical.from_codes(values.cat.codes.to_numpy()[at], dtype=values.dtype)


def factor_truth_rows(latent_sd: float) -> list[tuple]:
    """Rows (outcome, term, true_value, scale, description) of the truth table for the factors."""
    params = factor_parameters(latent_sd)
    rows = [
        (
            "sufficient_intervention",
            "latent_practice_quality",
            INTERVENTION_PER_LATENT,
            "log_odds_ratio",
            "Log odds ratio of sufficient intervention on a factor per unit of the case's latent practice quality (logit scale)",
        ),
    ]
    for f, p in params.iterrows():
        rows += [
            (
                "sufficient_progress",
                f"sufficient_intervention [{f}]",
                float(p["log_or"]),
                "log_odds_ratio",
                f"Log odds ratio of sufficient progress on {f} given sufficient intervention (the odds ratio factor_associations estimates)",
            ),
            (
                "sufficient_progress",
                f"intercept [{f}]",
                float(p["progress_intercept"]),
                "log_odds",
                f"Log odds of sufficient progress on {f} without sufficient intervention (solved to meet {p['pct_progress']:g}% sufficient progress)",
            ),
            (
                "sufficient_intervention",
                f"intercept [{f}]",
                float(p["intervention_intercept"]),
                "log_odds",
                f"Log odds of sufficient intervention on {f} at latent practice quality 0 (solved to meet {p['pct_intervention']:g}% sufficient intervention)",
            ),
            (
                "factor_applies",
                f"prevalence [{f}]",
                float(p["prevalence"]),
                "probability",
                f"Probability that {f} applies to a case",
            ),
        ]
    return rows


def factor_truth(truth: pd.DataFrame) -> pd.DataFrame:
    """True odds ratio per factor from a truth table: [factor, true_log_odds_ratio, true_odds_ratio].

    >>> from analysis.synthetic.generate import simulate
    >>> factor_truth(simulate(seed=1, cases_per_pdu=1).truth).head(2)
                       factor  true_log_odds_ratio  true_odds_ratio
    0  thinking and behaviour                  1.5         4.481689
    1          alcohol misuse                  1.5         4.481689
    """
    rows = truth[
        (truth["outcome"] == "sufficient_progress")
        & truth["term"].str.startswith("sufficient_intervention [")
    ]
    out = pd.DataFrame(
        {
            "factor": rows["term"].str.slice(len("sufficient_intervention ["), -1).to_numpy(),
            "true_log_odds_ratio": rows["true_value"].astype(float).to_numpy(),
        }
    )
    out["true_odds_ratio"] = np.exp(out["true_log_odds_ratio"])
    out.attrs["synthetic"] = True
    return out
