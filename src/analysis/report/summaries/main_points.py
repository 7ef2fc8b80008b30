"""Main points: the three to five plain sentences a report opens with.

Each is one sentence under 200 characters with its number and its uncertainty in words,
percentage points first (the Inspectorate's own form); odds ratios, model names and column
names stay in the body of the report.

>>> d = pd.DataFrame({"band": ["high"], "reference": ["inadequate"], "difference_pp": [-25.5],
...     "ci_low": [-30.9], "ci_high": [-20.1], "n": [300], "n_reference": [250]})
>>> difference_point(d, outcome="new_offence", place="Wales")
'In Wales, a new offence was 25.5 percentage points less common in high- than in inadequate-quality cases (95% interval 20.1 to 30.9).'
>>> odds_point({"odds_ratio": 0.81, "ci_low": 0.71, "ci_high": 0.92}, outcome="new_offence")
'Allowing for case mix, each 10 points of quality score went with 19% lower odds of a new offence (95% interval 8% to 29% lower).'
"""

from __future__ import annotations

import pandas as pd

from .words import number_word, outcome_label, whole_percent

__all__ = [
    "cause_point",
    "coverage_point",
    "difference_point",
    "few_pdus_point",
    "key_question_point",
    "odds_point",
    "published_point",
    "rated_point",
    "regional_point",
    "reinspection_point",
    "round_points",
    "worst_standard_point",
]


def difference_point(differences: pd.DataFrame, *, outcome: str, place: str, band: str = "high"):
    """The outcome gap between ``band`` and the reference band, in percentage points.

    ``differences`` is :func:`analysis.models.band_differences`'s table. Returns None when the
    two bands cannot be compared.
    """
    rows = differences[differences["band"].astype(str) == band]
    if rows.empty or pd.isna(rows.iloc[0]["difference_pp"]):
        return None
    row = rows.iloc[0]
    diff, low, high = (float(row[c]) for c in ("difference_pp", "ci_low", "ci_high"))
    words = outcome_label(outcome)
    common = "less common" if diff < 0 else "more common"
    where = f"in {band}- than in {row['reference']}-quality cases"
    if low <= 0 <= high:
        return (
            f"In {place}, {words} was {abs(diff):.1f} percentage points {common} {where}, "
            f"consistent with no difference (95% interval {low:+.1f} to {high:+.1f})."
        )
    a, b = (-high, -low) if diff < 0 else (low, high)
    return (
        f"In {place}, {words} was {abs(diff):.1f} percentage points {common} {where} "
        f"(95% interval {a:.1f} to {b:.1f})."
    )


def odds_point(row, *, outcome: str) -> str | None:
    """The adjusted association per 10 points of quality score, as a percentage change in odds.

    ``row`` holds ``odds_ratio``, ``ci_low`` and ``ci_high`` (one row of
    :func:`analysis.models.associations` with ``exposure="quality_score"``).
    """
    odds, low, high = (row[c] for c in ("odds_ratio", "ci_low", "ci_high"))
    if any(pd.isna(v) for v in (odds, low, high)):
        return None
    words = outcome_label(outcome)

    def change(value: float) -> str:
        pct = 100 * (float(value) - 1)
        return f"{abs(pct):.0f}% {'lower' if pct < 0 else 'higher'}"

    if low <= 1 <= high:
        return (
            f"Allowing for case mix, the data are consistent with no link between the quality "
            f"score and {words} (95% interval from {change(low)} to {change(high)} odds per "
            "10 points)."
        )
    a, b = (high, low) if odds < 1 else (low, high)
    return (
        f"Allowing for case mix, each 10 points of quality score went with {change(odds)} odds "
        f"of {words} (95% interval {change(a).split()[0]} to {change(b)})."
    )


def key_question_point(results: pd.DataFrame, *, outcome: str, alpha: float = 0.05) -> str | None:
    """How many key questions had a clear association once chance over all of them is allowed for.

    ``results`` is the per-key-question table of :func:`analysis.models.associations`
    (``odds_ratio``, ``p_adjusted``).
    """
    fitted = results.dropna(subset=["odds_ratio"])
    if fitted.empty:
        return None
    total = len(fitted)
    clear = fitted[fitted["p_adjusted"] < alpha]
    lower = int((clear["odds_ratio"] < 1).sum())
    higher = len(clear) - lower
    words = outcome_label(outcome)
    if clear.empty:
        return (
            f"None of the {total} key questions on its own showed a clear link with {words}, "
            "once the chance of a fluke across them all is allowed for."
        )
    parts = []
    if lower:
        parts.append(f"clearly lower odds of {words} in {number_word(lower)}")
    if higher:
        parts.append(f"clearly higher odds in {number_word(higher)}")
    return (
        f"A yes on a key question went with {' and '.join(parts)} of the {total} key questions, "
        "allowing for the chance of a fluke across them all."
    )


