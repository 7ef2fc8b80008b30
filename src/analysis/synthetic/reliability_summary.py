"""Summaries of a rating-probability simulation (:mod:`analysis.synthetic.reliability`).

Calibration error, Brier score and the borderline flag's promise, over all ratings and over the
ratings whose true lowest proportion lies within 4 points of a band edge (:func:`edge_summary`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["reliability_table", "calibration_summary", "edge_summary"]


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
        right when not borderline ≥ 1 − ``borderline_at`` − 2 SE. Where ``ratings`` has an
        ``edge_flag`` column (the widened flag, :func:`analysis.ratings.uncertainty.edge_in_reach`)
        a rating is borderline when its probability says so or ``edge_flag`` is set;
        ``right_when_probability_only`` is the share right with the probability alone.
    """
    rows = []
    for key, g in ratings.groupby(["scenario", "n_cases", "method"], sort=False):
        bins = _bins(g["p_computed"], n_bins)
        by_bin = g.groupby(bins).agg(
            n=("right", "size"), p=("p_computed", "mean"), r=("right", "mean")
        )
        ece = float(np.sum(by_bin["n"] * (by_bin["p"] - by_bin["r"]).abs()) / len(g))
        confident = g["p_computed"] > 1 - borderline_at
        sure = confident & ~g["edge_flag"].astype(bool) if "edge_flag" in g else confident
        per_rep = g.assign(
            _sure=sure, _ok=sure & g["right"], _p=confident, _pok=confident & g["right"]
        ).groupby("replication")
        share, se = _ratio_se(
            per_rep["_ok"].sum().to_numpy(float), per_rep["_sure"].sum().to_numpy(float)
        )
        p_only, _ = _ratio_se(
            per_rep["_pok"].sum().to_numpy(float), per_rep["_p"].sum().to_numpy(float)
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
                p_only,
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
        "right_when_probability_only",
    ]
    return pd.DataFrame(rows, columns=cols)


def edge_summary(
    ratings: pd.DataFrame, borderline_at: float = 0.2, n_bins: int = 10
) -> pd.DataFrame:
    """:func:`calibration_summary` over all ratings (``subset`` ``"all"``) and over those near
    each band edge (``subset`` ``"near 50"``, ``"near 65"``, ``"near 80"``; ``near_edge`` column).

    Returns
    -------
    DataFrame
        ``[subset, *calibration_summary columns]``; a subset with no rating is left out.
    """
    frames = [calibration_summary(ratings, borderline_at, n_bins).assign(subset="all")]
    for edge in sorted(set(ratings["near_edge"]) - {""}):
        part = ratings[ratings["near_edge"] == edge]
        frames.append(
            calibration_summary(part, borderline_at, n_bins).assign(subset=f"near {edge}")
        )
    out = pd.concat(frames, ignore_index=True)
    return out[["subset", *[c for c in out.columns if c != "subset"]]]
