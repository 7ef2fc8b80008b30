"""Derived columns and source checks for the published adult inspection ratings.

Published values are never changed. The build adds, beside them:

* ``framework`` and ``framework_basis``: the inspection framework, from the score's
  denominator where a score is stated (``x/27``: ``pdu-2021``; ``x/21``: ``pdu-2023``), else
  from the publication year where that settles it (2022 and before: ``pdu-2021``; 2024 on:
  ``pdu-2023``); reports of 2023 without a score could be either and stay empty, as do
  regional and national inspections;
* ``report_date_iso`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and ``date_precision``, read
  from ``report_date`` (or ``report_year``); the basis stays in ``year_basis``.

and warns about doubtful sources: a source address that names another unit and none of this
one's words, and a regional round whose spotlight says every PDU was inspected while fewer PDUs
have a report in the list.
"""

from __future__ import annotations

import re

import pandas as pd

from . import normalise as _n
from .ingest import failure

__all__ = [
    "QUANTIFIERS",
    "wording_conflicts",
    "FRAMEWORK_BY_DENOMINATOR",
    "derive_rounds",
    "rounds",
    "source_warnings",
    "round_coverage",
]

FRAMEWORK_BY_DENOMINATOR = {27: "pdu-2021", 21: "pdu-2023"}
"""Score denominators of the adult PDU frameworks (domain.md §2; data/raw/README.md)."""

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_YEAR_ONLY = re.compile(r"^(\d{4})\b")
_COMMON_WORDS = {"north", "south", "east", "west", "and", "city", "of", "the", "upon", "pdu"}


def _iso_date(report_date, report_year) -> tuple[str | None, str]:
    text = str(report_date).strip() if isinstance(report_date, str) else ""
    match = _ISO.match(text)
    if match:
        precision = "day" if match.group(3) else "month" if match.group(2) else "year"
        return text, precision
    year = _YEAR_ONLY.match(text)
    if year and not text.lower().startswith("between"):
        return year.group(1), "year"
    if pd.notna(report_year):
        return str(int(report_year)), "year"
    return None, "none"


def _framework(unit_type, score, year) -> tuple[str | None, str]:
    if unit_type != "pdu":
        return None, f"not derived: a {unit_type} inspection, not a PDU inspection"
    if isinstance(score, str) and "/" in score:
        denominator = int(score.split("/")[1])
        fid = FRAMEWORK_BY_DENOMINATOR.get(denominator)
        if fid is None:
            return None, f"not derived: a score out of {denominator} matches no adult framework"
        return fid, f"derived from the score's denominator ({denominator})"
    if pd.notna(year) and int(year) <= 2022:
        return "pdu-2021", "derived from the publication year (2022 or before)"
    if pd.notna(year) and int(year) >= 2024:
        return "pdu-2023", "derived from the publication year (2024 or later)"
    if pd.notna(year):
        return None, "not derived: a 2023 report without a score could be either framework"
    return None, "not derived: no score and no publication year"


def derive_rounds(frame: pd.DataFrame) -> None:
    """Add ``framework``, ``framework_basis``, ``report_date_iso``, ``date_precision`` in place."""
    frameworks, bases, dates, precisions = [], [], [], []
    for rec in frame.itertuples(index=False):
        fid, basis = _framework(rec.unit_type, rec.score, rec.report_year)
        date, precision = _iso_date(rec.report_date, rec.report_year)
        frameworks.append(fid)
        bases.append(basis)
        dates.append(date)
        precisions.append(precision)
    frame["framework"] = pd.array(frameworks, dtype=object)
    frame["framework_basis"] = bases
    frame["report_date_iso"] = pd.array(dates, dtype=object)
    frame["date_precision"] = precisions


def rounds(frame: pd.DataFrame, context: dict) -> list[dict]:
    """The cross-check form of :func:`derive_rounds`: adds the columns, reports nothing."""
    derive_rounds(frame)
    return []


def _words(text: str) -> set[str]:
    return set(_n.name_key(text).split()) - _COMMON_WORDS


