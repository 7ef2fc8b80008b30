"""Plain-English sentences about real published inspections (never synthetic data).

Each sentence says how many reports it rests on, and gives intervals for shares.

>>> import pandas as pd
>>> table = pd.DataFrame({"change": ["better", "worse", "same", "same"],
...                       "first_framework": ["a"] * 4, "latest_framework": ["b"] * 4})
>>> reinspection_sentence(table)  # doctest: +NORMALIZE_WHITESPACE
'4 PDUs have two published reports: 1 improved, 1 got worse and 2 kept their overall rating; for all 4 the framework changed between the two (a, then b), so a change of rating mixes a change in practice with a change in what was rated and how.'
"""

from __future__ import annotations

import pandas as pd

from .summaries import interval_words, share
from .summaries.words import plural


def _count(n: int, unit: str) -> str:
    """``'1 report'``, ``'3 reports'``."""
    return f"{n} {plural(unit, n)}"


def _verb(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


__all__ = [
    "distribution_sentence",
    "reinspection_sentence",
    "coverage_sentence",
    "band_check_sentence",
    "departure_sentences",
    "factor_sentence",
    "failing_sentences",
    "above_pdu_sentence",
    "reconciliation_sentences",
    "context_sentence",
    "extraction_sentence",
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
    """How PDUs inspected more than once fared, from :func:`reinspections` output.

    Every such sentence says, in the same sentence, whether the framework changed between the
    two reports: a change of rating across frameworks is not a change in practice alone.
    """
    n = len(table)
    if n == 0:
        return "No PDU has more than one published report here."
    counts = table["change"].value_counts()
    better, worse, same = (int(counts.get(k, 0)) for k in ("better", "worse", "same"))
    text = (
        f"{n} PDUs have two published reports: {better} improved, {worse} got worse and "
        f"{same} kept their overall rating"
    )
    if {"first_framework", "latest_framework"} <= set(table.columns):
        changed = table[table["first_framework"] != table["latest_framework"]]
        if len(changed):
            pairs = sorted(
                set(zip(changed["first_framework"], changed["latest_framework"], strict=True))
            )
            which = "; ".join(f"{a}, then {b}" for a, b in pairs)
            scope = f"all {n}" if len(changed) == n else f"{len(changed)} of the {n}"
            text += (
                f"; for {scope} the framework changed between the two ({which}), so a change of "
                "rating mixes a change in practice with a change in what was rated and how"
            )
        else:
            text += "; each PDU's two reports are of the same framework"
    return text + "."


def coverage_sentence(published: pd.DataFrame, standards: list[str] | None = None) -> str:
    """How many reports give a rating for every standard of their own framework, and how many none.

    Each report is counted against its own framework's standards (``framework`` column;
    nine for ``pdu-2021``, seven for ``pdu-2023``); ``standards`` is used for reports without
    a framework. Standards the table has no column for cannot be stated and are said so.
    """
    from ..frameworks import get

    full = none = 0
    missing_columns: set[str] = set()
    for _, row in published.iterrows():
        fid = row.get("framework")
        slugs = (
            list(get(str(fid)).standard_slugs) if isinstance(fid, str) else list(standards or [])
        )
        held = [s for s in slugs if s in published.columns]
        missing_columns |= set(slugs) - set(held)
        given = [pd.notna(row[s]) for s in held]
        full += bool(given) and all(given) and len(held) == len(slugs)
        none += not any(given)
    text = (
        f"Of {len(published)} reports listed, {full} state a rating for every standard of "
        f"their framework and {none} state none (only the overall rating is known for those)."
    )
    if missing_columns:
        text += (
            " The table has no column for "
            + ", ".join(sorted(s.replace("_", " ") for s in missing_columns))
            + ", so no report of a framework with those standards counts as complete."
        )
    return text


def band_check_sentence(check: pd.DataFrame, *, unit: str) -> str:
    """Which reports' published rating differs from the band of their published score."""
    differ = check[check["agrees"].eq(False).fillna(False)]
    unknown = int(check["published_rating"].isna().sum())
    ambiguous = int(check["ambiguous"].sum())
    no_score = int((check["published_rating"].notna() & check["score_points"].isna()).sum())
    agree = int(check["agrees"].eq(True).fillna(False).sum())
    n = len(check)
    if differ.empty:
        text = f"All {agree} reports with a rating and a clear score agree with the bands."
    else:
        names = "; ".join(
            f"{r[unit]} ({r['score_points']:.1f} points: {r['band_of_score']} band, "
            f"published {r['published_rating']})"
            for _, r in differ.iterrows()
        )
        text = f"{len(differ)} of {n} reports have a published rating outside their score's band: {names}."
    if unknown:
        text += f" {_count(unknown, 'report')} {_verb(unknown, 'gives', 'give')} no readable overall rating."
    if ambiguous:
        text += f" {_count(ambiguous, 'score')} could fall in either of two bands."
    if no_score:
        text += (
            f" {_count(no_score, 'report')} {_verb(no_score, 'has', 'have')} no usable score and "
            f"{_verb(no_score, 'is', 'are')} not checked."
        )
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


def failing_sentences(table: pd.DataFrame) -> list[str]:
    """Per round, the standards most often published Inadequate, from :func:`standards_failing`."""
    out = []
    for name, part in table.groupby("round", sort=False):
        worst = part[part["inadequate_pct"] == part["inadequate_pct"].max()]
        names = ", ".join(
            f"{r.standard_name.lower()} ({r.inadequate} of {r.reports_rating_it})"
            for r in worst.itertuples(index=False)
        )
        rest = part[~part.index.isin(worst.index)]
        tail = ""
        if len(rest):
            best = rest.sort_values("inadequate_pct").iloc[0]
            tail = (
                f"; the least often is {best['standard_name'].lower()} "
                f"({int(best['inadequate'])} of {int(best['reports_rating_it'])})"
            )
        out.append(
            f"{name}: the standards most often published Inadequate, among the reports that "
            f"rate them, are {names}{tail}. Many reports state no standard ratings, so each "
            "count rests on the reports that do."
        )
    return out


def above_pdu_sentence(frame: pd.DataFrame) -> str:
    """The regional and national inspection ratings in one sentence."""
    if frame.empty:
        return "No regional or national inspection report is held here."
    bits = [
        f"{r.unit} ({int(r.report_year) if pd.notna(r.report_year) else 'year not stated'}): "
        f"{r.overall_rating}"
        for r in frame.itertuples(index=False)
    ]
    regions = int((frame["unit_type"].astype(str) == "region").sum())
    national = int((frame["unit_type"].astype(str) == "national").sum())
    return (
        f"{regions} regional and {national} national inspection "
        f"{'report is' if regions + national == 1 else 'reports are'} held: "
        + "; ".join(bits)
        + "."
    )


def reconciliation_sentences(coverage: pd.DataFrame, totals: pd.DataFrame) -> list[str]:
    """Incomplete rounds first, then each stated total the record does or does not reach."""
    out = []
    incomplete = coverage[coverage["complete"].eq(False).fillna(False)]
    for r in incomplete.itertuples(index=False):
        out.append(
            f"{r.region}, current programme: {r.n_pdus_inspected} of {r.n_pdus_reference} PDUs "
            f"have a report here; none is held for {r.missing}."
        )
    agree = totals[totals["agrees"]]
    if len(agree):
        out.append(
            f"{len(agree)} of {len(totals)} totals the Inspectorate states match the record "
            "exactly (counting the reports likely published in each period)."
        )
    for r in totals[~totals["agrees"]].itertuples(index=False):
        what = "" if r.rating == "any" else f" {r.rating}"
        kind = {"pdu": "PDU", "region": "regional", "service": "youth justice service"}.get(
            str(r.unit_type), str(r.unit_type)
        )
        out.append(
            f"The Inspectorate states {r.stated_count}{what} {kind} reports from "
            f"{r.period_start} to {r.period_end}; the record has {r.record_likely} likely in "
            f"that period: {r.probably_missing}."
        )
    return out


def context_sentence(association: pd.DataFrame) -> str:
    """What the context association rests on, in words."""
    if association.empty:
        return "No context figure is held for these reports."
    estimated = association[association["rho"].notna()]
    most = int(association["units"].max())
    if estimated.empty:
        return (
            f"No measure is stated, in the same words, by enough PDU reports of one round to "
            f"estimate an association: the most any measure rests on is {_count(most, 'report')}. "
            "The figures are listed so that they can be read report by report; collecting the "
            "same measure from more reports is what would make an association estimable."
        )
    bits = [
        f"{r.measure} ({r.framework}, {r.units} PDU reports): rho {r.rho:.2f}, 95% interval "
        f"{r.ci_low:.2f} to {r.ci_high:.2f}"
        for r in estimated.itertuples(index=False)
    ]
    return (
        "; ".join(bits)
        + ". Each point is a whole PDU at one inspection: an ecological association, which says "
        "nothing about individual cases and does not separate the measure from everything else "
        "that differs between PDUs."
    )


def extraction_sentence(per_report: pd.DataFrame) -> str:
    """How the reports read from the Inspectorate's pages compare with the published table.

    ``per_report`` is :func:`analysis.extract.compare.per_report`'s table.
    """
    if per_report.empty:
        return "No report read from the Inspectorate's pages is held for this scope."
    n = len(per_report)
    paired = per_report[per_report["no published report"].eq(0) & per_report["ambiguous"].eq(0)]
    differing = per_report[per_report["differs"] > 0]
    parts = [
        f"{_count(n, 'report')} read from the Inspectorate's pages; {len(paired)} matched a published "
        "report of the same unit and year"
    ]
    if len(paired):
        parts.append(
            f"in {len(differing)} of them an extracted rating or score differs from the published "
            f"table ({', '.join(differing['unit'].astype(str).head(5))})"
            if len(differing)
            else "in each, every rating and score that both give agree"
        )
    unpaired = n - len(paired)
    tail = (
        f". {unpaired} could not be matched (no published report of that unit and year, or an "
        "undated report of a unit with several), and are never matched by guess."
        if unpaired
        else "."
    )
    return "; ".join(parts) + tail
