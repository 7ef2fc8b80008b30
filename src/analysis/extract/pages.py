"""Press releases and report pages that state their findings in prose.

A press release (PDU, regional, national, youth) names the inspected unit in a sentence and
states its rating there; one release may name several units, each with its own rating (each
becomes its own report). A report web page's opening (foreword, Chief Inspector's judgement),
a national inspection and a youth justice inspection report are read the same way when they
print no ratings table. Everything is read by :mod:`analysis.extract.prose`.
"""

from __future__ import annotations

import re

from ._collect import Collected
from .identity import (
    UNIT_NAME,
    UnitMention,
    headline,
    read_date,
    read_region,
    read_title,
    trim_unit,
    unit_key,
    unit_type_of,
)
from .prose import (
    QUOTED,
    Sentence,
    count_statements,
    overall_statements,
    percent_statements,
    score_statements,
    sentences,
    standard_statements,
)
from .readers import Document

__all__ = ["press_units", "read_page", "add_prose", "PRESS_SENTENCES"]

PRESS_SENTENCES = 25
"""Sentences from the headline on in which a press release must name its unit."""

_PRESS = tuple(
    (what, re.compile(p))
    for what, p in (
        ("each", rf"(?P<units>{UNIT_NAME})\s+each received"),
        (
            "unit",
            rf"(?P<unit>{UNIT_NAME})\s+(?:has|have) received an overall (?:regional )?rating of\s+{QUOTED}",
        ),
        (
            "unit",
            rf"\b(?:in|for)\s+(?P<unit>{UNIT_NAME})\s+(?:has|have) been rated (?:as )?{QUOTED}",
        ),
        (
            "youth",
            rf"(?P<unit>{UNIT_NAME}?\s+Youth (?:Offending|Justice) Service(?:\s*\((?:YOS|YJS)\))?)",
        ),
        ("region", rf"(?P<unit>{UNIT_NAME}\s+region)\s+of\s+(?:the\s+)?Probation Service\b"),
        ("region", r"(?P<unit>(?:[A-Z][\w'’-]*\s+){1,4}?National Probation Service)\b(?!\s*\()"),
    )
)
_GENERIC_UNITS = frozenset({"", "service", "services", "probation", "probation services"})


def _kind_of(unit: str, what: str) -> str:
    if what == "youth" or unit_type_of(unit) == "youth":
        return "youth-press"
    if what == "region" or unit_type_of(unit) == "region":
        return "region-press"
    return "pdu-press"


def press_units(doc: Document) -> list[UnitMention]:
    """The unit(s) a press release is about, from the first sentence that names them."""
    head = headline(doc)
    if head is None:
        return []
    count = 0
    for s in sentences(doc.lines, head[0]):
        count += 1
        if count > PRESS_SENTENCES:
            break
        for what, rx in _PRESS:
            m = rx.search(s.text)
            if not m:
                continue
            if what == "each":
                names = re.split(r"(?<=PDU),?\s+(?:and\s+)?(?=[A-Z])", m["units"])
                names = [trim_unit(n) for n in names if n.strip()]
                if len(names) > 1 and all(n.endswith("PDU") for n in names):
                    return [UnitMention(n, "pdu-press", s.line, s.text) for n in names]
                continue
            unit = trim_unit(m["unit"])
            if not unit or len(unit) > 90 or unit_key(unit) in _GENERIC_UNITS:
                continue
            if what == "youth" and not re.match(r"[A-Z]", unit.split(" Youth ")[0] or "x"):
                continue
            if what == "youth" and unit.startswith("Youth "):
                continue
            return [UnitMention(unit, _kind_of(unit, what), s.line, s.text)]
    return []


def _rating_row(standard: str, rating: str, col: Collected, s: Sentence, read_as: str, **kw):
    return {
        "standard": standard,
        "standard_id": None,
        "standard_name": kw.get("name"),
        "rating": rating,
        "score": kw.get("score"),
        "max_score": kw.get("max_score"),
        "rule_rating": None,
        "departure_text": None,
        **col.provenance(s.line, s.text, read_as),
    }


def _about(s: Sentence, unit: str, others: list[str]) -> bool:
    """Whether a sentence of a multi-unit release is about ``unit`` alone."""
    key = " " + unit_key(s.text) + " "
    return f" {unit_key(unit)} " in key and not any(
        f" {unit_key(o)} " in key for o in others if o != unit
    )


