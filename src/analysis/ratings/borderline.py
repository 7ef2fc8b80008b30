"""The widened borderline flag: a band edge within reach of a standard's key-question scores."""

from __future__ import annotations

import numpy as np

__all__ = ["EDGE_Z", "edge_in_reach", "group_counts"]


EDGE_Z = 1.96
"""Wilson interval (95%) used by :func:`edge_in_reach` for the widened borderline flag."""


def edge_in_reach(Y, M, band, edges, z: float = EDGE_Z) -> np.ndarray:
    """Whether a band edge that decides a standard's rating lies within reach of its scores.

    ``Y`` and ``M`` are (groups, K) yes answers and applicable cases (``M == 0``: no applicable
    case), ``band`` each group's computed band (worst first, -1 unrated) and ``edges`` the
    bands' lower bounds as proportions. True where a key question's Wilson interval contains
    the lower edge of the computed band (its true score could fall below it), or the lowest key
    question's contains the upper edge (the true lowest could be above it). Probabilities near a
    band edge at 20 cases are not reliable enough for the promise of the borderline flag
    (docs/ratings.md, "Near a band edge"), so these ratings are flagged borderline too.

    Returns
    -------
    numpy.ndarray of bool, shape (groups,)
    """
    Y, M = np.asarray(Y, dtype=float), np.asarray(M, dtype=float)
    edges = np.asarray(edges, dtype=float)
    band = np.asarray(band)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = Y / M
        centre = (p + z**2 / (2 * M)) / (1 + z**2 / M)
        half = z * np.sqrt(p * (1 - p) / M + z**2 / (4 * M**2)) / (1 + z**2 / M)
    low, high = centre - half, centre + half
    obs = M > 0
    b = np.clip(band, 0, edges.size - 1)
    lower = np.where(band > 0, edges[b], np.nan)[:, None]
    upper = np.where(band < edges.size - 1, edges[np.minimum(b + 1, edges.size - 1)], np.nan)
    crosses_lower = (obs & (low < lower) & (high >= lower)).any(axis=1)
    lowest = np.argmin(np.where(obs, p, np.inf), axis=1)
    rows = np.arange(len(band))
    crosses_upper = obs[rows, lowest] & (high[rows, lowest] >= upper) & (low[rows, lowest] < upper)
    return (crosses_lower | crosses_upper) & (band >= 0)


def group_counts(n_yes, n, codes: np.ndarray, n_groups: int):
    """Yes answers and applicable cases per group, one column per key question (0 padded)."""
    import pandas as pd

    pos = pd.Series(codes).groupby(codes).cumcount().to_numpy()
    width = int(pos.max()) + 1 if len(pos) else 1
    Y, M = np.zeros((n_groups, width)), np.zeros((n_groups, width))
    Y[codes, pos] = np.asarray(n_yes, dtype=float)
    M[codes, pos] = np.asarray(n, dtype=float)
    return Y, M
