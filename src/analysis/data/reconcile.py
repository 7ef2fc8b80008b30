"""The published record against itself and against what the Inspectorate states about it.

Two checks, both run by ``analysis build`` and both available as tables for reports:

* **coverage** (:func:`round_coverage_table`): per region and inspection round (framework), the
  PDUs with a report against the region's geographic PDUs in the reference list. The current
  programme (``pdu-2023``) inspects every PDU of a region before the regional inspection
  ("Our approach for inspecting Probation Services includes inspecting every Probation
  Delivery Unit (PDU) in a region", https://hmiprobation.justiceinspectorates.gov.uk/about-us/
  our-inspections/pdu), so a round of that programme with fewer reports than PDUs is flagged
  incomplete; the 2021–23 programme inspected a selection of PDUs and is never flagged.
* **stated totals** (:func:`reconcile_totals`): each total the Inspectorate states
  (``data/raw/published/published_totals.csv``: a count of reports of a kind, and of a rating,
  in a period, with the statement and its address) against the record. Report dates are often
  known only to the year, so each report has an interval of possible publication dates; a
  report counts as *likely* in a period when most of its interval lies in it, *possible* when
  some does. A stated total other than the likely count is a warning that says what is
  probably missing (an incomplete round of the period, or a report of another rating).
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

import pandas as pd

from .ingest import failure

__all__ = [
    "CURRENT_PROGRAMME",
    "report_interval",
    "round_coverage_table",
    "reconcile_totals",
    "coverage_checks",
    "totals_checks",
]

CURRENT_PROGRAMME = "pdu-2023"
"""The framework whose rounds inspect every PDU of a region (see the module docstring)."""

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_BETWEEN = re.compile(
    r"between\s+([a-z]{3})[a-z]*\s+(\d{4})\s+and\s+([a-z]{3})[a-z]*\s+(\d{4})", re.IGNORECASE
)
_YEAR = re.compile(r"\b(20\d{2})\b")
_BEFORE = re.compile(r"before\s+(\d{1,2})\s+([a-z]{3})[a-z]*\s+(\d{4})", re.IGNORECASE)
_OPEN_END = date(2100, 12, 31)


def _month_end(year: int, month: int) -> date:
    return date(year, month, monthrange(year, month)[1])


def _period(text: str) -> tuple[date, date]:
    """``YYYY-MM`` (or ``YYYY``) to the first and last day it covers."""
    parts = [int(p) for p in str(text).split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), date(parts[0], 12, 31)
    if len(parts) == 2:
        return date(parts[0], parts[1], 1), _month_end(parts[0], parts[1])
    return date(*parts), date(*parts)


def report_interval(rec) -> tuple[date | None, date | None, str]:
    """The first and last possible publication day of one report, and how that was read.

    From ``report_date_iso`` (day, month or year; "before D Month YYYY" in ``report_date``
    ends it there), else a "between Mon YYYY and Mon YYYY"
    ``report_date``, else ``report_year``, else from the year fieldwork started on (open-ended);
    (None, None) when nothing dates the report.
    """
    iso = getattr(rec, "report_date_iso", None)
    text = getattr(rec, "report_date", None)
    if isinstance(iso, str) and iso:
        start, end = _period(iso)
        before = _BEFORE.search(text) if isinstance(text, str) else None
        if before and before.group(2).lower() in _MONTHS:
            bound = date(
                int(before.group(3)), _MONTHS[before.group(2).lower()], int(before.group(1))
            )
            if start <= bound <= end:
                return start, bound, "as dated, before the date the record gives"
        return start, end, "as dated"
    match = _BETWEEN.search(text) if isinstance(text, str) else None
    if match and match.group(1).lower() in _MONTHS and match.group(3).lower() in _MONTHS:
        start = date(int(match.group(2)), _MONTHS[match.group(1).lower()], 1)
        end = _month_end(int(match.group(4)), _MONTHS[match.group(3).lower()])
        return start, end, "between the dates the record gives"
    year = getattr(rec, "report_year", None)
    if year is not None and pd.notna(year):
        return date(int(year), 1, 1), date(int(year), 12, 31), "year of publication"
    fieldwork = getattr(rec, "fieldwork_start", None)
    match = _YEAR.search(fieldwork) if isinstance(fieldwork, str) else None
    if match:
        return date(int(match.group(1)), 1, 1), _OPEN_END, "after fieldwork started"
    return None, None, "not dated"


def _share_in(start, end, low, high) -> float:
    """The share of the interval [start, end] that lies in [low, high] (0 when undated)."""
    if start is None:
        return 0.0
    overlap = (min(end, high) - max(start, low)).days + 1
    if overlap <= 0:
        return 0.0
    if end == _OPEN_END:
        return 0.01  # open-ended: possible, never likely
    return overlap / ((end - start).days + 1)


def round_coverage_table(published: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Per region and round: PDUs with a report, PDUs in the reference list, which are missing.

    Returns
    -------
    DataFrame
        ``[region, framework, n_reports, n_pdus_inspected, n_pdus_reference, missing,
        complete, note]``, one row per region and framework with at least one PDU report;
        ``complete`` is True or False for rounds of the current programme and None (not
        applicable) for the 2021–23 programme, which inspected a selection of PDUs.
    """
    geographic = reference[reference["unit_type"].astype(str) == "geographic"]
    pdus = published[(published["unit_type"].astype(str) == "pdu") & published["framework"].notna()]
    rows = []
    for (region, fid), part in pdus.groupby(
        [pdus["region"].astype(str), pdus["framework"].astype(str)], sort=True
    ):
        expected = sorted(
            geographic.loc[geographic["region"].astype(str) == region, "pdu"].astype(str)
        )
        covered = set(part["pdu"].dropna().astype(str))
        missing = [p for p in expected if p not in covered]
        if fid == CURRENT_PROGRAMME:
            complete = not missing
            note = (
                "every PDU of the region has a report"
                if complete
                else f"incomplete: no report held for {', '.join(missing)}"
            )
        else:
            complete = None
            note = "the 2021–23 programme inspected a selection of PDUs, not every one"
        rows.append(
            {
                "region": region,
                "framework": fid,
                "n_reports": len(part),
                "n_pdus_inspected": len(covered),
                "n_pdus_reference": len(expected),
                "missing": "; ".join(missing),
                "complete": complete,
                "note": note,
            }
        )
    columns = [
        "region",
        "framework",
        "n_reports",
        "n_pdus_inspected",
        "n_pdus_reference",
        "missing",
        "complete",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)


