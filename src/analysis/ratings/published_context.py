"""Published ratings beside the context the same reports state (staffing, sample, case quality).

An ecological comparison: each unit is one PDU report, never a case. Figures are matched to
the report of the same unit and year; a measure is compared with the overall rating only
within one round (framework), and only when enough units state the same measure, in the same
words, to give an interval. Otherwise the table says how many units there are and no estimate
is made.

The estimate is Spearman's rank correlation between the measure and the overall rating
(Inadequate 0, Requires improvement 1, Good 2, Outstanding 3) with a 95% interval from the
Fisher transformation with the Fieller, Hartley and Pearson (1957) standard error
``sqrt(1.06 / (n - 3))``.

>>> import pandas as pd
>>> t = pd.DataFrame({"framework": ["pdu-2023"] * 3, "measure": ["m"] * 3,
...                   "value": [10.0, 20.0, 30.0], "rating_order": [1, 0, 0]})
>>> int(context_association(t)["units"].iloc[0])
3
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .. import frameworks as _fw
from .distribution import round_label

__all__ = ["MIN_UNITS", "context_table", "context_association"]

MIN_UNITS = 5
"""Fewest units (PDU reports of one round stating one measure) for an interval to be given."""

_ORDER = {r: i for i, r in enumerate(reversed(_fw.RATINGS))}  # Inadequate 0 ... Outstanding 3


def context_table(published: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """PDU-level figures beside the overall rating of the report they come from.

    Returns
    -------
    DataFrame
        ``[unit, year, framework, round, overall_rating, rating_order, topic, measure, value,
        value_unit, note, address]``; figures of regional units, and figures whose unit and
        year match no report, are left out.
    """
    reports = published[published["unit_type"].astype(str) == "pdu"].copy()
    reports["year"] = pd.to_numeric(reports["report_year"], errors="coerce")
    pdu_figures = figures[
        ~figures["unit"].astype(str).str.endswith("region")
        & figures["topic"].astype(str).isin(["staffing", "sample", "quality", "caseload"])
    ].copy()
    pdu_figures["year"] = pd.to_numeric(pdu_figures["year"], errors="coerce")
    merged = pdu_figures.merge(
        reports[["unit", "year", "framework", "overall_rating"]], on=["unit", "year"], how="inner"
    )
    merged["round"] = merged["framework"].map(round_label)
    merged["overall_rating"] = merged["overall_rating"].astype(object)
    merged["rating_order"] = merged["overall_rating"].map(_ORDER)
    columns = [
        "unit",
        "year",
        "framework",
        "round",
        "overall_rating",
        "rating_order",
        "topic",
        "measure",
        "value",
        "value_unit",
        "note",
        "address",
    ]
    return merged[columns].sort_values(["framework", "measure", "unit"]).reset_index(drop=True)


def context_association(table: pd.DataFrame, *, min_units: int = MIN_UNITS) -> pd.DataFrame:
    """Per round and measure: units, and Spearman's rho with a 95% interval where enough.

    Returns
    -------
    DataFrame
        ``[framework, measure, units, rho, ci_low, ci_high, note]``; ``rho`` and the interval
        are empty where fewer than ``min_units`` units state the measure or the ratings or
        values do not vary, and ``note`` says why.
    """
    rows = []
    for (fid, measure), part in table.groupby(["framework", "measure"], sort=True):
        part = part.dropna(subset=["value", "rating_order"])
        n = len(part)
        rho = low = high = np.nan
        if n < min_units:
            note = (
                f"{n} PDU {'report' if n == 1 else 'reports'} of this round "
                f"{'states' if n == 1 else 'state'} this measure; at least {min_units} are "
                "needed for an interval, so no association is estimated"
            )
        elif part["value"].nunique() < 2 or part["rating_order"].nunique() < 2:
            note = "the measure or the rating does not vary across these reports"
        else:
            rho = float(stats.spearmanr(part["value"], part["rating_order"]).statistic)
            z, se = math.atanh(max(min(rho, 0.999999), -0.999999)), math.sqrt(1.06 / (n - 3))
            low, high = math.tanh(z - 1.96 * se), math.tanh(z + 1.96 * se)
            note = f"Spearman's rho across {n} PDU reports (one per PDU); ecological"
        rows.append(
            {
                "framework": fid,
                "measure": measure,
                "units": n,
                "rho": rho,
                "ci_low": low,
                "ci_high": high,
                "note": note,
            }
        )
    return pd.DataFrame(
        rows, columns=["framework", "measure", "units", "rho", "ci_low", "ci_high", "note"]
    )