def few_pdus_point(n_pdus, *, threshold: int = 30) -> str | None:
    """A caution when the estimates rest on fewer than ``threshold`` PDUs; None otherwise."""
    if n_pdus is None or pd.isna(n_pdus) or int(n_pdus) >= threshold:
        return None
    return (
        f"The cases come from only {int(n_pdus)} PDUs, so the intervals are approximate and "
        "could be wider than shown."
    )


def cause_point(outcome: str) -> str:
    """The reminder that an association in inspection samples is not a cause."""
    return (
        f"These are links seen in inspected cases, not proof that better supervision changes "
        f"the chance of {outcome_label(outcome)}."
    )


def worst_standard_point(standards: pd.DataFrame, *, unit: str = "PDU") -> str | None:
    """The standard most often rated Inadequate (else Requires improvement), as one sentence.

    ``standards`` is :func:`analysis.ratings.standard_ratings`'s table; None when no unit has
    either rating.
    """
    from .ratings import rating_sentence

    rated = standards[standards["rating"].notna()]
    for rating in ("Inadequate", "Requires improvement"):
        hits = rated[rated["rating"].astype(str) == rating]
        if len(hits):
            counts = hits["standard"].astype(str).value_counts(sort=False)
            top = counts.idxmax()
            return rating_sentence(standards, top, rating, unit=unit)
    return None


def published_point(published: pd.DataFrame, *, unit_type: str = "pdu") -> str | None:
    """The most common overall rating in real published reports, with the count behind it."""
    from ...frameworks import RATINGS

    rows = published
    if "unit_type" in rows.columns:
        rows = rows[rows["unit_type"].astype(str) == unit_type]
    ratings = rows["overall_rating"].dropna().astype(str)
    if ratings.empty:
        return None
    counts = ratings.value_counts().reindex(RATINGS, fill_value=0)
    top = counts[counts == counts.max()].index[-1]
    total = len(ratings)
    reports = "report" if total == 1 else "reports"
    return (
        f"In the real published {unit_type.upper()} inspections, the most common overall rating "
        f"was {top}: {counts[top]} of {total} {reports} ({whole_percent(counts[top], total)})."
    )


def rated_point(part: pd.DataFrame, *, lead: str, what: str) -> str | None:
    """The most common band of one group of rating-distribution output, with its share's
    interval, and the best bands no report had where there is room.

    ``part`` is :func:`~analysis.ratings.distribution.rating_distribution` output for one group;
    ``lead`` starts the sentence ("In the 2021–23 round") and ``what`` names what was rated.
    None when nothing in the group has a rating.
    """
    total = int(part["total"].iloc[0]) if len(part) else 0
    if total == 0:
        return None
    top = part[part["n"] == part["n"].max()]
    row = top.iloc[0]
    n, low, high = int(row["n"]), float(row["ci_low"]), float(row["ci_high"])
    interval = f"(95% interval {low:.0f}% to {high:.0f}%)"
    pct = whole_percent(n, total)
    if len(top) > 1:
        bands = " and ".join(top["rating"].astype(str))
        text = (
            f"{lead}, {what} were rated {bands} equally often: {n} of {total} each ({pct}, "
            f"95% interval {low:.0f}% to {high:.0f}% each)."
        )
    else:
        verb = "was" if n == 1 else "were"
        text = f"{lead}, {n} of {total} {what} ({pct}) {verb} rated {row['rating']} {interval}"
        absent = part.loc[part["n"] == 0, "rating"].astype(str).tolist()
        best = [r for r in absent if r in ("Outstanding", "Good")]
        tail = f"; none was rated {' or '.join(reversed(best))}." if best else "."
        text = text + tail if len(text + tail) <= 200 else text + "."
    return text


