"""Which report a file holds: unit, unit type, kind of publication and date, read as a key.

A report's identity is read, never guessed. The unit comes from the title as the site and the
PDFs print it ("An inspection of probation services in North Wales PDU", with or without a
colon; "An inspection of Probation Services – East Midlands region"; "Dynamic Inspection of
Public Protection in South West region"; "National Inspection – April 2025"; "An inspection of
youth justice work with children and victims in Trafford") or, for a press release, from the
sentence that names the inspected unit ("Suffolk Probation Delivery Unit (PDU) has received an
overall rating of …"). A heading word ("Published:", "Foreword", "Contents") or a sentence is
never a unit. The date comes from the date lines ("Published: 18 March 2025", "HM Inspectorate
of Probation, December 2024", "These reports were published on 30 March 2023", "(also
published on 01 June 2023)") or from the page's own address where a saved page keeps it
(canonical link, ``og:url``, the "This publication is available at" line).

Two files are copies of one report only when :meth:`Identity.key` agrees; a file whose
identity has no date gets a key of its own (its content hash), so it is never merged with a
different file.

>>> unit_key("Cardiff and the Vale Probation Delivery Unit (PDU)")
'cardiff and vale'
>>> unit_key("East Midlands region of the Probation Service")
'east midlands'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..data import reference
from ..data.normalise import match_name, name_key
from ._collect import DATE, iso_date
from ._text import strip_back_to_top
from .readers import Document

__all__ = [
    "Identity",
    "UnitMention",
    "read_title",
    "read_date",
    "read_region",
    "reference_name",
    "unit_key",
    "unit_type_of",
    "clean_unit",
    "UNIT_NAME",
    "trim_unit",
    "is_heading_word",
    "headline",
    "KINDS",
]

KINDS = (
    "pdu-report",
    "pdu-press",
    "region-report",
    "region-press",
    "national-report",
    "youth-report",
    "youth-press",
)
"""Kinds of publication that are an inspection report of a unit (or its press release)."""

_HEAD = 80
"""Lines searched for the title and the date lines."""
_MAX_UNIT = 90
"""Longest plausible unit name, in characters; a longer 'unit' is a sentence."""

_BOILERPLATE = re.compile(
    r"^(?:Skip to (?:main )?content|Are you OK with cookies\?|We use small files called|"
    r"All content is available under|To view this licence|https?://|www\.|or write to:?|"
    r"Information Policy Team|The National Archives|Kew,?|London TW9|or email:?|"
    r"This publication is available at:?|Published:?|Home|Menu|Search|Accept|Reject|"
    r"Crown copyright|©)",
    re.I,
)
_HEADING_WORDS = re.compile(
    r"^(?:Published|Foreword|Contents|Ratings|Summary|Introduction|Executive summary|"
    r"Recommendations|Background|Acknowledgements?|Data annexe|Press release|Update|"
    r"Chief Inspector\W*s judgement|Skip to content|Subject|Overview|Context)\b\s*:?"
    r"(?:\s*\(Back to top\))?\s*$",
    re.I,
)
_DASH = r"\s*[–—-]\s*"
_Q = r"[‘'’\"“”]"


def is_heading_word(text: str) -> bool:
    """True for a heading or a label ("Published:", "Foreword (Back to top)"), never a unit."""
    return _HEADING_WORDS.match(text.strip()) is not None


def _plausible_unit(text: str) -> bool:
    text = text.strip()
    return (
        bool(text)
        and len(text) <= _MAX_UNIT
        and not is_heading_word(text)
        and not text.endswith((".", ":", "?", "!"))
        and re.search(rf"{_Q}|\brated\b|\bhas\b|\bwill\b", text) is None
        and re.match(r"[A-Z0-9]", text) is not None
    )


def clean_unit(text: str) -> str:
    """A unit name as printed, tidied: spaces collapsed, '(PDU)*' and trailing marks removed.

    >>> clean_unit("Essex North Probation Delivery Unit (PDU)*")
    'Essex North PDU'
    """
    text = re.sub(r"\s+", " ", text).strip(" ,;*")
    text = re.sub(r"\s*\bProbation Delivery Unit\s*\(PDUs?\*?\)\*?", " PDU", text)
    text = re.sub(r"\s*\(PDU\*?\)\*?", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,;*")


_CAP = r"(?:[A-Z][\w'’.-]*|\((?:PDUs?|YOS|YJS)\*?\)\*?)"
UNIT_NAME = rf"{_CAP}(?:(?:,\s+|\s+)(?:(?:and|the|of|upon|with|on|&)\s+)*{_CAP})*"
"""A unit named in a sentence: capitalised words joined by spaces, commas and 'and', 'the',
'of' or '&'. It may begin with the sentence's own capitalised words: see :func:`trim_unit`."""
_NOT_UNIT_START = re.compile(
    r"^(?:The|A|An|This|These|Probation|Probation Services?|HM|His|Her|Majesty’s|Inspectors?|"
    r"Chief|Today|Also|Both|One|In|At|For)\s+",
)


