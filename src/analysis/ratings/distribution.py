"""How published ratings are distributed: counts and shares with intervals, and re-inspections.

For real published reports (never synthetic data). Rounds are never pooled silently: every
table keeps the framework (``pdu-2021``: nine standards scored out of 27, every PDU report up to
August 2023; ``pdu-2023``: seven standards out of 21, the programme begun in October 2023) and
a report whose framework cannot be told stays in its own group.

>>> import pandas as pd
>>> frame = pd.DataFrame({"framework": ["pdu-2023"] * 4,
...                       "overall_rating": ["Inadequate", "Inadequate", "Good", None]})
>>> rating_distribution(frame, by="framework")[["framework", "rating", "n", "total"]]
  framework                rating  n  total
0  pdu-2023           Outstanding  0      3
1  pdu-2023                  Good  1      3
2  pdu-2023  Requires improvement  0      3
3  pdu-2023            Inadequate  2      3
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..rounding import half_up
from ..stats import wilson_interval
from ._common import by_columns

__all__ = [
    "ROUND_LABELS",
    "ROUND_NAMES",
    "DISTRIBUTION_COLUMNS",
    "round_label",
    "round_name",
    "rating_distribution",
    "reinspections",
    "standards_failing",
]

ROUND_LABELS = {
    "pdu-2021": "2021–23 framework (nine standards, scored out of 27)",
    "pdu-2023": "Current programme from October 2023 (seven standards, scored out of 21)",
}
"""Reader labels of the adult PDU inspection rounds, by framework id."""
ROUND_NAMES = {
    "pdu-2021": "the 2021–23 round",
    "pdu-2023": "the current programme (from October 2023)",
}
"""The rounds as a sentence names them (a main point has no room for the long label)."""
UNKNOWN_ROUND = "framework not known"

DISTRIBUTION_COLUMNS = ["rating", "n", "total", "share_pct", "ci_low", "ci_high"]
"""Columns after the grouping columns, in this order."""


def round_name(label: str) -> str:
    """The short name of a round, from its reader label (:func:`round_label`)."""
    by_label = {ROUND_LABELS[k]: v for k, v in ROUND_NAMES.items()}
    return by_label.get(str(label), str(label))


def round_label(framework) -> str:
    """The reader label of a framework id; 'framework not known' when missing."""
    if framework is None or framework != framework:
        return UNKNOWN_ROUND
    return ROUND_LABELS.get(str(framework), str(framework))


def rating_distribution(
    frame: pd.DataFrame, *, rating: str = "overall_rating", by: str | Sequence[str] | None = None
) -> pd.DataFrame:
    """Number and share of reports in each rating band, per group, with Wilson 95% intervals.

    Reports without a rating are left out of ``total`` (say so beside the table).

    Returns
    -------
    DataFrame
        ``[*by, rating, n, total, share_pct, ci_low, ci_high]``: one row per group and band,
        bands best first; shares and intervals in percent.
    """
    keys = by_columns(by)
    rated = frame.assign(_rating=frame[rating].map(_fw.parse_rating)).dropna(subset=["_rating"])
    groups = [((), rated)] if not keys else rated.groupby(keys, sort=True, observed=True)
    rows = []
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        counts = part["_rating"].value_counts().reindex(_fw.RATINGS, fill_value=0)
        for band, n in counts.items():
            rows.append(
                {
                    **dict(zip(keys, key, strict=True)),
                    "rating": band,
                    "n": int(n),
                    "total": len(part),
                }
            )
    out = pd.DataFrame(rows, columns=[*keys, "rating", "n", "total"])
    n, total = out["n"].to_numpy(), out["total"].to_numpy()
    low, high = wilson_interval(n, total)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share_pct"] = np.where(total > 0, 100 * n / np.maximum(total, 1), np.nan)
    out["ci_low"], out["ci_high"] = 100 * low, 100 * high
    return out[[*keys, *DISTRIBUTION_COLUMNS]]


def reinspections(published: pd.DataFrame, *, unit: str = "pdu") -> pd.DataFrame:
    """PDUs with two or more published reports: the earliest and latest side by side.

    Returns
    -------
    DataFrame
        ``[unit, n_reports, first_date, first_framework, first_rating, latest_date,
        latest_framework, latest_rating, change]`` where ``change`` is better, worse or the
        same rating; dates are ``report_date_iso`` (year, month or day as published).
    """
    columns = [
        unit,
        "n_reports",
        "first_date",
        "first_framework",
        "first_rating",
        "latest_date",
        "latest_framework",
        "latest_rating",
        "change",
    ]
    pdus = published[published[unit].notna()].copy()
    pdus["_order"] = pdus["report_date_iso"].fillna("9999")
    rows = []
    for name, part in pdus.sort_values("_order", kind="stable").groupby(unit, observed=True):
        if len(part) < 2:
            continue
        first, latest = part.iloc[0], part.iloc[-1]
        order = {r: i for i, r in enumerate(reversed(_fw.RATINGS))}  # Inadequate = 0
        a, b = (order.get(_fw.parse_rating(x["overall_rating"])) for x in (first, latest))
        change = (
            None if a is None or b is None else "better" if b > a else "worse" if b < a else "same"
        )
        rows.append(
            [
                str(name),
                len(part),
                first["report_date_iso"],
                round_label(first["framework"]),
                first["overall_rating"],
                latest["report_date_iso"],
                round_label(latest["framework"]),
                latest["overall_rating"],
                change,
            ]
        )
    return pd.DataFrame(rows, columns=columns)


def standards_failing(published: pd.DataFrame) -> pd.DataFrame:
    """Per round, how often each standard is published Inadequate, among reports that rate it.

    Only ratings a report states are counted (never filled in); each round keeps its own
    framework's standards.

    Returns
    -------
    DataFrame
        ``[framework, round, standard, standard_name, reports_rating_it, inadequate,
        inadequate_pct, ci_low, ci_high]``, worst first within each round; intervals are
        Wilson 95% intervals in percent.
    """
    rows = []
    for fid, part in published[published["framework"].notna()].groupby(
        published["framework"].astype(str), sort=True
    ):
        fw = _fw.get(fid)
        for std in fw.standards:
            if std.slug not in part.columns:
                continue
            rated = part[std.slug].map(_fw.parse_rating).dropna()
            if rated.empty:
                continue
            rows.append(
                {
                    "framework": fid,
                    "round": round_label(fid),
                    "standard": std.slug,
                    "standard_name": std.name,
                    "reports_rating_it": len(rated),
                    "inadequate": int((rated == "Inadequate").sum()),
                }
            )
    out = pd.DataFrame(
        rows,
        columns=[
            "framework",
            "round",
            "standard",
            "standard_name",
            "reports_rating_it",
            "inadequate",
        ],
    )
    low, high = wilson_interval(out["inadequate"].to_numpy(), out["reports_rating_it"].to_numpy())
    out["inadequate_pct"] = (
        100 * out["inadequate"] / out["reports_rating_it"].where(out["reports_rating_it"] > 0)
    )
    out["ci_low"], out["ci_high"] = 100 * low, 100 * high
    return out.sort_values(
        ["framework", "inadequate_pct", "reports_rating_it"],
        ascending=[True, False, False],
        kind="stable",
    ).reset_index(drop=True)


def published_long(
    published: pd.DataFrame, framework: str | _fw.Framework, *, unit: str = "unit"
) -> pd.DataFrame:
    """Published ratings of each report as a long table ``[unit, standard, rating]``.

    One row per standard of ``framework`` that the report rates, plus ``overall``; standards a
    report does not state are left out (never filled in).
    """
    fw = _fw.get(framework)
    columns = [s for s in fw.standard_slugs if s in published.columns]
    long = published[[unit, *columns, "overall_rating"]].rename(
        columns={"overall_rating": "overall"}
    )
    long = long.melt(id_vars=[unit], var_name="standard", value_name="rating")
    long["rating"] = long["rating"].map(_fw.parse_rating)
    return long.dropna(subset=["rating"]).reset_index(drop=True)


def _implied_count(pct: float, n: int) -> tuple[int, bool]:
    """The count of ``n`` whose whole-number percentage is ``pct``, and whether it is unique.

    Percentages are rounded half up, as the Inspectorate prints them (Python's ``round``
    rounds half to even, which would print 5 of 8 as 62%).

    >>> _implied_count(63, 8)
    (5, True)
    """
    fits = [k for k in range(n + 1) if half_up(100 * k / n) == half_up(pct)]
    return (fits[0] if fits else half_up(pct * n / 100)), len(fits) == 1


def factor_intervals(factors: pd.DataFrame) -> pd.DataFrame:
    """The 2013 offending-related factor table with implied counts and Wilson 95% intervals.

    The report prints whole percentages of each factor's cases; the implied count is the one
    whose percentage rounds to the printed one (``count_unique`` is False where two counts
    would print the same, which does not happen for these table sizes).

    Returns
    -------
    DataFrame
        ``[factor, n_cases, interventions_sufficient, interventions_pct, interventions_low,
        interventions_high, progress_sufficient, progress_pct, progress_low, progress_high,
        count_unique, publication, year]``
    """
    rows = []
    for rec in factors.itertuples(index=False):
        n = int(rec.n_cases)
        k_int, unique_int = _implied_count(rec.pct_interventions_sufficient, n)
        k_prog, unique_prog = _implied_count(rec.pct_progress_sufficient, n)
        rows.append(
            (
                rec.factor,
                n,
                k_int,
                rec.pct_interventions_sufficient,
                k_prog,
                rec.pct_progress_sufficient,
                unique_int and unique_prog,
                rec.publication,
                rec.year,
            )
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "factor",
            "n_cases",
            "interventions_sufficient",
            "interventions_pct",
            "progress_sufficient",
            "progress_pct",
            "count_unique",
            "publication",
            "year",
        ],
    )
    for what in ("interventions", "progress"):
        low, high = wilson_interval(out[f"{what}_sufficient"].to_numpy(), out["n_cases"].to_numpy())
        out[f"{what}_low"], out[f"{what}_high"] = 100 * low, 100 * high
    order = [
        "factor",
        "n_cases",
        "interventions_sufficient",
        "interventions_pct",
        "interventions_low",
        "interventions_high",
        "progress_sufficient",
        "progress_pct",
        "progress_low",
        "progress_high",
        "count_unique",
        "publication",
        "year",
    ]
    return out[order]
