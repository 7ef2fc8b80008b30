"""Summaries of a rating-probability simulation (:mod:`analysis.synthetic.reliability`).

Calibration error, Brier score and the borderline flag's promise, over all ratings, over the
ratings whose true lowest proportion lies within 4 points of a band edge, and over those whose
estimated lowest proportion does (:func:`edge_summary`). Each calibration error is given beside
the error a perfectly calibrated forecaster would show with the same probabilities and counts
(:func:`calibration_noise`), because over a few hundred ratings that error is not zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["reliability_table", "calibration_summary", "calibration_noise", "edge_summary"]

NOISE_DRAWS = 400
"""Outcome sets drawn by :func:`calibration_noise`."""


def _bins(p, n_bins: int) -> np.ndarray:
    """The bin (0 … ``n_bins`` − 1) of each probability."""
    return np.minimum((np.asarray(p, dtype=float) * n_bins).astype(int), n_bins - 1)


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


def _ece(p: np.ndarray, right: np.ndarray, bins: np.ndarray, n_bins: int) -> np.ndarray:
    """Expected calibration error of each row of ``right`` (outcome sets × ratings)."""
    right = np.atleast_2d(right).astype(float)
    p_sum = np.bincount(bins, weights=p, minlength=n_bins)
    r_sum = np.stack([np.bincount(bins, weights=row, minlength=n_bins) for row in right])
    return np.abs(p_sum[None] - r_sum).sum(axis=1) / max(len(p), 1)


def calibration_noise(
    p_computed, n_bins: int = 10, draws: int = NOISE_DRAWS, seed: int = 0
) -> float:
    """The mean calibration error of a forecaster that is calibrated by construction.

    Outcomes are drawn as independent Bernoulli(p) for the given probabilities, ``draws`` times,
    and scored as :func:`calibration_summary` scores real ones. A measured calibration error
    near this figure is what chance alone gives with that many ratings; one well above it is
    miscalibration. (Ratings of one replication share a fitted model and are not independent,
    so this is a floor, not a test.)
    """
    p = np.asarray(p_computed, dtype=float)
    return _noise(p, _bins(p, n_bins), n_bins, draws, seed)


def _noise(p: np.ndarray, bins: np.ndarray, n_bins: int, draws: int, seed: int) -> float:
    if p.size == 0:
        return np.nan
    rng = np.random.default_rng(seed)
    outcomes = rng.random((draws, p.size)) < p[None]
    return float(_ece(p, outcomes, bins, n_bins).mean())


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
        ``[scenario, n_cases, method, n_ratings, share_right, mean_p, calibration_error,
        calibration_noise, brier, share_not_borderline, right_when_not_borderline,
        se_right_when_not_borderline, promise_kept, right_when_probability_only]``.
        ``calibration_error`` is the expected calibration error: the rating-weighted mean of
        |mean p − share right| over ``n_bins`` bins of ``p_computed``; ``calibration_noise`` the
        same for a calibrated forecaster with these probabilities (:func:`calibration_noise`).
        ``se_right_when_not_borderline`` is the Monte Carlo SE over replications (ratings in one
        replication share a fitted model, so they are not independent). ``promise_kept``: share
        right when not borderline ≥ 1 − ``borderline_at`` − 2 SE. Where ``ratings`` has an
        ``edge_flag`` column (the widened flag, :func:`analysis.ratings.uncertainty.edge_in_reach`)
        a rating is borderline when its probability says so or ``edge_flag`` is set;
        ``right_when_probability_only`` is the share right with the probability alone.
    """
    rows = []
    for key, g in ratings.groupby(["scenario", "n_cases", "method"], sort=False):
        p = g["p_computed"].to_numpy(float)
        bins = _bins(p, n_bins)
        ece = float(_ece(p, g["right"].to_numpy(), bins, n_bins)[0])
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
                _noise(p, bins, n_bins, NOISE_DRAWS, seed=0),
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
        "calibration_noise",
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
    """:func:`calibration_summary` over all ratings (``subset`` ``"all"``), over those whose true
    lowest proportion is near each band edge (``"near 50"``, ``"near 65"``, ``"near 80"``;
    ``near_edge`` column) and, where the frame has an ``estimate_near_edge`` column, over those
    whose estimated lowest proportion is (``"estimate near 50"`` and so on).

    The two kinds of subset answer different questions. A probability describes the units that
    share what was observed, so calibration is judged over units chosen by what a reader sees
    (the estimate). Units chosen by their unknown truth are the hard cases: a calibrated
    posterior is over-confident there by construction (docs/ratings.md, "Near a band edge").

    Returns
    -------
    DataFrame
        ``[subset, *calibration_summary columns]``; a subset with no rating is left out.
    """
    frames = [calibration_summary(ratings, borderline_at, n_bins).assign(subset="all")]
    kinds = [("near_edge", "near")]
    if "estimate_near_edge" in ratings:
        kinds.append(("estimate_near_edge", "estimate near"))
    for column, label in kinds:
        for edge in sorted(set(ratings[column]) - {""}):
            part = ratings[ratings[column] == edge]
            frames.append(
                calibration_summary(part, borderline_at, n_bins).assign(subset=f"{label} {edge}")
            )
    out = pd.concat(frames, ignore_index=True)
    return out[["subset", *[c for c in out.columns if c != "subset"]]]