def source_warnings(frame: pd.DataFrame, context: dict) -> list[dict]:
    """Warn where a PDU row's source address names another PDU and none of this one's words."""
    ref = context.get("reference")
    if ref is None:
        return []
    others = {str(p): _words(str(p)) for p in ref["pdu"].astype(str)}
    out = []
    for rec in frame[frame["unit_type"].astype(str) == "pdu"].itertuples(index=False):
        url = str(rec.source_url or "")
        slug = _n.name_key(re.sub(r"^https?://[^/]+", "", url))
        tokens = set(slug.split())
        own = _words(str(rec.unit))
        if not tokens or own & tokens:
            continue
        named = sorted(p for p, words in others.items() if words and words <= tokens)
        named = [p for p in named if _words(p) != own]
        if named:
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "source_url",
                    url,
                    "source_names_unit",
                    f"a source about {rec.unit}; this address names {', '.join(named)} and "
                    "none of this unit's words. Kept; check the source",
                    severity="warning",
                )
            )
    return out


def round_coverage(figures: pd.DataFrame, context: dict) -> list[dict]:
    """Warn where a regional spotlight's round has fewer PDU reports than the region has PDUs.

    A spotlight (a regional ``sample`` figure of cases reviewed) says fieldwork took place in
    each of the region's PDUs; its round's reports are those of the region's PDUs published
    from the spotlight's year on, or with no year stated.
    """
    ref, published = context.get("reference"), context.get("published_ratings")
    if ref is None or published is None:
        return []
    geographic = ref[ref["unit_type"].astype(str) == "geographic"]
    out = []
    spotlights = figures[
        figures["unit"].astype(str).str.endswith("region")
        & (figures["measure"].astype(str) == "cases reviewed")
    ]
    for rec in spotlights.itertuples(index=False):
        region = str(rec.region)
        pdus = sorted(geographic.loc[geographic["region"].astype(str) == region, "pdu"].astype(str))
        rows = published[
            (published["region"].astype(str) == region)
            & (published["unit_type"].astype(str) == "pdu")
            & (published["report_year"].isna() | (published["report_year"] >= int(rec.year)))
        ]
        covered = set(rows["pdu"].dropna().astype(str))
        missing = [p for p in pdus if p not in covered]
        if missing:
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "value",
                    f"{rec.value:g}",
                    "round_covered",
                    f"a report for each of the {len(pdus)} PDUs of {region} inspected in this "
                    f"round; published_ratings has {len(covered)} from {int(rec.year)} on, none "
                    f"for {', '.join(missing)}. No row is invented",
                    severity="warning",
                )
            )
    return out


QUANTIFIERS = (
    # word or phrase in the report's wording, and the shares it can honestly describe
    ("almost all", 0.85, 1.0),
    ("nearly all", 0.85, 1.0),
    ("most", 0.5, 1.0),
    ("majority", 0.5, 1.0),
    ("minority", 0.0, 0.5),
    ("few", 0.0, 0.35),
)
"""Quantifier words and the shares they can describe (a reading, documented, not a rule)."""


def wording_conflicts(figures: pd.DataFrame, context: dict) -> list[dict]:
    """Warn where a figure's quoted wording and its count disagree (both are kept).

    York 2024 says risk-of-harm factors improved "in few cases (14 of 19 relevant cases)": the
    word says few, the count says 74%. Neither reading is chosen: the count stays the value, the
    wording stays in the note, and this warning says they disagree.
    """
    out = []
    counts = figures[
        (figures["value_unit"].astype(str) == "count") & figures["denominator"].notna()
    ]
    for rec in counts.itertuples(index=False):
        note = str(rec.note or "").lower()
        quoted = re.findall(r"'([^']*)'", note) or [note]
        text = " ".join(quoted)
        share = float(rec.value) / float(rec.denominator) if rec.denominator else None
        if share is None:
            continue
        for word, low, high in QUANTIFIERS:
            if re.search(rf"\b{word}\b", text) and not (low <= share <= high):
                out.append(
                    failure(
                        rec.file_,
                        rec.row_,
                        "value",
                        f"{rec.value:g} of {int(rec.denominator)}",
                        "wording_matches_count",
                        f"a count that '{word}' can describe ({low:.0%} to {high:.0%}); the "
                        f"report says '{word}' but counts {share:.0%}. Both readings are kept: "
                        "the count as the value, the wording in the note",
                        severity="warning",
                    )
                )
                break
    return out