def add_prose(
    col: Collected, unit: str, units: list[str], *, start: int = 0, check_only: bool = False
) -> None:
    """Add the ratings and figures stated in prose about ``unit`` to ``col``.

    Where ``col`` already holds a rating read from a table, a prose rating that differs is
    recorded in ``col.disagreements`` (and warned about); the table's value is kept. With
    ``check_only`` (a report with a ratings table) prose is only compared with the table.
    """
    items = list(sentences(col.doc.lines, start))
    multi = len(units) > 1
    statements = overall_statements(items, col.warn)
    if multi:
        statements = [st for st in statements if st.each or _about(st.sentence, unit, units)]
    table = {r["standard"]: r for r in col.ratings}
    scores = score_statements(items)
    if multi:
        scores = [sc for sc in scores if _about(sc[2], unit, units)]
    if statements:
        first = statements[0]
        differing = sorted({st.rating for st in statements} - {first.rating})
        if differing:
            col.warn(
                f"prose states more than one overall rating: {first.rating!r} (line "
                f"{first.sentence.line + 1}) and {', '.join(map(repr, differing))}; the first "
                "is kept"
            )
        score = scores[0] if scores else None
        if "overall" in table:
            _agree(col, "overall", table["overall"]["rating"], first.rating, first.sentence)
        elif not check_only:
            col.ratings.append(
                _rating_row(
                    "overall",
                    first.rating,
                    col,
                    first.sentence,
                    "overall rating stated in prose"
                    + (" (each unit named)" if first.each and multi else ""),
                    name="Overall rating",
                    score=score[0] if score else None,
                    max_score=score[1] if score else None,
                )
            )
    elif "overall" not in table and not check_only:
        col.warn(
            "overall rating not stated in the text read (no ratings table and no sentence "
            "stating it)"
        )
    if not multi:
        for slug, rating, s in standard_statements(items):
            if slug in table:
                _agree(col, slug, table[slug]["rating"], rating, s)
            elif not check_only:
                col.ratings.append(
                    _rating_row(slug, rating, col, s, "standard rating stated in prose", name=slug)
                )
    if check_only:
        return
    for value, top, s, words in scores:
        if not col.has_figure("score"):
            col.figure(
                "score",
                "ratings",
                "overall score",
                value,
                "count",
                line=s.line,
                source_text=s.text,
                read_as="score stated in prose",
                denominator=top,
                in_words=not words.strip()[0].isdigit(),
            )
        elif col.value_of("score") != value:
            col.warn(f"a second score is stated ({words!r}, line {s.line + 1}); the first is kept")
    if multi:
        return
    for k, c in enumerate(count_statements(items), 1):
        if c["n"] is None:
            continue
        col.figure(
            f"standards-rated-{c['rating'].lower().replace(' ', '-')}-{k}",
            "ratings",
            f"{c['what']} rated {c['rating']}",
            c["n"],
            "count",
            line=c["sentence"].line,
            source_text=c["sentence"].text,
            read_as="count of standards stated in prose",
            denominator=c["of"],
            in_words=not str(c["words"]).lstrip("‘'\"“ ").lower().startswith(tuple("0123456789")),
        )
    for k, p in enumerate(percent_statements(items), 1):
        col.figure(
            f"prose-pct-cases-{k}",
            p["topic"] or "cases",
            "per cent of cases stated in prose",
            p["value"],
            "percent",
            line=p["sentence"].line,
            source_text=p["sentence"].text,
            read_as="percentage stated in prose",
        )


def _agree(col: Collected, standard: str, table_rating: str, prose: str, s: Sentence) -> None:
    if table_rating != prose:
        col.disagreements.append((standard, table_rating, prose, s.text))
        col.warn(
            f"{standard}: the ratings table gives {table_rating!r} but the text states "
            f"{prose!r} (line {s.line + 1}); listed in conflicts"
        )


def read_page(doc: Document, kind: str) -> list[Collected]:
    """Read a press release or a report page stating its findings in prose; one
    :class:`Collected` per unit named (a release about three PDUs gives three)."""
    mentions: list[UnitMention]
    title = read_title(doc) if not kind.endswith("-press") else None
    if title is not None:
        mentions = [title]
    else:
        mentions = press_units(doc)
    date, date_source = read_date(doc)
    units = [m.unit for m in mentions]
    out = []
    for mention in mentions or [UnitMention("", kind, 0, "")]:
        col = Collected(doc, mention.kind)
        if not mention.unit:
            col.report["unit"] = None
            col.warn(f"no unit named in the title or the first sentences ({mention.source_text!r})")
            out.append(col)
            continue
        unit_type = unit_type_of(mention.unit, mention.kind)
        col.report.update(
            unit=mention.unit,
            unit_type=unit_type,
            region=read_region(doc, mention.unit) if unit_type in ("pdu", "region") else None,
            publication_date=mention.date or date,
        )
        col.report["_unit_line"] = (mention.line, mention.source_text)
        if not (mention.date or date):
            col.warn(
                "publication date not stated in the text read (the file is kept as its own report)"
            )
        elif date_source:
            col.report["_date_source"] = date_source
        add_prose(col, mention.unit, units)
        out.append(col)
    return out