def _rating_of(table: str, frame: pd.DataFrame) -> pd.Series:
    column = "rating" if table == "youth_justice_ratings" else "overall_rating"
    return frame[column].astype(object).where(frame[column].notna(), None)


def _youth_interval(rec) -> tuple[date | None, date | None, str]:
    iso = getattr(rec, "publication_date_iso", None)
    if isinstance(iso, str) and iso:
        start, end = _period(iso)
        return start, end, "as dated"
    return None, None, "not dated"


def reconcile_totals(
    totals: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    coverage: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each stated total beside the record: likely, certain and possible counts, and a verdict.

    ``tables`` maps ``published_ratings`` and ``youth_justice_ratings`` to their processed
    frames; ``coverage`` (:func:`round_coverage_table`) names incomplete rounds in a message.

    Returns
    -------
    DataFrame
        ``[total_id, table, unit_type, period_start, period_end, rating, stated_count,
        record_likely, record_certain, record_possible, agrees, probably_missing, statement,
        source_url]``: ``record_certain`` reports lie wholly in the period, ``record_likely``
        mostly, ``record_possible`` at least in part; ``agrees`` is True when the stated
        count equals the likely one, and ``probably_missing`` says what would explain a
        difference.
    """
    rows = []
    for rec in totals.itertuples(index=False):
        table = str(rec.table)
        frame = tables.get(table)
        if frame is None:
            continue
        kind = str(rec.unit_type)
        if table == "published_ratings":
            frame = frame[frame["unit_type"].astype(str) == kind]
        low, _ = _period(rec.period_start)
        _, high = _period(rec.period_end)
        ratings = _rating_of(table, frame)
        interval = _youth_interval if table == "youth_justice_ratings" else report_interval
        wanted = None if pd.isna(rec.rating) or not str(rec.rating) else str(rec.rating)
        certain = likely = possible = 0
        likely_rows = []
        for (_, row), rating in zip(frame.iterrows(), ratings, strict=True):
            if wanted is not None and rating != wanted:
                continue
            start, end, _basis = interval(row)
            share = _share_in(start, end, low, high)
            if share <= 0:
                continue
            possible += 1
            if share >= 0.5:
                likely += 1
                likely_rows.append(row)
            if share >= 1.0:
                certain += 1
        stated = int(rec.stated_count)
        agrees = stated == likely
        missing = ""
        if stated > likely:
            missing = _probably_missing(
                stated - likely, possible - likely, wanted, kind, coverage, low, high, tables
            )
        elif stated < likely:
            missing = (
                f"the record has {likely - stated} more than stated: probably a report dated "
                "in this period that was published outside it, or a report counted under "
                "another kind"
            )
        rows.append(
            {
                "total_id": rec.total_id,
                "table": table,
                "unit_type": kind,
                "period_start": rec.period_start,
                "period_end": rec.period_end,
                "rating": wanted or "any",
                "stated_count": stated,
                "record_likely": likely,
                "record_certain": certain,
                "record_possible": possible,
                "agrees": agrees,
                "probably_missing": missing,
                "statement": rec.statement,
                "source_url": rec.source_url,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "total_id",
            "table",
            "unit_type",
            "period_start",
            "period_end",
            "rating",
            "stated_count",
            "record_likely",
            "record_certain",
            "record_possible",
            "agrees",
            "probably_missing",
            "statement",
            "source_url",
        ],
    )


def _probably_missing(short, uncertain, rating, kind, coverage, low, high, tables) -> str:
    what = f"{short} {rating or ''} {'report' if short == 1 else 'reports'}".replace("  ", " ")
    bits = [f"{what} fewer in the record than stated"]
    if uncertain > 0:
        bits.append(
            f"{uncertain} more in the record could fall in the period (dates not precise "
            "enough to say)"
        )
    if kind == "pdu" and coverage is not None and not coverage.empty:
        published = tables.get("published_ratings")
        gaps = []
        for rec in coverage[coverage["complete"].eq(False).fillna(False)].itertuples(index=False):
            rounds = published[
                (published["region"].astype(str) == rec.region)
                & (published["framework"].astype(str) == rec.framework)
            ]
            shares = [_share_in(*report_interval(r)[:2], low, high) for r in rounds.itertuples()]
            if any(s >= 0.5 for s in shares):
                gaps.append(f"{rec.region} ({rec.missing} has no report in that round)")
        if gaps:
            bits.append("probably missing: the report of an incomplete round, " + "; ".join(gaps))
    if kind == "region":
        published = tables.get("published_ratings")
        regions = set(
            published.loc[published["unit_type"].astype(str) == "region", "region"].astype(str)
        )
        current = published[
            (published["unit_type"].astype(str) == "pdu")
            & (published["framework"].astype(str) == CURRENT_PROGRAMME)
        ]
        without = sorted(
            region
            for region, part in current.groupby(current["region"].astype(str))
            if region not in regions
            and any(_share_in(*report_interval(r)[:2], low, high) > 0 for r in part.itertuples())
        )
        bits.append(
            "probably missing: a regional inspection report not in the record"
            + (
                f" (regions whose PDU round of the current programme falls in the period and "
                f"that have no regional report here: {', '.join(without)})"
                if without
                else ""
            )
        )
    return "; ".join(bits)


def coverage_checks(frame: pd.DataFrame, context: dict) -> list[dict]:
    """Build warnings: one per incomplete round of the current programme."""
    ref = context.get("reference")
    if ref is None or "framework" not in frame:
        return []
    table = round_coverage_table(frame, ref)
    out = []
    for rec in table[table["complete"].eq(False).fillna(False)].itertuples(index=False):
        rows = frame[
            (frame["region"].astype(str) == rec.region)
            & (frame["framework"].astype(str) == rec.framework)
        ]
        out.append(
            failure(
                rows["file_"].iloc[0],
                None,
                "pdu",
                None,
                "round_covered",
                f"a report for each of the {rec.n_pdus_reference} PDUs of {rec.region} in its "
                f"{rec.framework} round (the current programme inspects every PDU of a region); "
                f"published_ratings has {rec.n_pdus_inspected}, none for {rec.missing}. "
                "No row is invented",
                severity="warning",
            )
        )
    return out


def totals_checks(frame: pd.DataFrame, context: dict) -> list[dict]:
    """Build warnings: each stated total the record does not match, with what is probably missing."""
    tables = {
        name: context[name]
        for name in ("published_ratings", "youth_justice_ratings")
        if context.get(name) is not None
    }
    ref = context.get("reference")
    published = tables.get("published_ratings")
    coverage = (
        round_coverage_table(published, ref) if published is not None and ref is not None else None
    )
    result = reconcile_totals(frame, tables, coverage)
    out = []
    rows = dict(zip(frame["total_id"], frame["row_"], strict=True))
    files = dict(zip(frame["total_id"], frame["file_"], strict=True))
    for rec in result[~result["agrees"]].itertuples(index=False):
        out.append(
            failure(
                files[rec.total_id],
                rows[rec.total_id],
                "stated_count",
                rec.stated_count,
                "record_matches_stated_total",
                f"{rec.stated_count} {rec.rating if rec.rating != 'any' else ''} {rec.unit_type} "
                f"reports from {rec.period_start} to {rec.period_end}, as {rec.source_url} "
                f"states; the record has {rec.record_likely} likely in that period "
                f"({rec.record_certain} certainly, {rec.record_possible} possibly). "
                f"{rec.probably_missing}".replace("  ", " "),
                severity="warning",
            )
        )
    return out