def trim_unit(name: str) -> str:
    """A :data:`UNIT_NAME` match without the leading sentence words that are capitalised but
    not part of a unit name, tidied by :func:`clean_unit`.

    >>> trim_unit("In Northtown Probation Delivery Unit (PDU)")
    'Northtown PDU'
    """
    prev = None
    while prev != name:
        prev, name = name, _NOT_UNIT_START.sub("", name, count=1)
    return clean_unit(name)


_GENERIC = re.compile(
    r"\b(?:of\s+the\s+probation\s+service|of\s+probation\s+service|the\s+probation\s+service|"
    r"region|the|youth\s+justice\s+service|youth\s+offending\s+service|yjs|yos|"
    r"probation\s+service)\b"
)


def unit_key(name: str) -> str:
    """A key for comparing unit names across layouts: the one matcher's key
    (:func:`analysis.data.normalise.name_key`) without the generic words a title or a release
    adds ('region of the Probation Service', 'Youth Justice Service (YJS)', 'the')."""
    key = name_key(name)
    return " ".join(_GENERIC.sub(" ", key).split())


def unit_type_of(name: str, kind: str | None = None) -> str:
    """'pdu', 'region', 'national' or 'youth' from the kind or, failing that, the name."""
    if kind:
        return {"pdu": "pdu", "region": "region", "national": "national", "youth": "youth"}[
            kind.split("-")[0]
        ]
    if re.search(r"Youth (?:Justice|Offending) Service|\bY[JO]S\b", name):
        return "youth"
    if re.search(r"\bregion\b|National Probation Service", name, re.I):
        return "region"
    return "pdu"


def reference_name(unit: str, unit_type: str) -> tuple[str | None, str | None]:
    """The reference list's name for ``unit`` via :func:`~analysis.data.normalise.match_name`
    (the one name matcher), as ``(match, suggestion)``; regions are matched without 'region'."""
    pdus, regions = sorted(reference.pdus()), sorted(reference.regions())
    if unit_type == "region":
        bare = re.sub(
            r"(?i)\bregion\b.*$|^the probation service\s*[–—-]\s*|\bNational Probation Service\b",
            "",
            unit,
        )
        return match_name(bare.strip(" ,"), regions)
    if unit_type == "pdu":
        return match_name(unit, pdus)
    return None, None


@dataclass(frozen=True)
class UnitMention:
    """A unit named by a title or a sentence, with the kind of publication it makes the file."""

    unit: str
    kind: str
    line: int
    source_text: str
    date: str | None = None


@dataclass(frozen=True)
class Identity:
    """What makes a report itself: unit, unit type, kind, and publication or fieldwork date."""

    unit: str
    unit_type: str
    kind: str
    date: str | None
    reference: str | None
    region: str | None
    sha256: str

    def key(self) -> tuple[str, str, str, str]:
        """Equal only for copies of one report: the reference name (else the unit's key), the
        unit type, the kind and the month of the date (a PDF prints "May 2025" where its web
        page prints "Published: 14 May 2025"); an undated file's key holds its content hash,
        and a date known only to the year never equals a month."""
        name = self.reference or unit_key(self.unit)
        when = self.date[:7] if self.date else f"undated:{self.sha256}"
        return (name.lower(), self.unit_type, self.kind, when)


def headline(doc: Document, start: int = 0) -> tuple[int, str] | None:
    """The first line after the site's banners, licence lines and date labels."""
    for i in range(start, min(len(doc.lines), start + _HEAD)):
        text = doc.lines[i].strip()
        if text and not _BOILERPLATE.match(text) and not is_heading_word(text):
            return i, text
    return None


_TITLES: tuple[tuple[str, re.Pattern], ...] = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        (
            "region-report",
            rf"^An inspection of probation services{_DASH}(?P<unit>(?:the\s+)?[^.:]{{1,80}}?\bregion)\s*$",
        ),
        ("pdu-report", r"^An inspection of probation services in\b\s*:?\s*(?P<unit>[^:]*)$"),
        ("region-report", r"^Dynamic Inspection of Public Protection in\b\s*:?\s*(?P<unit>.*)$"),
        ("national-report", rf"^National Inspection{_DASH}(?P<date>{DATE})\s*$"),
        (
            "youth-report",
            r"^An inspection of youth (?:justice|offending) (?:work|services)"
            r"(?: with children(?: and victims)?)? in\b\s*:?\s*(?P<unit>.*)$",
        ),
        (
            "youth-report",
            r"^(?:Full |Short )?(?:joint )?inspection of youth offending work in\b\s*:?\s*(?P<unit>.*)$",
        ),
    )
)


