"""Overall ratings: the sum of standard scores in the framework's overall band, with its uncertainty.

Uncertainty propagates from the case-based standards. Their scores move together (a shared unit
effect): the joint model of :mod:`analysis.ratings.joint` gives the distribution of their sum,
carried from :func:`standard_ratings`; without it the standards are convolved as independent,
and the ``overall_model`` column says so. Domain-one ratings given as inputs are taken as fixed
(see docs/ratings.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..data.provenance import data_source, mark
from ..exceptions import InputDataError
from ..frameworks.dtypes import RATING_DTYPE
from ._common import PROB_COLUMNS, by_columns, keep_dataset, rating_labels, require_rating

__all__ = ["overall_ratings"]


def overall_ratings(
    standards: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    by: str | Sequence[str] | None = "pdu",
    other_ratings: pd.DataFrame | None = None,
    borderline_at: float = 0.2,
) -> pd.DataFrame:
    """Overall score and rating per unit, with the probability of each overall band.

    ``standards`` is the output of :func:`standard_ratings`. ``other_ratings`` is a long table
    ``[*by, standard, rating]`` for standards that are not rated from cases (domain one); a
    computed rating always takes precedence over one given there. Uncertainty propagates from
    the case-based standards (independent across standards); other ratings are taken as fixed.

    Returns
    -------
    DataFrame
        ``[*by, overall_score, max_score, overall_rating, n_standards_rated, missing_standards,
        p_outstanding, p_good, p_requires_improvement, p_inadequate, p_computed, borderline,
        overall_model, source]``. Where ``standards`` carries the joint model of its case-based
        standards (``attrs["case_score_distribution"]``, from :func:`standard_ratings`), their
        scores enter together (a unit weak in one standard tends to be weak in all); otherwise,
        and for units it does not cover, they are convolved as independent, and
        ``overall_model`` says which. Where any standard is unrated, the score and rating are missing and
        ``missing_standards`` names them.
    """
    fw = _fw.get(framework)
    by = by_columns(by)
    if not fw.has_ratings or not fw.overall_bands:
        raise InputDataError(f"Framework {fw.id!r} has no overall rating ({fw.scoring}).")
    computed = standards[[*by, "standard", "rating", *PROB_COLUMNS]].copy()
    computed = computed[computed["rating"].notna()]
    computed["_computed"] = True
    frames = [computed]
    if other_ratings is not None and len(other_ratings):
        other = other_ratings[[*by, "standard", "rating"]].copy()
        other["rating"] = pd.Categorical(other["rating"].map(require_rating), dtype=RATING_DTYPE)
        other["standard"] = [fw.standard(s).slug for s in other["standard"]]
        other["_computed"] = False
        frames.append(other)
    allr = pd.concat(frames, ignore_index=True)
    allr = allr.sort_values("_computed", ascending=False, kind="stable").drop_duplicates(
        [*by, "standard"]
    )
    allr = allr[allr["standard"].isin(fw.standard_slugs)]
    units = (allr[by].drop_duplicates() if by else pd.DataFrame(index=[0])).reset_index(drop=True)
    scores = np.array([fw.rating_scores[r] for r in reversed(_fw.RATINGS)])  # worst first
    top = int(fw.max_score)
    dist = np.zeros((len(units), top + 1))
    dist[:, 0] = 1.0
    unit_index = (
        allr[by].merge(units.reset_index(), on=by, how="left")["index"].to_numpy()
        if by
        else np.zeros(len(allr), dtype=int)
    )
    rated = np.zeros((len(units), len(fw.standards)), dtype=bool)
    point = np.zeros(len(units))
    slug_pos = {s: i for i, s in enumerate(fw.standard_slugs)}
    joint, use_joint = _joint_rows(standards, units, by, allr, unit_index, fw)
    for slug in fw.standard_slugs:
        rows = np.flatnonzero(allr["standard"].to_numpy() == slug)
        p = np.zeros((len(units), 4))
        p[:, 0] = 1.0  # unrated standards contribute 0 and are flagged missing
        u = unit_index[rows]
        sub = allr.iloc[rows]
        codes = sub["rating"].cat.codes.to_numpy()
        rated[u, slug_pos[slug]] = True
        point[u] += scores[codes]
        fixed = np.zeros((len(rows), 4))
        fixed[np.arange(len(rows)), codes] = 1.0
        probs = sub[list(reversed(PROB_COLUMNS))].to_numpy(dtype=float)
        probs = np.where(sub["_computed"].to_numpy()[:, None] & ~np.isnan(probs), probs, fixed)
        p[u] = probs
        if slug in fw.case_based_standards:  # the joint model carries these standards together
            p[use_joint] = np.eye(4)[0]
        new = np.zeros_like(dist)
        for b in range(4):
            shift = scores[b]
            new[:, shift:] += dist[:, : top + 1 - shift] * p[:, [b]]
        dist = new
    if use_joint.any():  # add the joint distribution of the case-based standards' scores
        new = np.zeros_like(dist)
        for shift in range(joint.shape[1]):
            new[use_joint, shift:] += (
                dist[use_joint, : top + 1 - shift] * joint[use_joint, shift][:, None]
            )
        dist[use_joint] = new[use_joint]
    out = units.copy()
    complete = rated.all(axis=1)
    out["overall_score"] = pd.array(np.where(complete, point, np.nan)).astype("Int64")
    out["max_score"] = top
    lowers = np.array([lo for _, lo in reversed(fw.overall_bands)])
    idx = np.where(complete, np.searchsorted(lowers, point, side="right") - 1, -1)
    out["overall_rating"] = rating_labels(idx)
    out["n_standards_rated"] = rated.sum(axis=1)
    out["missing_standards"] = [
        ", ".join(s for s, ok in zip(fw.standard_slugs, row, strict=True) if not ok)
        for row in rated
    ]
    band_of_score = np.searchsorted(lowers, np.arange(top + 1), side="right") - 1
    band_probs = np.zeros((len(units), 4))
    for b in range(4):
        band_probs[:, b] = dist[:, band_of_score == b].sum(axis=1)
    band_probs[~complete] = np.nan
    out[PROB_COLUMNS] = band_probs[:, ::-1]
    p_computed = np.where(
        complete, band_probs[np.arange(len(units)), np.clip(idx, 0, None)], np.nan
    )
    out["p_computed"] = p_computed
    out["borderline"] = pd.array(
        np.where(complete, (1 - p_computed) >= borderline_at, False), dtype="boolean"
    )
    out.loc[~complete, "borderline"] = pd.NA
    out["overall_model"] = np.where(
        use_joint,
        "joint (standards of a unit move together)",
        "standards independent (no joint model for this unit)",
    )
    return keep_dataset(mark(out, data_source(standards)), standards, other_ratings)


def _joint_rows(standards, units, by, allr, unit_index, fw):
    """The joint case-score distribution per unit (zeros where not used) and where it is used:
    every case-based standard of the unit computed here, and the joint model available."""
    from .scores import unit_keys

    n = len(units)
    joint_model = standards.attrs.get("case_score_distribution")
    width = 3 * len(fw.case_based_standards) + 1
    out, use = np.zeros((n, width)), np.zeros(n, dtype=bool)
    if joint_model is None:
        return out, use
    keys = unit_keys(units, by).to_numpy() if by else np.array(["all"] * n)
    values = np.array([joint_model.get(str(k), (np.nan,) * width) for k in keys], dtype=float)
    values = values.reshape(n, -1)
    ok = np.isfinite(values).all(axis=1)
    mask = (
        allr["_computed"].astype(bool) & allr["standard"].isin(fw.case_based_standards)
    ).to_numpy()
    counts = np.bincount(unit_index[mask], minlength=n)
    use = ok & (counts == len(fw.case_based_standards)) & (values.shape[1] == width)
    out[use] = values[use]
    return out, use
