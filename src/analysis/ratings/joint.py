"""Overall-rating probabilities with the standards of a unit moving together.

The overall score is the sum of the standards' scores. Convolving each standard's band
probabilities treats the standards as independent; real units are not like that (York is
Inadequate on all four case-supervision standards): a unit whose practice is weak tends to be
weak everywhere, so its standards' true bands move together, and the independent convolution
is over-confident exactly near an overall band edge.

Here all key questions of all case-based standards of a unit are modelled jointly, on the logit
scale, with the pooled model of :mod:`analysis.ratings.uncertainty` over the whole vector:
``θ_u ~ N(μ, Σ)`` with an unrestricted covariance between every pair of key questions, so a
shared unit effect appears as correlation between the key questions of different standards.
``μ`` and ``Σ`` are fitted across the units rated together (at least ``min_units``), or come
from the national prior (:func:`~analysis.ratings.uncertainty.national_prior`, correlation
:data:`~analysis.ratings.uncertainty.PRIOR_CORRELATION` between every pair of key questions,
within a standard or not), moved and widened as the units' own data ask (a shift shared by
every key question of the unit among the ways to widen). Weighted posterior
draws of the whole vector give, per draw, the band of every standard and so the sum of their
scores: the distribution of the case-based part of the overall score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special
from scipy.stats import qmc

from .posterior import posterior_draws, widened, widenings
from .uncertainty import fit_pooled

__all__ = ["JointScores", "joint_scores", "borrow", "case_based_joint"]

_ALL = "__all_standards__"


@dataclass(frozen=True)
class JointScores:
    """Result of :func:`joint_scores`.

    ``distribution`` has one row per unit (index: unit label) and one column per case-based
    score 0..3·S: the probability of each sum of the S standards' scores (NaN where a standard
    has no applicable case). ``band_probabilities`` is (units, S, bands), worst band first, in
    the order of ``standards``. ``pooled_towards`` says what the joint model was fitted to.
    """

    distribution: pd.DataFrame
    band_probabilities: np.ndarray
    standards: tuple[str, ...]
    pooled_towards: str


def joint_scores(
    n_yes,
    n,
    unit,
    standard,
    key_question,
    edges,
    scores,
    *,
    method: str = "pooled",
    cases: pd.DataFrame | None = None,
    rng: int | None = None,
    draws: int = 2048,
    min_units: int = 30,
    min_shift_units: int = 5,
    framework="pdu-2023",
) -> JointScores:
    """Joint posterior of all standards of each unit; the distribution of their summed scores.

    Parameters
    ----------
    n_yes, n, unit, standard, key_question
        As :func:`~analysis.ratings.uncertainty.fit_pooled` (one row per unit and key question).
    edges : sequence of float
        Band lower bounds as proportions, worst band first, starting at 0.
    scores : sequence of int
        Score of each band, worst band first (e.g. 0, 1, 2, 3).
    method : {"pooled", "national"}
    cases, min_units, min_shift_units, framework
        As :func:`~analysis.ratings.uncertainty.fit_pooled`.
    rng : int, optional
        Seed of the scrambled Sobol draws (default 0).
    draws : int
        Importance-sampling draws per unit (rounded up to a power of 2).

    Returns
    -------
    JointScores
    """
    std_arr = np.asarray(standard, dtype=object)
    kq_arr = np.asarray(key_question, dtype=object)
    model = fit_pooled(
        n_yes,
        n,
        unit,
        np.full(len(std_arr), _ALL, dtype=object),
        key_question,
        method=method,
        cases=cases,
        min_units=min_units,
        framework=framework,
        min_shift_units=min_shift_units,
    )
    sm = model.standards[_ALL]
    g, Y, M, ell, obs, V = model.data[_ALL]
    standards = tuple(pd.unique(std_arr))
    of_kq = dict(zip(kq_arr, std_arr, strict=True))
    members = [np.array([of_kq[k] == s for k in sm.key_questions]) for s in standards]
    edges = np.asarray(edges, dtype=float)
    cuts = special.logit(edges[1:])
    score_of_band = np.asarray(scores, dtype=int)
    top = int(score_of_band.max()) * len(standards)
    k = sm.mean.size
    sobol = qmc.Sobol(d=k, scramble=True, seed=np.random.default_rng(0 if rng is None else rng))
    z = special.ndtri(np.clip(sobol.random_base2(int(np.ceil(np.log2(max(draws, 2))))), 1e-12, 1))
    dist = np.full((Y.shape[0], top + 1), np.nan)
    bands = np.full((Y.shape[0], len(standards), edges.size), np.nan)
    scale = model.groups["prior_scale"].to_numpy()[g]
    common = model.groups["prior_shared"].to_numpy()[g]
    for mask, lam, tau2 in widenings(scale, common):
        rows = np.flatnonzero(mask)
        cov = widened(sm.cov, lam, tau2)
        for sl, theta, weight in posterior_draws(
            sm.centre(), cov, Y[rows], M[rows], ell[rows], obs[rows], V[rows], z
        ):
            idx = rows[sl]
            total = np.zeros(theta.shape[:2], dtype=int)
            complete = np.ones(len(idx), dtype=bool)
            for j, member in enumerate(members):
                use = obs[idx][:, None, :] & member[None, None, :]
                low = np.min(np.where(use, theta, np.inf), axis=2)
                band = np.searchsorted(cuts, low, side="right")
                complete &= use.any(axis=2)[:, 0]
                total += score_of_band[band]
                for b in range(edges.size):
                    bands[idx, j, b] = np.sum(weight * (band == b), axis=1)
            for s_ in range(top + 1):
                dist[idx, s_] = np.sum(weight * (total == s_), axis=1)
            dist[idx[~complete]] = np.nan
    for j, member in enumerate(members):
        none = ~(obs & member[None, :]).any(axis=1)
        bands[none, j] = np.nan
    labels = model.groups["unit"].to_numpy()[g]
    frame = pd.DataFrame(dist, index=pd.Index(labels, name="unit"), columns=range(top + 1))
    return JointScores(frame, bands, standards, str(model.groups["pooled_towards"].iloc[0]))


def borrow(probs: np.ndarray, towards: np.ndarray, units, standards, joint: JointScores) -> None:
    """In place: where a (unit, standard) was rated on the national prior, take its band
    probabilities from the joint model, so that it borrows from the unit's other standards, and
    say so in ``towards``. ``probs`` is (groups, bands), worst band first; ``units`` and
    ``standards`` label each group."""
    row_of = {str(k): i for i, k in enumerate(joint.distribution.index)}
    std_of = {s: j for j, s in enumerate(joint.standards)}
    national = pd.Series(towards).astype(str).str.startswith("national prior").to_numpy()
    for g in np.flatnonzero(national):
        i, j = row_of.get(str(units[g])), std_of.get(standards[g])
        if i is not None and j is not None and np.isfinite(joint.band_probabilities[i, j]).all():
            probs[g] = joint.band_probabilities[i, j]
            towards[g] += ", jointly with the unit's other standards"


def case_based_joint(kq, unit, framework, edges, cases, seed, probability_model):
    """The joint model of the case-based standards of a key-question table (``n_yes``,
    ``n_applicable``, ``standard``, ``key_question``; ``unit`` labels each row), or None when a
    case-based standard is missing."""
    from .. import frameworks as _fw

    fw = _fw.get(framework)
    case_based = kq["standard"].isin(fw.case_based_standards).to_numpy()
    if not case_based.any():
        return None
    sub = kq[case_based]
    joint = joint_scores(
        sub["n_yes"],
        sub["n_applicable"],
        np.asarray(unit)[case_based],
        sub["standard"],
        sub["key_question"],
        edges,
        [fw.rating_scores[r] for r in reversed(_fw.RATINGS)],
        cases=cases,
        rng=seed,
        framework=fw,
        method="national" if probability_model == "national" else "pooled",
    )
    return joint if len(joint.standards) == len(fw.case_based_standards) else None