def read_title(doc: Document) -> UnitMention | None:
    """The report's title in the first lines, with the unit it names; None if no title.

    The unit is on the title line ("… in North Wales PDU") or, after a colon with nothing
    after it, on the next non-empty line (the PDF layout); headings are skipped, never read as
    the unit. Returns a mention with an empty unit where the title names no plausible unit.
    """
    for i, line in enumerate(doc.lines[:_HEAD]):
        if len(line) > 300:
            continue
        text = strip_back_to_top(line.strip())
        for kind, rx in _TITLES:
            m = rx.match(text)
            if not m:
                continue
            if kind == "national-report":
                return UnitMention(_national_unit(doc), kind, i, text, date=iso_date(m["date"]))
            unit = clean_unit(m["unit"])
            j = i
            if not unit:
                nxt = [
                    (k, doc.lines[k].strip())
                    for k in range(i + 1, min(len(doc.lines), i + 12))
                    if doc.lines[k].strip()
                ]
                nxt = [(k, t) for k, t in nxt if not is_heading_word(t)][:1]
                if nxt:
                    j, unit = nxt[0][0], clean_unit(nxt[0][1])
            if not _plausible_unit(unit):
                return UnitMention("", kind, i, text)
            if kind == "pdu-report" and "PDU" not in unit and re.search(r"\bregion\b", unit, re.I):
                kind = "region-report"
            if kind == "youth-report":
                unit = _youth_service(doc, unit)
            return UnitMention(unit, kind, j, text)
    return None


def _national_unit(doc: Document) -> str:
    m = re.search(
        r"sufficiency of (national arrangements across [^.,;]{3,120}?\))", doc.text[:20000]
    )
    return clean_unit(m[1]) if m else "national arrangements of the Probation Service"


def _youth_service(doc: Document, place: str) -> str:
    m = re.search(
        re.escape(place) + r"\s+(Youth (?:Justice|Offending) Service(?:\s*\((?:YJS|YOS)\))?)",
        doc.text[:20000],
    )
    return f"{place} {m[1]}" if m else place


_DATE_LINES = (
    re.compile(rf"^\s*Published:?\s*(?P<d>{DATE})\s*$", re.I),
    re.compile(rf"HM Inspectorate of Probation,?\s+(?P<d>{DATE})\s*$", re.I),
    re.compile(rf"\bThese reports were published on\s+(?P<d>{DATE})", re.I),
    re.compile(rf"\(also published on\s+(?P<d>{DATE})\)", re.I),
    re.compile(rf"\bwas published (?:today )?on\s+(?P<d>{DATE})", re.I),
)
_ADDRESS = re.compile(r"https?://[\w.-]*justiceinspectorates\.gov\.uk/[^\s\"'<>]+", re.I)


def _date_of_address(url: str) -> str | None:
    m = re.search(r"/(20\d\d)/(0[1-9]|1[0-2])/", url)
    if m:
        return f"{m[1]}-{m[2]}"
    m = re.search(r"-(20\d\d)/?$", url)
    return m[1] if m else None


def read_date(doc: Document) -> tuple[str | None, str | None]:
    """The publication date and where it was read (``(iso, source)``), or ``(None, None)``.

    A 'Published:' label with the date on the next line is read too; a date in a sentence
    about another report ("(published on 29 June 2023)" after another unit) is not.
    """
    lines = doc.lines[: _HEAD * 3]
    for i, line in enumerate(lines):
        if len(line) > 2000:
            continue
        for rx in _DATE_LINES:
            m = rx.search(line)
            if m:
                return iso_date(m["d"]), line.strip()
        if re.fullmatch(r"\s*Published:?\s*", line):
            nxt = next((t for t in lines[i + 1 : i + 4] if t.strip()), "")
            if re.fullmatch(rf"\s*{DATE}\s*", nxt):
                return iso_date(nxt.strip()), f"{line.strip()} {nxt.strip()}"
    for url in (*doc.addresses, *_ADDRESS.findall("\n".join(lines))):
        date = _date_of_address(url)
        if date:
            return date, url
    return None, None


def read_region(doc: Document, unit: str = "") -> str | None:
    """The probation region as the page names it ('The Probation Service – North East region')."""
    m = re.search(
        rf"Probation Service{_DASH}(?P<r>[A-Z][A-Za-z, ]{{2,40}}?)\s+[Rr]egion\b",
        doc.text[:20000],
    )
    if m:
        return m["r"].strip()
    m = re.search(r"^(?:the\s+)?(?P<r>[A-Z][A-Za-z, ]{2,40}?)\s+region\b", unit)
    return m["r"].strip() if m else None
