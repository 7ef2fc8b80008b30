"""Which layout a document has, and the reader for it.

Layouts as the site publishes them: the report of a PDU, a region (including the Dynamic
Inspection of Public Protection), the national inspection and a youth justice service, as PDF
text or as the web page; press releases of each; the effective-practice spotlight; the 2013
adult offending work inspection. Pages that look similar but are not an inspection report of a
unit (thematic inspections, guides, annual reports, blogs, methodology and consultation pages)
are recognised and skipped with the reason.

>>> sorted(LAYOUTS)[:4]
['adult-2013', 'national-report', 'not-a-report', 'pdu-press']
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ._collect import Collected
from .adult2013 import read_adult_2013
from .errors import UnrecognisedLayoutError
from .identity import headline, read_title
from .pages import press_units, read_page
from .pdu import read_pdu
from .readers import Document
from .spotlight import read_spotlight

__all__ = ["detect_layout", "LAYOUTS", "NOT_REPORTS", "not_a_report"]

_HEAD_LINES = 150
_SIGNS = [
    ("spotlight", re.compile(r"Effective Practice Spotlight", re.I)),
    ("adult-2013", re.compile(r"inspection of adult offending work", re.I)),
    ("practice-guide", re.compile(r"effective practice guide", re.I)),
]

_NOT_A_REPORT = (
    ("an annual report", r"\bannual (?:probation |youth )?report\b|\bYouth Annual Report\b"),
    ("a blog post", r"^\d{1,2} [A-Z][a-z]+ 20\d\d\s*[-–—]\s|\bmy blogs?\b"),
    ("a thematic inspection", r"\bthematic inspection\b"),
    ("a consultation", r"^Consultation\b|\bconsultation on\b"),
    ("an announcement", r"\bInspection announcement\b"),
    ("a methodology page", r"^When and how we inspect\b|\bour inspections\b|Inspection guidance\b"),
    ("a guide", r"\b(?:practice|inspection) guide\b"),
)
_NOT_A_REPORT_RX = tuple((what, re.compile(p, re.I | re.M)) for what, p in _NOT_A_REPORT)


def not_a_report(doc: Document, headline_only: bool) -> str | None:
    """What a page that is not an inspection report of a unit is ('an annual report'), or None."""
    head = headline(doc)
    if head is None:
        return None
    text = head[1] if headline_only else "\n".join(doc.lines[head[0] : head[0] + 40])
    for what, rx in _NOT_A_REPORT_RX:
        if rx.search(text[:20000]):
            return what
    return None


def _tabled(doc: Document) -> bool:
    """A report printing the ratings table (PDF text or full web page), read by read_pdu."""
    return any(re.fullmatch(r"\s*Ratings\s*(?:\(Back to top\))?\s*", t) for t in doc.lines[:400])


def _read_report(doc: Document) -> list[Collected]:
    title = read_title(doc)
    kind = title.kind if title else "pdu-report"
    if kind in ("pdu-report", "region-report") and _tabled(doc):
        return [read_pdu(doc)]
    return read_page(doc, kind)


LAYOUTS: dict[str, Callable[[Document], Collected | list[Collected]] | None] = {
    "pdu-report": _read_report,
    "region-report": _read_report,
    "national-report": _read_report,
    "youth-report": _read_report,
    "pdu-press": lambda doc: read_page(doc, "pdu-press"),
    "region-press": lambda doc: read_page(doc, "region-press"),
    "youth-press": lambda doc: read_page(doc, "youth-press"),
    "spotlight": read_spotlight,
    "adult-2013": read_adult_2013,
    "practice-guide": None,
    "not-a-report": None,
}
"""Layout id -> reader (one report, or one per unit a release names); None for pages
recognised but holding no inspection of a unit."""

NOT_REPORTS = {
    "practice-guide": "an effective practice guide (no inspection figures)",
    "not-a-report": "not an inspection report of a unit",
}


def detect_layout(doc: Document) -> str:
    """The layout id of ``doc`` from its title, headline and first lines.

    Raises
    ------
    UnrecognisedLayoutError
        When no known layout's title, press-release sentence or sign appears; the message
        names the file and lists what was looked for.
    """
    head = "\n".join(doc.lines[:_HEAD_LINES])
    for layout, sign in _SIGNS:
        if sign.search(head):
            return layout
    title = read_title(doc)
    if title is not None:
        return title.kind
    if not_a_report(doc, headline_only=True):
        return "not-a-report"
    units = press_units(doc)
    if units:
        return units[0].kind
    if not_a_report(doc, headline_only=False):
        return "not-a-report"
    raise UnrecognisedLayoutError(
        f"{doc.path}: not a recognised inspection report layout (looked in the first "
        f"{_HEAD_LINES} lines for a report title such as 'An inspection of probation services "
        "in <unit>', 'Dynamic Inspection of Public Protection in <region>', 'National "
        "Inspection – <month year>', a press-release sentence naming the inspected unit "
        "('<unit> Probation Delivery Unit (PDU) has received an overall rating of …'), and "
        "the signs of the spotlight, 2013 adult offending work and practice guide layouts)."
    )
