"""Check a framework's overall bands against published scores and ratings.

The overall bands of most frameworks are not published (they are configuration, flagged
unconfirmed). Every published report that states both a score and an overall rating tests
them: :func:`check_overall_bands` places each published score in the framework's band and lists
the reports whose published rating differs. A score that is not a whole number of points is
read as every whole score it could be (the two nearest); when those fall in different bands
the row is ``ambiguous`` rather than a guessed agreement or difference.

>>> import pandas as pd
>>> published = pd.DataFrame({"unit": ["A", "B"], "score_points": [26.0, 8.0],
...                           "rating": ["Requires improvement", "Requires improvement"]})
>>> check_overall_bands(published, "youth-2018")[["unit", "band_of_score", "agrees"]]
  unit         band_of_score  agrees
0    A                  Good   False
1    B  Requires improvement    True
"""

from __future__ import annotations

import math

import pandas as pd

from .. import frameworks as _fw

__all__ = ["BAND_CHECK_COLUMNS", "check_overall_bands"]

BAND_CHECK_COLUMNS = [
    "score_points",
    "scores_considered",
    "band_of_score",
    "published_rating",
    "agrees",
    "ambiguous",
    "max_score",
    "bands_confirmed",
]
"""Columns added after the unit column(s), in this order."""


def _candidate_scores(points: float, max_score: int) -> list[int]:
    if points != points:
        return []
    nearest = round(points)
    if abs(points - nearest) <= 0.02:
        return [int(nearest)]
    return [s for s in (math.floor(points), math.ceil(points)) if 0 <= s <= max_score]


def check_overall_bands(
    published: pd.DataFrame,
    framework: str | _fw.Framework,
    *,
    unit: str | list[str] = "unit",
    score: str = "score_points",
    rating: str = "rating",
) -> pd.DataFrame:
    """Place every published score in the framework's overall band and compare ratings.

    Parameters
    ----------
    published : DataFrame
        One row per report with ``unit`` column(s), a score in points (``score``) and the
        published overall rating (``rating``; missing where none was published).
    framework : str or Framework
        A framework with overall bands (for example ``youth-2018``).

    Returns
    -------
    DataFrame
        ``[*unit, score_points, scores_considered, band_of_score, published_rating, agrees,
        ambiguous, max_score, bands_confirmed]``: ``agrees`` is missing where there is no
        published rating or the score's band is ambiguous.

    Raises
    ------
    ValueError
        If the framework has no overall bands.
    """
    fw = _fw.get(framework)
    if not fw.overall_bands:
        raise ValueError(f"Framework {fw.id!r} has no overall bands to check.")
    units = [unit] if isinstance(unit, str) else list(unit)
    rows = []
    for rec in published[[*units, score, rating]].itertuples(index=False):
        values = dict(zip([*units, score, rating], rec, strict=True))
        points = float(values[score]) if pd.notna(values[score]) else math.nan
        candidates = _candidate_scores(points, fw.max_score)
        bands = sorted({fw.overall_rating(s) for s in candidates})
        ambiguous = len(bands) > 1
        band = (
            bands[0] if len(bands) == 1 else ("ambiguous: " + " or ".join(bands) if bands else None)
        )
        given = _fw.parse_rating(values[rating])
        agrees = None if given is None or ambiguous or not bands else given == bands[0]
        rows.append(
            {
                **{u: values[u] for u in units},
                "score_points": points,
                "scores_considered": ", ".join(map(str, candidates)),
                "band_of_score": band,
                "published_rating": given,
                "agrees": agrees,
                "ambiguous": ambiguous,
                "max_score": fw.max_score,
                "bands_confirmed": fw.provenance["overall_bands"].confirmed,
            }
        )
    out = pd.DataFrame(rows, columns=[*units, *BAND_CHECK_COLUMNS])
    out["agrees"] = out["agrees"].astype("boolean")
    return out
