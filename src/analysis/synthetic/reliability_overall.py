"""Are overall-rating probabilities calibrated? The overall part of the rating-probability study.

Each replication draws units as :func:`analysis.synthetic.reliability.draw_population` does
(``published``: the four case-based standards of a unit independent; ``shared``: they share a
unit effect), rates every standard, adds the three domain-one standards as fixed ratings of
Requires improvement (3 points, so a unit is Inadequate overall exactly when all four
case-based standards are Inadequate, as York was) and places the sum in the framework's overall
band. The probability of that overall rating is computed three ways:

* ``independent``: convolution of the standards' independent Jeffreys probabilities;
* ``pooled``: convolution of the pooled model's standard probabilities (standards treated as
  independent: the model before the joint one);
* ``joint``: the joint model of :mod:`analysis.ratings.joint` (standards move together).

``near_edge`` is ``"I/RI"`` where the true overall score is within one point of the
Inadequate / Requires improvement boundary.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import ParameterError
from ..ratings.joint import joint_scores
from ..ratings.uncertainty import band_probabilities
from .reliability import EDGES, FRAMEWORK, SCENARIOS, draw_population, rating_counts

__all__ = ["OVERALL_METHODS", "DOMAIN_ONE_POINTS", "simulate_overall"]

OVERALL_METHODS = ("independent", "pooled", "joint")
DOMAIN_ONE_POINTS = 3
"""Points of the three domain-one standards, fixed (each Requires improvement)."""


def _convolve(probs: np.ndarray, n_units: int, n_standards: int, scores) -> np.ndarray:
    """Distribution of the summed scores; ``probs`` (standards·units, bands), standard-major."""
    top = max(scores) * n_standards
    dist = np.zeros((n_units, top + 1))
    dist[:, 0] = 1.0
    for s in range(n_standards):
        p = probs[s * n_units : (s + 1) * n_units]
        new = np.zeros_like(dist)
        for b, shift in enumerate(scores):
            new[:, shift:] += dist[:, : top + 1 - shift] * p[:, [b]]
        dist = new
    return dist


def simulate_overall(
    scenario: str,
    n_cases: int,
    replications: int,
    *,
    n_units: int = 100,
    methods=OVERALL_METHODS,
    seed: int = 20242,
    draws: int = 1024,
) -> pd.DataFrame:
    """One row per unit, replication and method: the overall rating, its probability, the truth.

    Returns
    -------
    DataFrame
        ``[scenario, n_cases, method, replication, unit, true_band, rating_band, p_computed,
        right, brier, near_edge, p_inadequate, true_score]``; bands 0 (Inadequate) to 3.
    """
    if scenario not in SCENARIOS:
        raise ParameterError(f"scenario {scenario!r} is not one of {', '.join(SCENARIOS)}.")
    unknown = sorted(set(methods) - set(OVERALL_METHODS))
    if unknown or replications < 1:
        raise ParameterError(
            f"methods must be among {', '.join(OVERALL_METHODS)} (got {unknown}) and "
            f"replications 1 or more (got {replications})."
        )
    fw = _fw.get(FRAMEWORK)
    scores = [fw.rating_scores[r] for r in reversed(_fw.RATINGS)]  # worst band first
    lowers = np.array([lo for _, lo in reversed(fw.overall_bands)])
    n_std = len(fw.case_based_standards)
    rng = np.random.default_rng([seed, SCENARIOS.index(scenario), n_cases])
    frames = []
    for rep in range(replications):
        c = rating_counts(draw_population(scenario, n_units, n_cases, rng), n_units)
        score = np.asarray(scores)
        true_total = DOMAIN_ONE_POINTS + score[c["true_band"]].reshape(n_std, n_units).sum(0)
        rated_total = DOMAIN_ONE_POINTS + score[c["rating_band"]].reshape(n_std, n_units).sum(0)
        true_band = np.searchsorted(lowers, true_total, side="right") - 1
        rating_band = np.searchsorted(lowers, rated_total, side="right") - 1
        band_of_total = (
            np.searchsorted(lowers, np.arange(DOMAIN_ONE_POINTS + 3 * n_std + 1), side="right") - 1
        )
        for method in methods:
            if method == "joint":
                j = joint_scores(**c["rows"], edges=EDGES, scores=scores, rng=rep, draws=draws)
                case_dist = j.distribution.to_numpy()
            else:
                probs = band_probabilities(
                    **c["rows"], edges=EDGES, method=method, rng=rep, draws=draws
                )
                case_dist = _convolve(probs, n_units, n_std, scores)
            total_dist = np.zeros((n_units, band_of_total.size))
            total_dist[:, DOMAIN_ONE_POINTS:] = case_dist
            band_probs = np.stack(
                [total_dist[:, band_of_total == b].sum(1) for b in range(len(lowers))], axis=1
            )
            onehot = np.eye(len(lowers))[true_band]
            frames.append(
                pd.DataFrame(
                    {
                        "scenario": scenario,
                        "n_cases": n_cases,
                        "method": method,
                        "replication": rep,
                        "unit": np.arange(n_units),
                        "true_band": true_band,
                        "rating_band": rating_band,
                        "p_computed": band_probs[np.arange(n_units), rating_band],
                        "right": rating_band == true_band,
                        "brier": np.sum((band_probs - onehot) ** 2, axis=1),
                        "near_edge": np.where(
                            np.abs(true_total - lowers[1] + 0.5) <= 1.5, "I/RI", ""
                        ),
                        "p_inadequate": band_probs[:, 0],
                        "true_score": true_total,
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
