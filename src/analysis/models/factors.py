"""Offending-related factors: sufficient intervention vs sufficient progress, one 2x2 table each.

Input is a long table with one row per case and factor (e.g. accommodation, thinking and
behaviour) and two yes/no judgements: was the intervention delivered sufficient, and was there
sufficient progress. For each factor the 2x2 table

=====================  ================  ===================
                       progress: yes     progress: no
=====================  ================  ===================
intervention: yes      a                 b
intervention: no       c                 d
=====================  ================  ===================

gives the odds ratio ``(a d) / (b c)`` with a Woolf (logit) interval and Fisher's exact test
(two-sided, on the raw counts). Zero cells: when any cell is 0, 0.5 is added to every cell
for the odds ratio and its interval only (Haldane-Anscombe correction); the ``correction``
column records it. (statsmodels' ``Table2x2(shift_zeros=True)`` instead replaces only the zero
cells by 0.5, whatever its docstring says; the two agree when no cell is zero.)

Published tables (e.g. York and North Yorkshire 2013) give only the two margins per factor,
which do not determine the 2x2 table; these functions need case-level judgements.

>>> import pandas as pd
>>> data = pd.DataFrame({"factor": "accommodation",
...                      "sufficient_intervention": [True] * 6 + [False] * 4,
...                      "sufficient_progress": [True] * 5 + [False] + [True] + [False] * 3})
>>> factor_table(data)[["term", "a", "b", "c", "d"]]
            term  a  b  c  d
0  accommodation  5  1  1  3
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..exceptions import InputDataError
from ..stats import z_value
from .case import ESTIMATE_COLUMNS

__all__ = ["FACTOR_COLUMNS", "factor_table", "factor_associations"]

FACTOR_COLUMNS = (
    *ESTIMATE_COLUMNS,
    "a",
    "b",
    "c",
    "d",
    "correction",
    "p_bh",
    "warning",
    "source",
)
"""Column order of :func:`factor_associations`."""


def _as_bool(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        raise InputDataError(
            f"Column {column!r} is not in the factor data; columns: {list(frame.columns)}."
        )
    col = frame[column]
    mapped = col.map(lambda v: {"yes": True, "no": False, True: True, False: False}.get(v, v))
    bad = mapped.notna() & ~mapped.isin([True, False])
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputDataError(
            f"Column {column!r}, row {row}: {col.iloc[row]!r} is not yes/no or True/False."
        )
    return mapped


def factor_table(
    factors: pd.DataFrame,
    *,
    factor: str = "factor",
    intervention: str = "sufficient_intervention",
    progress: str = "sufficient_progress",
) -> pd.DataFrame:
    """Counts ``a, b, c, d`` of the 2x2 table of each factor (rows with a missing judgement left out).

    Raises
    ------
    InputDataError
        If a column is missing or holds something other than yes/no (or True/False).
    """
    if factor not in factors.columns:
        raise InputDataError(
            f"Column {factor!r} is not in the factor data; columns: {list(factors.columns)}."
        )
    x, y = _as_bool(factors, intervention), _as_bool(factors, progress)
    ok = x.notna() & y.notna()
    x, y = x[ok].astype(bool), y[ok].astype(bool)
    labels = factors.loc[ok, factor]
    if isinstance(labels.dtype, pd.CategoricalDtype):  # keep the categories' order (e.g. 2013 list)
        labels = labels.cat.remove_unused_categories().cat.rename_categories(str)
    else:
        labels = labels.astype(str)
    cells = pd.DataFrame(
        {
            "term": labels,
            "a": x & y,
            "b": x & ~y,
            "c": ~x & y,
            "d": ~x & ~y,
        }
    )
    out = cells.groupby("term", sort=isinstance(labels.dtype, pd.CategoricalDtype), observed=True)
    out = out[["a", "b", "c", "d"]].sum().astype(int).reset_index()
    out["term"] = out["term"].astype(str)
    return out


def factor_associations(
    factors: pd.DataFrame,
    *,
    factor: str = "factor",
    intervention: str = "sufficient_intervention",
    progress: str = "sufficient_progress",
    correction: float = 0.5,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Odds ratio of sufficient progress given sufficient intervention, per factor, with Fisher's test.

    Parameters
    ----------
    factors : DataFrame
        One row per case and factor.
    factor, intervention, progress : str
        Column names: the factor label, and the two yes/no judgements.
    correction : float
        Added to every cell, for the odds ratio and its interval only, when a cell is zero
        (default 0.5: Haldane-Anscombe). Use 0 for none (the odds ratio is then 0 or inf).
    alpha : float
        1 - confidence level of the Woolf interval.

    Returns
    -------
    DataFrame
        Columns :data:`FACTOR_COLUMNS`; ``p_value`` is Fisher's exact two-sided test,
        ``p_adjusted`` Holm across factors, ``p_bh`` Benjamini-Hochberg, ``model`` is
        ``fisher_2x2``; ``n_clusters`` is NaN (cases treated as independent).

    Raises
    ------
    InputDataError
        As :func:`factor_table`.
    """
    from scipy.stats import fisher_exact

    from ..data.provenance import data_source, mark
    from .case import adjust_pvalues

    t = factor_table(factors, factor=factor, intervention=intervention, progress=progress)
    cells = t[["a", "b", "c", "d"]].to_numpy(dtype=float)
    zero = (cells == 0).any(axis=1)
    shifted = cells + np.where(zero, correction, 0.0)[:, None]
    a, b, c, d = shifted.T
    z = z_value(alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_or = np.log(a * d) - np.log(b * c)
        se = np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    t["odds_ratio"] = np.exp(log_or)
    t["ci_low"], t["ci_high"] = np.exp(log_or - z * se), np.exp(log_or + z * se)
    t["p_value"] = [fisher_exact(row.reshape(2, 2))[1] for row in cells.astype(int)]
    t["p_adjusted"] = adjust_pvalues(t["p_value"], method="holm")
    t["p_bh"] = adjust_pvalues(t["p_value"], method="bh")
    t["n"] = cells.sum(axis=1).astype(int)
    t["n_clusters"] = np.nan
    t["model"] = "fisher_2x2"
    t["correction"] = np.where(zero, correction, 0.0)
    t["warning"] = [
        "; ".join(
            ([f"zero cell: {correction:g} added to every cell for the odds ratio"] if z0 else [])
            + (["small table: fewer than 5 in a cell"] if (row < 5).any() else [])
        )
        for z0, row in zip(zero, cells, strict=True)
    ]
    return mark(t, data_source(factors), origin=factors)[list(FACTOR_COLUMNS)]
