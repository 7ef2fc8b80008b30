"""Are rating probabilities calibrated? A simulation study with known true ratings.

Each replication draws a population of units (true key-question proportions), samples cases,
rates every case-supervision standard with the published rule (band of the lowest observed
percentage) and computes the probability of that rating under each method of
:mod:`analysis.ratings.uncertainty`. A method is calibrated when, among ratings given with
probability p, the share that equal the true band (band of the lowest true proportion) is about
p; the ``borderline`` flag promises that ratings with P(true band differs) < 0.2 are right at
least 80% of the time.

Scenarios (:data:`SCENARIOS`):

* ``equal``: every key question of every standard at 0.55 (true band Requires improvement);
* ``equal_varied``: a standard's key questions equal to each other, at a level that varies
  between units (logit N(logit 0.55, 0.5²)), so true bands vary;
* ``generator``: the population of :mod:`analysis.synthetic.generate` (its ``PRACTICE`` and
  ``CASE_MIX`` parameters): a PDU effect and a case effect shared by all key questions of a
  case, so answers on the same case are correlated;
* ``published``: true proportions drawn from the national prior built from published figures
  (:func:`analysis.ratings.uncertainty.national_prior`), whose true standard ratings are mostly
  Inadequate, as published.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .. import frameworks as _fw
from ..exceptions import ParameterError
from ..ratings.uncertainty import band_probabilities, national_prior

__all__ = [
    "SCENARIOS",
    "SAMPLE_SIZES",
    "STUDY_METHODS",
    "Population",
    "draw_population",
    "simulate_ratings",
    "reliability_table",
    "calibration_summary",
]

SCENARIOS = ("equal", "equal_varied", "generator", "published")
SAMPLE_SIZES = (20, 40, 80)
STUDY_METHODS = ("independent", "pooled", "pooled_cases", "national")
"""``pooled_cases`` is the pooled model given the case-level answers."""
_FRAMEWORK = "pdu-2023"
_EDGES = (0.0, 0.5, 0.65, 0.8)


@dataclass(frozen=True)
class Population:
    """One simulated population: true proportions (U, K) per standard and case answers.

    ``answers[s]`` has shape (U, n_cases, K): 1 yes, 0 no, NaN not applicable.
    """

    truth: dict[str, np.ndarray]
    answers: dict[str, np.ndarray]


def _generator_truth(centre: np.ndarray) -> np.ndarray:
    """Expected share of yes answers over a PDU's cases in the generator's model.

    ``centre`` is each PDU's logit for each key question before case-level noise (PDU level,
    area and stage effects, PDU-by-key-question deviation); cases add normal noise with SD
    ``hypot(case_sd, kq_sd)``, integrated here by Gauss-Hermite quadrature.
    """
    from .parameters import PRACTICE

    sd = np.hypot(PRACTICE["case_sd"], PRACTICE["kq_sd"])
    nodes, weights = np.polynomial.hermite_e.hermegauss(40)
    weights = weights / weights.sum()
    return special.expit(centre[..., None] + sd * nodes) @ weights


def draw_population(
    scenario: str, n_units: int, n_cases: int, rng: np.random.Generator
) -> Population:
    """Draw true proportions and case answers for ``n_units`` units of ``n_cases`` cases.

    Raises
    ------
    ParameterError
        Unknown scenario, or fewer than one unit or case.
    """
    if scenario not in SCENARIOS:
        raise ParameterError(f"scenario {scenario!r} is not one of {', '.join(SCENARIOS)}.")
    if n_units < 1 or n_cases < 1:
        raise ParameterError(f"n_units and n_cases must be 1 or more, got {n_units}, {n_cases}.")
    fw = _fw.get(_FRAMEWORK)
    truth, answers = {}, {}
    if scenario == "generator":
        from .parameters import PRACTICE

        pdu_sd = np.sqrt(
            sum(PRACTICE[k] ** 2 for k in ("pdu_sd", "vacancy_effect", "workload_effect"))
        )
        level = rng.normal(0, pdu_sd, n_units)
        case = level[:, None] + rng.normal(0, PRACTICE["case_sd"], (n_units, n_cases))
        no_review = rng.random((n_units, n_cases)) < PRACTICE["reviewing_not_due"]
    for s in fw.case_based_standards:
        kqs = [k for k in fw.key_questions if k.standard == s]
        shape = (n_units, n_cases, len(kqs))
        if scenario.startswith("equal"):
            spread = rng.normal(0, 0.5, (n_units, 1)) * (scenario == "equal_varied")
            theta = np.repeat(special.expit(special.logit(0.55) + spread), len(kqs), axis=1)
            prob = np.broadcast_to(theta[:, None, :], shape)
        elif scenario == "published":
            mean, cov = national_prior([k.id for k in kqs], _FRAMEWORK)
            theta = special.expit(rng.multivariate_normal(mean, cov, n_units))
            prob = np.broadcast_to(theta[:, None, :], shape)
        else:
            base = np.array(
                [PRACTICE["area_intercept"][k.area] + PRACTICE["stage_effect"][s] for k in kqs]
            )
            pdu_kq = rng.normal(0, PRACTICE["pdu_kq_sd"], (n_units, len(kqs)))
            theta = _generator_truth(level[:, None] + base + pdu_kq)
            eta = case[:, :, None] + base + pdu_kq[:, None, :]
            prob = special.expit(eta + rng.normal(0, PRACTICE["kq_sd"], shape))
        ans = (rng.random(shape) < prob).astype(float)
        if scenario == "generator" and s == "reviewing":
            ans[no_review] = np.nan
        truth[s], answers[s] = theta, ans
    return Population(truth, answers)


def _band(values: np.ndarray) -> np.ndarray:
    return np.searchsorted(np.asarray(_EDGES), values, side="right") - 1


def simulate_ratings(
    scenario: str,
    n_cases: int,
    replications: int,
    *,
    n_units: int = 100,
    methods=STUDY_METHODS,
    seed: int = 20241,
    draws: int = 1024,
) -> pd.DataFrame:
    """Rate simulated populations with each method; one row per rating.

    Returns
    -------
    DataFrame
        ``[scenario, n_cases, method, replication, unit, standard, true_band, rating_band,
        p_computed, right, brier]``; bands are 0 (Inadequate) to 3 (Outstanding); ``brier`` is
        the squared error of the four band probabilities against the true band.
    """
    if scenario not in SCENARIOS:
        raise ParameterError(f"scenario {scenario!r} is not one of {', '.join(SCENARIOS)}.")
    unknown = sorted(set(methods) - set(STUDY_METHODS))
    if unknown or replications < 1:
        raise ParameterError(
            f"methods must be among {', '.join(STUDY_METHODS)} (got {unknown}) and "
            f"replications 1 or more (got {replications})."
        )
    rng = np.random.default_rng([seed, SCENARIOS.index(scenario), n_cases])
    fw = _fw.get(_FRAMEWORK)
    frames = []
    for rep in range(replications):
        pop = draw_population(scenario, n_units, n_cases, rng)
        rows = {"unit": [], "standard": [], "key_question": [], "n_yes": [], "n": []}
        truth, observed, case_frames = [], [], []
        for s in fw.case_based_standards:
            kqs = [k.id for k in fw.key_questions if k.standard == s]
            ans = pop.answers[s]
            n_yes, n_app = np.nansum(ans, axis=1), np.sum(~np.isnan(ans), axis=1)
            rows["unit"] += np.repeat(np.arange(n_units), len(kqs)).tolist()
            rows["standard"] += [s] * (n_units * len(kqs))
            rows["key_question"] += kqs * n_units
            rows["n_yes"] += n_yes.ravel().tolist()
            rows["n"] += n_app.ravel().tolist()
            truth.append(_band(pop.truth[s].min(axis=1)))
            with np.errstate(invalid="ignore"):
                observed.append(_band(np.nanmin(np.where(n_app > 0, n_yes / n_app, np.nan), 1)))
            flat = ans.reshape(-1, len(kqs))
            case_frames.append(pd.DataFrame(flat, columns=kqs))
        cases = pd.concat(case_frames, axis=1)
        cases["unit"] = np.repeat(np.arange(n_units), n_cases)
        true_band, rating_band = np.concatenate(truth), np.concatenate(observed)
        for method in methods:
            probs = band_probabilities(
                rows["n_yes"],
                rows["n"],
                rows["unit"],
                rows["standard"],
                rows["key_question"],
                _EDGES,
                method="pooled" if method == "pooled_cases" else method,
                cases=cases if method == "pooled_cases" else None,
                rng=rep,
                draws=draws,
                min_units=30,
                framework=_FRAMEWORK,
            )
            # groups are (unit, standard) in first-appearance order: standard-major here
            onehot = np.eye(len(_EDGES))[true_band]
            frames.append(
                pd.DataFrame(
                    {
                        "scenario": scenario,
                        "n_cases": n_cases,
                        "method": method,
                        "replication": rep,
                        "unit": np.tile(np.arange(n_units), len(truth)),
                        "standard": np.repeat(fw.case_based_standards, n_units),
                        "true_band": true_band,
                        "rating_band": rating_band,
                        "p_computed": probs[np.arange(len(probs)), rating_band],
                        "right": rating_band == true_band,
                        "brier": np.sum((probs - onehot) ** 2, axis=1),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)


def _bins(p: pd.Series, n_bins: int) -> pd.Series:
    return np.minimum((p.to_numpy() * n_bins).astype(int), n_bins - 1)


def reliability_table(ratings: pd.DataFrame, n_bins: int = 10) -> pd.DataFrame:
    """Share right per bin of ``p_computed``.

    Returns
    -------
    DataFrame
        ``[scenario, n_cases, method, bin_low, bin_high, n_ratings, mean_p, share_right]``;
        ``n_cases`` is ``"all"`` when the input mixes sample sizes and is grouped over them
        (pass a frame with one sample size to keep it).
    """
    df = ratings.assign(_bin=_bins(ratings["p_computed"], n_bins))
    keys = ["scenario", "n_cases", "method", "_bin"]
    out = (
        df.groupby(keys, observed=True, sort=True)
        .agg(
            n_ratings=("right", "size"),
            mean_p=("p_computed", "mean"),
            share_right=("right", "mean"),
        )
        .reset_index()
    )
    out["bin_low"] = out["_bin"] / n_bins
    out["bin_high"] = (out["_bin"] + 1) / n_bins
    cols = [
        "scenario",
        "n_cases",
        "method",
        "bin_low",
        "bin_high",
        "n_ratings",
        "mean_p",
        "share_right",
    ]
    return out[cols]


def _ratio_se(right: np.ndarray, count: np.ndarray) -> tuple[float, float]:
    """Share right = Σ right / Σ count over replications, with a between-replication SE."""
    total = count.sum()
    if total == 0:
        return np.nan, np.nan
    share = right.sum() / total
    r = len(count)
    if r < 2:
        return share, np.sqrt(share * (1 - share) / total)
    resid = right - share * count
    return share, float(np.sqrt(np.sum(resid**2) * r / (r - 1)) / total)


def calibration_summary(
    ratings: pd.DataFrame, borderline_at: float = 0.2, n_bins: int = 10
) -> pd.DataFrame:
    """Calibration error, Brier score and the borderline flag's promise per cell.

    Returns
    -------
    DataFrame
        ``[scenario, n_cases, method, n_ratings, share_right, mean_p, calibration_error, brier,
        share_not_borderline, right_when_not_borderline, se_right_when_not_borderline,
        promise_kept]``. ``calibration_error`` is the expected calibration error: the
        rating-weighted mean of |mean p − share right| over ``n_bins`` bins of ``p_computed``.
        ``se_right_when_not_borderline`` is the Monte Carlo SE over replications (ratings in one
        replication share a fitted model, so they are not independent). ``promise_kept``: share
        right when not borderline ≥ 1 − ``borderline_at`` − 2 SE.
    """
    rows = []
    for key, g in ratings.groupby(["scenario", "n_cases", "method"], sort=False):
        bins = _bins(g["p_computed"], n_bins)
        by_bin = g.groupby(bins).agg(
            n=("right", "size"), p=("p_computed", "mean"), r=("right", "mean")
        )
        ece = float(np.sum(by_bin["n"] * (by_bin["p"] - by_bin["r"]).abs()) / len(g))
        sure = g["p_computed"] > 1 - borderline_at
        per_rep = g.assign(_sure=sure, _ok=sure & g["right"]).groupby("replication")
        share, se = _ratio_se(
            per_rep["_ok"].sum().to_numpy(float), per_rep["_sure"].sum().to_numpy(float)
        )
        rows.append(
            (
                *key,
                len(g),
                g["right"].mean(),
                g["p_computed"].mean(),
                ece,
                g["brier"].mean(),
                sure.mean(),
                share,
                se,
                bool(np.isnan(share) or share >= 1 - borderline_at - 2 * (se if se > 0 else 0)),
            )
        )
    cols = [
        "scenario",
        "n_cases",
        "method",
        "n_ratings",
        "share_right",
        "mean_p",
        "calibration_error",
        "brier",
        "share_not_borderline",
        "right_when_not_borderline",
        "se_right_when_not_borderline",
        "promise_kept",
    ]
    return pd.DataFrame(rows, columns=cols)
