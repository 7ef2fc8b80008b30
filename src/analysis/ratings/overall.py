"""Overall ratings: the sum of standard scores in the framework's overall band, with its uncertainty.

Uncertainty propagates from the case-based standards, which are independent under the rating
model (see :mod:`analysis.ratings` and docs/ratings.md): the distribution of the overall score
is the convolution of the standards' score distributions; domain-one ratings given as inputs
are taken as fixed.
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
        source]``. Where any standard is unrated, the score and rating are missing and
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
        new = np.zeros_like(dist)
        for b in range(4):
            shift = scores[b]
            new[:, shift:] += dist[:, : top + 1 - shift] * p[:, [b]]
        dist = new
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
    return keep_dataset(mark(out, data_source(standards)), standards, other_ratings)