def round_points(
    dist: pd.DataFrame, *, place: str, group: str = "round", what: str = "PDU reports"
) -> list[str]:
    """One main point per inspection round, the current programme first: the most common
    published overall rating, its count and share, and the 95% interval of the share.

    ``dist`` is :func:`~analysis.ratings.distribution.rating_distribution` output grouped by
    round labels (:func:`~analysis.ratings.distribution.round_label`).

    >>> d = pd.DataFrame({"round": ["2021–23 framework (nine standards, scored out of 27)"] * 2,
    ...     "rating": ["Good", "Inadequate"], "n": [0, 2], "total": [2, 2],
    ...     "ci_low": [0.0, 34.2], "ci_high": [65.8, 100.0]})
    >>> round_points(d, place="Wales")
    ['In the 2021–23 round, 2 of 2 PDU reports in Wales (100%) were rated Inadequate (95% interval 34% to 100%); none was rated Good.']
    """
    from ...ratings.distribution import ROUND_LABELS, round_name

    order = {label: i for i, label in enumerate(reversed(list(ROUND_LABELS.values())))}
    groups = sorted(
        dist.groupby(group, sort=False, observed=True),
        key=lambda item: order.get(str(item[0]), len(order)),
    )
    points = []
    for label, part in groups:
        lead = f"In {round_name(str(label))}"
        point = rated_point(part, lead=lead, what=f"{what} in {place}")
        if point:
            points.append(point)
    return points


def reinspection_point(table: pd.DataFrame) -> str | None:
    """PDUs with a report in both rounds and how their overall rating moved, in one sentence.

    ``table`` is :func:`~analysis.ratings.distribution.reinspections` output; None when no PDU
    has two reports.
    """
    n = len(table)
    if n == 0:
        return None
    counts = table["change"].value_counts()
    better, worse, same = (int(counts.get(k, 0)) for k in ("better", "worse", "same"))
    changed = (
        bool((table["first_framework"] != table["latest_framework"]).all())
        if {"first_framework", "latest_framework"} <= set(table.columns)
        else False
    )
    caution = ", though the framework changed between the two" if changed else ""
    if n == 1:
        moved = {"better": "improved", "worse": "got worse"}.get(
            str(table["change"].iloc[0]), "stayed the same"
        )
        return f"1 PDU has two published reports; its overall rating {moved}{caution}."
    moved = [
        (k, words)
        for k, words in (
            (better, "improved"),
            (worse, "got worse"),
            (same, "kept their overall rating"),
        )
        if k
    ]
    if len(moved) == 1:  # every PDU moved the same way
        moves = f"{'both' if n == 2 else 'all'} {moved[0][1]}"
    else:
        parts = [f"{k} {words}" for k, words in moved]
        moves = ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{n} PDUs have two published reports: {moves}{caution}."


def coverage_point(coverage: pd.DataFrame, *, place: str) -> str | None:
    """How many of a place's PDUs have a report in the current programme, which inspects
    every PDU (``coverage`` is :func:`~analysis.data.reconcile.round_coverage_table` output)."""
    rows = coverage[coverage["framework"].astype(str) == "pdu-2023"]
    if rows.empty:
        if coverage.empty:
            return None
        of = int(coverage.groupby("region")["n_pdus_reference"].max().sum())
        return (
            f"None of the {of} PDUs in {place} has a published report of the current programme "
            "in this record."
        )
    held = int(rows["n_pdus_inspected"].sum())
    of = int(rows["n_pdus_reference"].sum())
    if held >= of:
        return (
            f"Every one of the {of} PDUs in {place} has a published report in the current "
            "programme."
        )
    missing = [m for m in rows["missing"].dropna().astype(str) if m]
    names = "; ".join(missing)
    text = f"{held} of the {of} PDUs in {place} have a published report in the current programme"
    if names and len(text) + len(names) < 180:
        text += f"; none is held for {names}"
    return text + "."


def regional_point(above: pd.DataFrame, *, place: str) -> str | None:
    """The published rating of a region's own inspection (``above``: the published ratings
    of region units); None when the record holds none."""
    rows = above[above["unit_type"].astype(str) == "region"].dropna(subset=["overall_rating"])
    if rows.empty:
        return None
    row = rows.sort_values("report_year").iloc[-1]
    year = f" ({int(row['report_year'])})" if pd.notna(row.get("report_year")) else ""
    return f"The inspection of {place} as a region{year} was rated {row['overall_rating']}."
