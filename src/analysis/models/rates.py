"""Outcome rates by quality band (Wilson intervals) and differences between bands (Newcombe).

Unadjusted and descriptive: these are the numbers HMIP's research bulletins quote ("sentence
completion 24 points higher for high-quality than for inadequate supervision"). For a
case-mix-adjusted comparison use :func:`analysis.models.associations` with
``exposure="quality_band"`` (its ``ame_pp`` column is on the same percentage-point scale).

>>> import pandas as pd
>>> cases = pd.DataFrame({"quality_band": ["high"] * 4 + ["inadequate"] * 4,
...                       "completed": [True, True, True, False, True, False, False, False]})
>>> band_differences(cases, outcome="completed")[["band", "reference", "difference_pp"]]
   band   reference  difference_pp
0  high  inadequate           50.0
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..data.provenance import data_source, mark
from ..exceptions import InputDataError
from ..ratings.quality import QUALITY_BANDS, quality_scores
from ..stats import newcombe_difference, wilson_interval
from . import _design as _d

__all__ = ["RATE_COLUMNS", "DIFFERENCE_COLUMNS", "outcome_rates", "band_differences"]

RATE_COLUMNS = ("outcome", "band", "n", "events", "rate_pct", "ci_low", "ci_high", "source")
"""Column order of :func:`outcome_rates` (rates and Wilson bounds in percent)."""
DIFFERENCE_COLUMNS = (
    "outcome",
    "band",
    "reference",
    "rate_pct",
    "reference_rate_pct",
    "difference_pp",
    "ci_low",
    "ci_high",
    "n",
    "n_reference",
    "source",
)
"""Column order of :func:`band_differences` (difference and Newcombe bounds in points)."""


def _bands(cases: pd.DataFrame, by: str, framework: str) -> pd.Series:
    if by in cases.columns:
        return cases[by]
    if by == "quality_band":
        return quality_scores(cases, framework=framework)["quality_band"]
    raise InputDataError(f"Grouping column {by!r} is not in the case data.")


def _counts(cases, outcomes, by, framework):
    bands = _bands(cases, by, framework)
    levels = (
        list(bands.cat.categories)
        if isinstance(bands.dtype, pd.CategoricalDtype)
        else sorted(bands.dropna().unique())
    )
    rows = []
    for name in outcomes:
        y = _d.outcome_vector(cases, name)
        for level in levels:
            in_band = (bands == level).to_numpy() & ~np.isnan(y)
            rows.append(
                {
                    "outcome": name,
                    "band": level,
                    "n": int(in_band.sum()),
                    "events": int(np.nansum(y[in_band])),
                }
            )
    return pd.DataFrame(rows)


def outcome_rates(
    cases: pd.DataFrame,
    *,
    outcome: str | Sequence[str] = "new_offence",
    by: str = "quality_band",
    framework: str = "pdu-2023",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Outcome rate in each quality band with a Wilson score interval.

    Parameters
    ----------
    cases : DataFrame
        Case-level records.
    outcome : str or sequence of str
        Binary outcome column(s); missing values are left out of the denominator.
    by : str
        Grouping: ``quality_band`` (computed from the key questions unless the column exists)
        or any categorical column.
    framework : str
        Framework whose key questions define the quality score.
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        Columns :data:`RATE_COLUMNS`; ``rate_pct``, ``ci_low``, ``ci_high`` in percent (NaN
        for an empty band).

    Raises
    ------
    InputDataError
        If an outcome is missing, constant or not binary, or ``by`` is not a column.
    """
    outcomes = _d.as_list(outcome)
    _d.check_columns(cases, outcomes, "outcome", allow_constant=True)
    table = _counts(cases, outcomes, by, framework)
    low, high = wilson_interval(table["events"], table["n"], alpha)
    with np.errstate(invalid="ignore", divide="ignore"):
        table["rate_pct"] = 100 * table["events"] / table["n"].where(table["n"] > 0)
    table["ci_low"], table["ci_high"] = 100 * low, 100 * high
    return mark(table, data_source(cases), origin=cases)[list(RATE_COLUMNS)]


def band_differences(
    cases: pd.DataFrame,
    *,
    outcome: str | Sequence[str] = "new_offence",
    by: str = "quality_band",
    reference: str = "inadequate",
    framework: str = "pdu-2023",
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Difference in outcome rate between each band and a reference band (Newcombe interval).

    The interval is Newcombe's hybrid score interval for a difference of two independent
    proportions (Newcombe 1998, method 10). Cases within a PDU are treated as independent here;
    see ``docs/methods.md``.

    Parameters
    ----------
    cases : DataFrame
        Case-level records.
    outcome : str or sequence of str
        Binary outcome column(s).
    by : str
        Grouping column (default: the computed ``quality_band``).
    reference : str
        The band every other band is compared with (default ``inadequate``).
    framework : str
        Framework whose key questions define the quality score.
    alpha : float
        1 - confidence level.

    Returns
    -------
    DataFrame
        Columns :data:`DIFFERENCE_COLUMNS`: ``difference_pp`` = band rate minus reference
        rate, in percentage points, with ``ci_low`` and ``ci_high``.

    Raises
    ------
    InputDataError
        If an outcome is missing, constant or not binary, or ``reference`` is not a band.
    """
    outcomes = _d.as_list(outcome)
    _d.check_columns(cases, outcomes, "outcome", allow_constant=True)
    counts = _counts(cases, outcomes, by, framework)
    if reference not in set(counts["band"]):
        known = (
            list(QUALITY_BANDS)
            if by == "quality_band"
            else sorted(map(str, counts["band"].unique()))
        )
        raise InputDataError(f"reference={reference!r} is not a level of {by!r}; levels: {known}.")
    ref = counts[counts["band"] == reference].set_index("outcome")
    other = counts[counts["band"] != reference].copy()
    y2, n2 = (
        ref.loc[other["outcome"], "events"].to_numpy(),
        ref.loc[other["outcome"], "n"].to_numpy(),
    )
    diff, low, high = newcombe_difference(
        other["events"].to_numpy(), other["n"].to_numpy(), y2, n2, alpha
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        other["rate_pct"] = 100 * other["events"] / other["n"].where(other["n"] > 0)
        other["reference_rate_pct"] = 100 * y2 / np.where(n2 > 0, n2, np.nan)
    other["reference"] = reference
    other["difference_pp"], other["ci_low"], other["ci_high"] = 100 * diff, 100 * low, 100 * high
    other["n_reference"] = n2
    other["source"] = data_source(cases)
    order = {b: i for i, b in enumerate(reversed(list(counts["band"].unique())))}
    other = other.sort_values(
        ["outcome", "band"], key=lambda s: s.map(order) if s.name == "band" else s, kind="stable"
    )
    return mark(
        other[list(DIFFERENCE_COLUMNS)].reset_index(drop=True), data_source(cases), origin=cases
    )
