"""The regional effective-practice spotlight (PDF text like seed 000, web page like seed 001).

Reads the region, fieldwork dates, publication year where the page gives one, and the summary
counts: cases (community, licence), court reports, resettlement, unpaid work and victim cases,
pieces of effective practice. A total that does not equal its parts is kept as published and
warned about.
"""

from __future__ import annotations

import re

from ._collect import DATE, Collected, FigureSpec, iso_date, read_figures, sentence_at
from ._numbers import NUMBER, parse_number
from ._text import strip_back_to_top
from .identity import UNIT_NAME, trim_unit
from .readers import Document

__all__ = ["read_spotlight"]

N = rf"(?P<v>{NUMBER})"
_S = r"\s+"
FIGURES = [
    FigureSpec("cases", "sample", "cases reviewed", rf"reviewed{_S}{N}{_S}cases"),
    FigureSpec(
        "community",
        "sample",
        "cases subject to a community sentence",
        rf"cases,{_S}{N}{_S}of{_S}which{_S}were{_S}subject{_S}to{_S}a{_S}community",
    ),
    FigureSpec(
        "licence",
        "sample",
        "cases subject to release on licence",
        rf"community{_S}sentence{_S}and{_S}{N}{_S}to{_S}release{_S}on{_S}licence",
    ),
    FigureSpec("court-reports", "sample", "court reports reviewed", rf"{N}{_S}court{_S}reports"),
    FigureSpec(
        "resettlement",
        "sample",
        "cases subject to resettlement provision",
        rf"{N}{_S}cases{_S}subject{_S}to{_S}resettlement",
    ),
    FigureSpec(
        "upw", "sample", "unpaid work cases inspected", rf"inspected{_S}{N}{_S}unpaid{_S}work"
    ),
    FigureSpec(
        "victim",
        "sample",
        "statutory victim cases inspected",
        rf"{N}{_S}statutory{_S}victim{_S}cases",
    ),
    FigureSpec(
        "effective-practice",
        "effective_practice",
        "pieces of effective practice in domain two casework",
        rf"{N}{_S}pieces{_S}of{_S}effective{_S}practice",
    ),
]
_REPORT_COLUMNS = {
    "cases": "cases",
    "community": "cases_community",
    "licence": "cases_licence",
    "court-reports": "court_reports",
    "upw": "unpaid_work_cases",
    "victim": "victim_cases",
    "resettlement": "resettlement_cases",
}


def read_spotlight(doc: Document) -> Collected:
    """Read an effective-practice spotlight; missing figures become warnings."""
    from dataclasses import replace

    doc = replace(doc, lines=tuple(strip_back_to_top(t) for t in doc.lines))
    col = Collected(doc, "spotlight")
    text = doc.text
    m = re.search(
        r"Effective Practice Spotlight:\s*\**\s*(?:The Probation Service\s*[–-]\s*)?(.+?)\s+[Rr]egion\b",
        text,
    )
    region = m[1].strip(" *") if m else None
    if region is None:
        col.warn(
            "region not found in the title (expected 'Effective Practice Spotlight: ... region')"
        )
    col.report.update(
        unit=f"{region} region" if region else doc.path.stem,
        unit_type="region",
        region=region,
        framework="pdu-2023",
    )
    m = re.search(rf"Fieldwork[^.]*?between\s+({DATE})\s+and\s+({DATE})", text)
    if m:
        col.report["fieldwork_start"], col.report["fieldwork_end"] = iso_date(m[1]), iso_date(m[2])
    else:
        col.warn("fieldwork dates not found")
    m = re.search(rf"Published:?\s*({DATE})", text)
    y = re.search(r"^\s*Year:\s*\n?\s*(\d{4})\s*$", text, re.M)
    col.report["publication_date"] = iso_date(m[1]) if m else (y[1] if y else None)
    if not (m or y):
        col.warn("publication date not in the text; the fieldwork dates identify the report")
    missing = read_figures(col, FIGURES)
    for measure in missing:
        col.warn(f"figure not found: {measure}")
    for measure, column in _REPORT_COLUMNS.items():
        value = col.value_of(measure)
        col.report[column] = None if value is None else int(value)
    total, c, lic = (col.value_of(k) for k in ("cases", "community", "licence"))
    if None not in (total, c, lic) and total != c + lic:
        line = next(f for f in col.figures if f["measure_id"] == "cases")["location"]
        col.warn(
            f"cases reviewed: {total:g} published, but {c:g} community + {lic:g} licence = "
            f"{c + lic:g} ({line}); kept as published"
        )
    _pieces_by_pdu(col, text)
    return col


def _pieces_by_pdu(col: Collected, text: str) -> None:
    """Per-PDU counts where a spotlight states them ('In X PDU we found N pieces ...')."""
    # anchored on each "pieces of effective" and bounded to its sentence: linear in the text
    rx = re.compile(
        rf"\b(?P<pdu>{UNIT_NAME}\s+PDU)\b[^.]{{0,300}}?\b(?P<v>{NUMBER})\s+pieces\s+of\s+effective$"
    )
    for anchor in re.finditer(r"pieces\s+of\s+effective", text):
        start = max(text.rfind(".", 0, anchor.start()) + 1, anchor.start() - 500)
        m = rx.search(text, start, anchor.end())
        if not m:
            continue
        pdu = trim_unit(m["pdu"])
        slug = re.sub(r"[^a-z0-9]+", "-", pdu.lower()).strip("-")
        col.figure(
            f"effective-practice-{slug}",
            "effective_practice",
            f"pieces of effective practice, {pdu}",
            parse_number(m["v"]),
            "count",
            line=col.doc.line_of(m.start("v")),
            source_text=sentence_at(text, m.start(), m.end()),
            read_as="number in a sentence (pattern)",
            in_words=not m["v"][0].isdigit(),
        )
