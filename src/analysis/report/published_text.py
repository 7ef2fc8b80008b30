"""Plain-English sentences about real published inspections (never synthetic data).

Each sentence says how many reports it rests on, and gives intervals for shares.

>>> import pandas as pd
>>> table = pd.DataFrame({"change": ["better", "worse", "same", "same"]})
>>> reinspection_sentence(table)
'4 PDUs have two published reports: 1 improved, 1 got worse and 2 kept their overall rating.'
"""

from __future__ import annotations

import pandas as pd

from .summaries import interval_words, share

__all__ = [
    "distribution_sentence",
    "reinspection_sentence",
    "coverage_sentence",
    "band_check_sentence",
    "departure_sentences",
    "factor_sentence",
]


def distribution_sentence(dist: pd.DataFrame, *, group: str, what: str = "reports") -> list[str]:
    """One sentence per group: the commonest band and every band present, with intervals.

    ``dist`` is :func:`analysis.ratings.distribution.rating_distribution` output; ``group`` is
    its grouping column (its values are used as they are, e.g. round labels).
    """
    out = []
    for name, part in dist.groupby(group, sort=False, observed=True):
        total = int(part["total"].iloc[0])
        if total == 0:
            out.append(f"{name}: no {what} with a published rating.")
            continue
        present = part[part["n"] > 0]
        bits = [
            f"{share(r.n, total)} {r.rating} "
            f"({interval_words(r.ci_low / 100, r.ci_high / 100, percent=True)})"
            for r in present.itertuples(index=False)
        ]
        absent = part.loc[part["n"] == 0, "rating"].tolist()
        text = f"{name}: of {total} {what}, " + "; ".join(bits)
        if absent:
            text += "; none " + " or ".join(absent)
        out.append(text + ".")
    return out


def reinspection_sentence(table: pd.DataFrame) -> str:
    """How PDUs inspected more than once fared, from :func:`reinspections` output."""
    n = len(table)
    if n == 0:
        return "No PDU has more than one published report here."
    counts = table["change"].value_counts()
    better, worse, same = (int(counts.get(k, 0)) for k in ("better", "worse", "same"))
    return (
        f"{n} PDUs have two published reports: {better} improved, {worse} got worse and "
        f"{same} kept their overall rating."
    )


def coverage_sentence(published: pd.DataFrame, standards: list[str]) -> str:
    """How many reports give a rating for every standard, and how many give none."""
    present = [c for c in standards if c in published.columns]
    given = published[present].notna()
    all_given, none_given = int(given.all(axis=1).sum()), int((~given.any(axis=1)).sum())
    return (
        f"Of {len(published)} reports listed, {all_given} state a rating for every standard "
        f"and {none_given} state none (only the overall rating is known for those)."
    )


def band_check_sentence(check: pd.DataFrame, *, unit: str) -> str:
    """Which reports' published rating differs from the band of their published score."""
    differ = check[check["agrees"].eq(False).fillna(False)]
    unknown = int(check["published_rating"].isna().sum())
    ambiguous = int(check["ambiguous"].sum())
    n = len(check)
    if differ.empty:
        text = f"All {n - unknown - ambiguous} reports with a rating and a clear score agree with the bands."
    else:
        names = "; ".join(
            f"{r[unit]} ({r['score_points']:.1f} points: {r['band_of_score']} band, "
            f"published {r['published_rating']})"
            for _, r in differ.iterrows()
        )
        text = f"{len(differ)} of {n} reports have a published rating outside their score's band: {names}."
    if unknown:
        text += f" {unknown} report(s) give no readable overall rating."
    if ambiguous:
        text += f" {ambiguous} score(s) could fall in either of two bands."
    return text


def departure_sentences(comparison: pd.DataFrame, *, unit: str = "unit") -> list[str]:
    """Every difference between a computed and a published rating, in words."""
    rows = comparison[comparison["agrees"].eq(False).fillna(False)]
    return [
        f"{r[unit]}, {str(r['standard']).replace('_', ' ')}: the rule gives "
        f"{r['computed_rating']}, the report published {r['published_rating']}."
        for _, r in rows.iterrows()
    ]


def factor_sentence(table: pd.DataFrame) -> str:
    """Interventions against progress across the 2013 factors, from :func:`factor_intervals`."""
    n = len(table)
    more = int((table["interventions_pct"] > table["progress_pct"]).sum())
    equal = int((table["interventions_pct"] == table["progress_pct"]).sum())
    sizes = f"{int(table['n_cases'].min())} to {int(table['n_cases'].max())}"
    return (
        f"For {more} of {n} offending-related factors, inspectors judged interventions "
        f"sufficient in a larger share of cases than progress ({equal} equal); with {sizes} "
        "cases per factor each share is uncertain by many points (see the intervals)."
    )
