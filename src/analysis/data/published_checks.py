"""Derived columns and source checks for the published adult inspection ratings.

Published values are never changed. The build adds, beside them:

* ``framework`` and ``framework_basis``: the inspection framework, from the score's
  denominator where a score is stated (``x/27``: ``pdu-2021``; ``x/21``: ``pdu-2023``), else
  from the publication year (2023 and before: ``pdu-2021``; 2024 on: ``pdu-2023``), else, for a
  report with no stated year, from the year its fieldwork started (see :data:`ROUND_RULE`); a
  score out of no framework's maximum (a misprint such as ``2/25``) is kept as published and
  does not block the date rule; regional and national inspections stay empty;
* ``report_date_iso`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) and ``date_precision``, read
  from ``report_date`` (or ``report_year``); the basis stays in ``year_basis``.

and warns about doubtful sources: a source address that names another unit and none of this
one's words. Coverage of each round and the totals the Inspectorate states are checked in
:mod:`analysis.data.reconcile`.
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
    "ROUND_RULE",
    "derive_rounds",
    "rounds",
    "source_warnings",
]

FRAMEWORK_BY_DENOMINATOR = {27: "pdu-2021", 21: "pdu-2023"}
"""Score denominators of the adult PDU frameworks (domain.md §2; data/raw/README.md)."""

ROUND_RULE = {
    "last_year_of_pdu_2021": 2023,
    "first_year_of_pdu_2023": 2024,
    "sources": (
        (
            "https://hmiprobation.justiceinspectorates.gov.uk/document/"
            "an-inspection-of-probation-services-east-midlands-region",
            "the first inspection of probation services in the East Midlands region under the new "
            "inspection programme which started in October 2023",
        ),
        (
            "https://www.justiceinspectorates.gov.uk/hmiprobation/media/press-releases/2024/05/"
            "pskss2024/",
            "This was the first regional inspection of the Inspectorate's current programme",
        ),
    ),
}
"""Which framework rated a PDU report, by date, and the public statements the rule rests on.

The current programme (``pdu-2023``, seven standards out of 21) started in October 2023, and
its first regional report, Kent, Surrey and Sussex, came in May 2024 after that region's PDU
reports; every PDU report published in 2023 (the last in August 2023) is of the 27-point
framework (``pdu-2021``). A report with no stated publication year takes the year its
fieldwork started: fieldwork from 2024 on is the current programme (the five undated
Yorkshire and the Humber reports: fieldwork 1 July to 25 October 2024); fieldwork in 2023
could be either and is left undecided.
"""

_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_YEAR_ONLY = re.compile(r"^(\d{4})\b")
_YEAR_IN_TEXT = re.compile(r"\b(20\d{2})\b")
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


def _framework(unit_type, score, year, fieldwork_start=None) -> tuple[str | None, str]:
    """The framework of one report and the basis of that choice (see :data:`ROUND_RULE`)."""
    if unit_type != "pdu":
        return None, f"not derived: a {unit_type} inspection, not a PDU inspection"
    misprint = ""
    published = re.fullmatch(r"\s*\d+\s*/\s*(\d+)\s*", score) if isinstance(score, str) else None
    if published:  # a score not of this form is refused by the score_format check
        denominator = int(published.group(1))
        fid = FRAMEWORK_BY_DENOMINATOR.get(denominator)
        if fid is not None:
            return fid, f"derived from the score's denominator ({denominator})"
        misprint = (
            f"; the score out of {denominator} matches no adult framework (kept as published)"
        )
    last, first = ROUND_RULE["last_year_of_pdu_2021"], ROUND_RULE["first_year_of_pdu_2023"]
    if pd.notna(year) and int(year) <= last:
        return "pdu-2021", f"derived from the publication year ({last} or before){misprint}"
    if pd.notna(year) and int(year) >= first:
        return "pdu-2023", f"derived from the publication year ({first} or later){misprint}"
    started = _YEAR_IN_TEXT.search(fieldwork_start) if isinstance(fieldwork_start, str) else None
    if started and int(started.group(1)) >= first:
        return "pdu-2023", (
            f"derived from the year fieldwork started ({started.group(1)}; no publication "
            f"year stated){misprint}"
        )
    if started and int(started.group(1)) < last:
        return "pdu-2021", (
            f"derived from the year fieldwork started ({started.group(1)}; no publication "
            f"year stated){misprint}"
        )
    return None, f"not derived: no publication year and no fieldwork year that settles it{misprint}"


def derive_rounds(frame: pd.DataFrame) -> None:
    """Add ``framework``, ``framework_basis``, ``report_date_iso``, ``date_precision`` in place."""
    frameworks, bases, dates, precisions = [], [], [], []
    for rec in frame.itertuples(index=False):
        fid, basis = _framework(rec.unit_type, rec.score, rec.report_year, rec.fieldwork_start)
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


def _full(text: str) -> set[str]:
    return set(_n.name_key(text).split()) - {"and", "of", "the", "pdu"}


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
        # A PDU is named only by all the words of its name, direction words included: a
        # news section such as ``uk-england-kent`` names a county, not West Kent PDU.
        named = sorted(p for p, words in others.items() if words and _full(p) <= tokens)
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
