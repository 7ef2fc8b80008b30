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
  Inadequate, as published; the four standards of a unit independent;
* ``spread``: as ``published`` with every logit :data:`ROUND_SHIFT` higher, so that standard
  and overall ratings spread over the bands (a realistic round: about 13% of units Inadequate
  overall, many near the Inadequate / Requires improvement boundary);
* ``shared``: as ``spread``, but the standards of a unit share a unit effect (correlation
  0.35 between the logits of key questions of different standards, 0.5 within one), as real
  inspections suggest (York is Inadequate on all four);
* ``strong_alone``: every key question of a unit truly at 85-95% (uniform), each unit rated
  alone (the national prior, never a population of these units);
* ``better_region``: 12 units drawn from the ``published`` population with every logit 0.6
  higher, rated with the population fitted on 100 units drawn from ``published``
  (``population=``), as a region better than the national picture.

``right`` compares the rating with the true band; ``near_edge`` names the band edge (50, 65 or
80) within 4 points of the true lowest proportion, empty when none is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special

from .. import frameworks as _fw
from ..exceptions import ParameterError
from ..ratings.joint import joint_scores
from ..ratings.uncertainty import band_probabilities, edge_in_reach, fit_pooled, national_prior
from .reliability_summary import calibration_summary, edge_summary, reliability_table

__all__ = [
    "SCENARIOS",
    "SAMPLE_SIZES",
    "STUDY_METHODS",
    "Population",
    "draw_population",
    "simulate_ratings",
    "reliability_table",
    "calibration_summary",
    "edge_summary",
    "near_edge",
    "rating_counts",
    "EDGES",
    "FRAMEWORK",
]

SCENARIOS = (
    "equal",
    "equal_varied",
    "generator",
    "published",
    "spread",
    "shared",
    "strong_alone",
    "better_region",
)
SHARED_CORRELATION = 0.35
"""Correlation of a unit's true logits between key questions of different standards in the
``shared`` scenario."""
REGION_SHIFT = 0.6
"""Logit shift of every key question of the ``better_region`` units."""
ROUND_SHIFT = 1.2
"""Logit shift of every key question in the ``spread`` and ``shared`` scenarios: a national
round whose overall ratings spread over the bands (about 13% Inadequate overall)."""
REGION_UNITS = 12
EDGE_WINDOW = 0.04
SAMPLE_SIZES = (20, 40, 80)
STUDY_METHODS = ("independent", "pooled", "pooled_cases", "national")
"""``pooled_cases`` is the pooled model given the case-level answers."""
FRAMEWORK = "pdu-2023"
EDGES = _fw.get(FRAMEWORK).band_edges
"""Lower band bounds as fractions, worst band first, read from the framework's definition."""


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
    fw = _fw.get(FRAMEWORK)
    truth, answers = {}, {}
    if scenario == "generator":
        from .parameters import PRACTICE

        pdu_sd = np.sqrt(
            sum(PRACTICE[k] ** 2 for k in ("pdu_sd", "vacancy_effect", "workload_effect"))
        )
        level = rng.normal(0, pdu_sd, n_units)
        case = level[:, None] + rng.normal(0, PRACTICE["case_sd"], (n_units, n_cases))
        no_review = rng.random((n_units, n_cases)) < PRACTICE["reviewing_not_due"]
    shared = rng.normal(0, 1, (n_units, 1))
    for s in fw.case_based_standards:
        kqs = [k for k in fw.key_questions if k.standard == s]
        shape = (n_units, n_cases, len(kqs))
        if scenario in ("spread", "shared", "better_region"):
            mean, cov = national_prior([k.id for k in kqs], FRAMEWORK)
            sd, rho = np.sqrt(np.diag(cov)), cov[0, 1] / cov[0, 0]
            rho_u = SHARED_CORRELATION if scenario == "shared" else 0.0
            z = (
                np.sqrt(rho_u) * shared
                + np.sqrt(rho - rho_u) * rng.normal(0, 1, (n_units, 1))
                + np.sqrt(1 - rho) * rng.normal(0, 1, (n_units, len(kqs)))
            )
            shift = REGION_SHIFT if scenario == "better_region" else ROUND_SHIFT
            theta = special.expit(mean + shift + sd * z)
            prob = np.broadcast_to(theta[:, None, :], shape)
        elif scenario == "strong_alone":
            theta = rng.uniform(0.85, 0.95, (n_units, len(kqs)))
            prob = np.broadcast_to(theta[:, None, :], shape)
        elif scenario.startswith("equal"):
            spread = rng.normal(0, 0.5, (n_units, 1)) * (scenario == "equal_varied")
            theta = np.repeat(special.expit(special.logit(0.55) + spread), len(kqs), axis=1)
            prob = np.broadcast_to(theta[:, None, :], shape)
        elif scenario == "published":
            mean, cov = national_prior([k.id for k in kqs], FRAMEWORK)
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
    return np.searchsorted(np.asarray(EDGES), values, side="right") - 1


def rating_counts(pop: Population, n_units: int) -> dict:
    """Rows for the rating model, true and observed bands, true minima and case answers."""
    fw = _fw.get(FRAMEWORK)
    rows = {"unit": [], "standard": [], "key_question": [], "n_yes": [], "n": []}
    truth, observed, minima, seen, case_frames, ys, ms = [], [], [], [], [], [], []
    for s in fw.case_based_standards:
        kqs = [k.id for k in fw.key_questions if k.standard == s]
        ans = pop.answers[s]
        n_yes, n_app = np.nansum(ans, axis=1), np.sum(~np.isnan(ans), axis=1)
        rows["unit"] += np.repeat(np.arange(n_units), len(kqs)).tolist()
        rows["standard"] += [s] * (n_units * len(kqs))
        rows["key_question"] += kqs * n_units
        rows["n_yes"] += n_yes.ravel().tolist()
        rows["n"] += n_app.ravel().tolist()
        ys.append(n_yes)
        ms.append(n_app)
        minima.append(pop.truth[s].min(axis=1))
        truth.append(_band(minima[-1]))
        with np.errstate(invalid="ignore"):
            seen.append(np.nanmin(np.where(n_app > 0, n_yes / n_app, np.nan), 1))
        observed.append(_band(seen[-1]))
        case_frames.append(pd.DataFrame(ans.reshape(-1, len(kqs)), columns=kqs))
    cases = pd.concat(case_frames, axis=1)
    cases["unit"] = np.repeat(np.arange(n_units), ans.shape[1])
    return {
        "rows": rows,
        "cases": cases,
        "true_band": np.concatenate(truth),
        "rating_band": np.concatenate(observed),
        "true_min": np.concatenate(minima),
        "observed_min": np.concatenate(seen),
        "Y": np.concatenate(ys),
        "M": np.concatenate(ms),
    }


def near_edge(true_min: np.ndarray, window: float = EDGE_WINDOW) -> np.ndarray:
    """The band edge (``"50"``, ``"65"``, ``"80"``) within ``window`` of each true minimum, or ``""``."""
    inner = np.asarray(EDGES[1:])
    dist = np.abs(np.asarray(true_min)[:, None] - inner[None])
    nearest = dist.argmin(axis=1)
    labels = np.array([f"{100 * e:.0f}" for e in inner])[nearest]
    return np.where(dist.min(axis=1) < window, labels, "")


def simulate_ratings(
    scenario: str,
    n_cases: int,
    replications: int,
    *,
    n_units: int = 100,
    methods=STUDY_METHODS,
    seed: int = 20241,
    draws: int = 1024,
    keep_probabilities: bool = False,
) -> pd.DataFrame:
    """Rate simulated populations with each method; one row per rating.

    ``strong_alone`` units are rated alone (the national prior; ``pooled`` then borrows across
    the unit's standards through the joint model, as :func:`analysis.ratings.standard_ratings`
    does for a unit rated on the national prior); ``better_region`` rates
    :data:`REGION_UNITS` units with the population fitted on ``n_units`` national units.

    Returns
    -------
    DataFrame
        ``[scenario, n_cases, method, replication, unit, standard, true_band, rating_band,
        p_computed, right, brier, near_edge, edge_flag]`` (with ``keep_probabilities`` also ``p0`` to ``p3``,
        the band probabilities worst first); bands are 0 (Inadequate) to 3 (Outstanding);
        ``brier`` is the squared error of the four band probabilities against the true band.
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
    fw = _fw.get(FRAMEWORK)
    alone = scenario == "strong_alone"
    frames = []
    for rep in range(replications):
        population = None
        units = n_units
        if scenario == "better_region":
            national = rating_counts(draw_population("published", n_units, n_cases, rng), n_units)
            population = fit_pooled(**national["rows"], min_units=30, framework=FRAMEWORK)
            units = REGION_UNITS
        c = rating_counts(draw_population(scenario, units, n_cases, rng), units)
        true_band, rating_band = c["true_band"], c["rating_band"]
        for method in methods:
            probs = band_probabilities(
                **c["rows"],
                edges=EDGES,
                method="pooled" if method == "pooled_cases" else method,
                cases=c["cases"] if method == "pooled_cases" else None,
                rng=rep,
                draws=draws,
                min_units=10**9 if alone else 30,
                min_shift_units=10**9 if alone else 5,
                framework=FRAMEWORK,
                population=population,
            )
            if alone and method == "pooled":  # as standard_ratings: borrow across standards
                joint = joint_scores(
                    **c["rows"],
                    edges=EDGES,
                    scores=(0, 1, 2, 3),
                    rng=rep,
                    draws=draws,
                    min_units=10**9,
                    min_shift_units=10**9,
                    framework=FRAMEWORK,
                )
                probs = np.concatenate(
                    [joint.band_probabilities[:, j] for j in range(len(joint.standards))]
                )
            # groups are (unit, standard) in first-appearance order: standard-major here
            onehot = np.eye(len(EDGES))[true_band]
            frame = pd.DataFrame(
                {
                    "scenario": scenario,
                    "n_cases": n_cases,
                    "method": method,
                    "replication": rep,
                    "unit": np.tile(np.arange(units), len(fw.case_based_standards)),
                    "standard": np.repeat(fw.case_based_standards, units),
                    "true_band": true_band,
                    "rating_band": rating_band,
                    "p_computed": probs[np.arange(len(probs)), rating_band],
                    "right": rating_band == true_band,
                    "brier": np.sum((probs - onehot) ** 2, axis=1),
                    "near_edge": near_edge(c["true_min"]),
                    "estimate_near_edge": near_edge(c["observed_min"]),
                    "edge_flag": edge_in_reach(c["Y"], c["M"], rating_band, EDGES),
                }
            )
            if keep_probabilities:
                for b in range(len(EDGES)):
                    frame[f"p{b}"] = probs[:, b]
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)
