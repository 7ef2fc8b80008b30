"""The current PDU inspection report, and the regional inspection that shares its layout.

Recognised by its title near the top ("An inspection of probation services in North Wales
PDU", with or without a colon, the unit on the title line or the next), as PDF text (seed 003)
or as the Inspectorate's web page (headings ending "(Back to top)"); see :mod:`.identity`. Reads the ratings block,
stated departures from the rating rule, each case-supervision standard's key-question table,
prompt-level sentences, the sample, staffing, caseload, User Voice and outcomes.
"""

from __future__ import annotations

import re

from .. import frameworks
from ..io import numbers as _num
from ._collect import DATE, RATING, Collected, iso_date, read_figures, sentence_at
from ._numbers import NUMBER, parse_number
from ._pdu_figures import FIGURES
from ._prompts import read_prompts
from ._text import strip_back_to_top
from .identity import read_date, read_region, read_title, unit_type_of
from .pages import add_prose
from .readers import Document

__all__ = ["read_pdu"]

_HEADING = re.compile(r"^\s*P\s*(\d)\s*\.\s*(\d)\.?\s+([A-Z][A-Za-z ,]+?)\s*$")


def _strip_web(doc: Document) -> Document:
    from dataclasses import replace

    return replace(doc, lines=tuple(strip_back_to_top(line) for line in doc.lines))


def _unit(col: Collected) -> None:
    title = read_title(col.doc)
    if title is None or not title.unit:
        col.report["unit"] = None
        col.warn(
            "no unit named in the title (expected 'An inspection of probation services in "
            f"<unit>'; found {title.source_text if title else 'no title'!r})"
        )
        return
    unit_type = unit_type_of(title.unit, title.kind)
    col.layout = title.kind
    col.report.update(
        unit=title.unit,
        unit_type=unit_type,
        region=read_region(col.doc, title.unit),
        _unit_line=(title.line, title.source_text),
    )
    date, source = read_date(col.doc)
    col.report["publication_date"] = date
    if date:
        col.report["_date_source"] = source
    else:
        col.warn(
            "publication date not found (expected 'HM Inspectorate of Probation, <Month Year>' "
            "or 'Published: <date>'); the file is kept as its own report"
        )


def _ratings(col: Collected) -> None:
    text = col.doc.text
    start = re.search(r"^\s*Ratings\s*$", text, re.M)
    if not start:
        col.warn("ratings section not found: no standard or overall ratings read")
        return
    end = re.search(r"^\s*Recommendations\s*$", text[start.end() :], re.M)
    block_end = start.end() + (end.start() if end else 2000)
    block = text[start.start() : block_end]
    base = start.start()

    def at(m: re.Match, group: int | str = 0) -> int:
        return col.doc.line_of(base + m.start(group))

    m = re.search(rf"Fieldw\s*(?:\S+\s+)?ork\s+started\s+({DATE})", block)
    if m:
        col.report["fieldwork_month"] = (iso_date(m[1]), at(m))
    m = re.search(r"Score\s*(\d+)\s*/\s*(\d+)", block)
    score = (int(m[1]), int(m[2]), at(m), m[0]) if m else None
    if score:
        col.figure(
            "score",
            "ratings",
            "overall score",
            score[0],
            "count",
            line=score[2],
            source_text=score[3],
            read_as="ratings table line",
            denominator=score[1],
        )
    m = re.search(rf"Overa\w*\s*(?:all\s*)?rating\s*{RATING}", block)
    if m:
        col.ratings.append(
            {
                "standard": "overall",
                "standard_id": None,
                "standard_name": "Overall rating",
                "rating": _rating(m["rating"]),
                "score": score[0] if score else None,
                "max_score": score[1] if score else None,
                "rule_rating": None,
                "departure_text": None,
                **col.provenance(
                    at(m), m[0] + (f"; {score[3]}" if score else ""), "ratings table line"
                ),
            }
        )
    else:
        col.warn("overall rating not found in the ratings section")
    for m in re.finditer(
        rf"^\s*P\s*(\d)\s*\.\s*(\d)\.?\s+([A-Za-z][A-Za-z ,]*?)\s+{RATING}\s*$", block, re.M
    ):
        col.ratings.append(
            {
                "standard": m[3].strip(),
                "standard_id": f"P{m[1]}.{m[2]}",
                "standard_name": m[3].strip(),
                "rating": _rating(m["rating"]),
                "score": None,
                "max_score": None,
                "rule_rating": None,
                "departure_text": None,
                **col.provenance(at(m), m[0], "ratings table line"),
            }
        )


def _rating(text: str) -> str:
    return re.sub(r"\s+", " ", text).capitalize()


def _framework(col: Collected) -> str:
    overall = next((r for r in col.ratings if r["standard"] == "overall"), None)
    if overall and overall["max_score"] == 27:
        return "pdu-2021"
    return "pdu-2023"


def _sections(lines: tuple[str, ...]) -> list[tuple[str, str, int, int]]:
    """(standard id, printed name, first line, end line) of each 'P 2.1. Assessment' section."""
    heads = [(i, _HEADING.match(t)) for i, t in enumerate(lines)]
    heads = [(i, m) for i, m in heads if m and not re.search(rf"\s{RATING}$", m[3])]
    stops = [
        i
        for i, t in enumerate(lines)
        if re.fullmatch(
            r"\s*(Outcomes|Annexe.*|Feedback from people on probation|Diversity and inclusion)\s*",
            t,
        )
    ]
    out = []
    for k, (i, m) in enumerate(heads):
        nxt = [j for j in [h for h, _ in heads[k + 1 :]] + stops if j > i]
        out.append((f"P{m[1]}.{m[2]}", m[3].strip(), i, min(nxt) if nxt else len(lines)))
    return out


def _standard_slug(fw, name: str) -> str | None:
    try:
        return fw.standard(name).slug
    except KeyError:
        return None


def _key_questions(col: Collected, fw, sid: str, slug: str, start: int, end: int) -> set[int]:
    lines = col.doc.lines
    texts = {re.sub(r"\W+", " ", k.text.lower()).strip(): k for k in fw.key_questions}
    used: set[int] = set()
    for i in range(start, end):
        if "?" not in lines[i] or not lines[i].rstrip().endswith("%"):
            continue
        m = re.match(r"^\s*(.+\?)\s*([^?\s]+\s*%)\s*$", lines[i])
        if not m:
            continue
        used.add(i)
        wanted = re.sub(r"\W+", " ", m[1].lower()).strip()
        kq = texts.get(wanted)
        if kq is None:
            kq = next(
                (k for k in fw.key_questions if k.standard == slug and _close(wanted, k.text)), None
            )
        if kq is None:
            col.warn(
                f"{sid}: key question not in framework {fw.id}: {m[1]!r} ({col.doc.location(i)})"
            )
            continue
        try:
            pct = _num.percentage(m[2])
        except _num.NumberProblem as problem:
            col.warn(
                f"{sid}: key question {kq.id} not read: {col.doc.path.name}, "
                f"{col.doc.location(i)}, column pct_yes: {m[2]!r}: expected {problem}."
            )
            continue
        earlier = next((r for r in col.key_questions if r["key_question"] == kq.id), None)
        if earlier is not None:
            same = earlier["pct_yes"] == pct
            col.warn(
                f"{sid}: key question {kq.id} printed again at {col.doc.location(i)} "
                + (
                    "with the same figure; read once"
                    if same
                    else f"with {pct:g}% against {earlier['pct_yes']:g}% at {earlier['location']}; "
                    "the first is kept"
                )
            )
            if not same:
                col.disagreements.append(
                    (f"key question {kq.id}", f"{earlier['pct_yes']:g}%", f"{pct:g}%", lines[i])
                )
            continue
        col.key_questions.append(
            {
                "framework": fw.id,
                "standard": kq.standard,
                "area": kq.area,
                "key_question": kq.id,
                "question_text": m[1].strip(),
                "pct_yes": pct,
                "n": None,
                "n_basis": None,
                **col.provenance(i, lines[i], "key-question table line"),
            }
        )
    return used


def _close(a: str, b: str) -> bool:
    wa, wb = set(a.split()), set(re.sub(r"\W+", " ", b.lower()).split())
    return len(wa & wb) / max(1, len(wa | wb)) >= 0.75


def _departures(col: Collected, sections) -> None:
    text = col.doc.text
    for m in re.finditer(r"would\s+normally\s+indicate[^.]*?'([^']+)'", text):
        line = col.doc.line_of(m.start())
        sid = next((s for s, _, a, b in sections if a <= line < b), None)
        sentence = sentence_at(text, m.start(), m.end())
        rule = _rating(m[1])
        for r in col.ratings:
            if r["standard_id"] == sid:
                r["rule_rating"] = rule
                r["departure_text"] = sentence
        if sid is None:
            col.warn(
                f"a departure from the rating rule outside a standard's section ({col.doc.location(line)})"
            )


def _sample(col: Collected) -> None:
    text = col.doc.text
    m = re.search(
        rf"inspected\s+(?P<c>{NUMBER})\s+community\s+orders\s+and\s+(?P<l>{NUMBER})\s+releases\s+on\s+licence",
        text,
        re.I,
    )
    if m:
        c, lic = parse_number(m["c"]), parse_number(m["l"])
        sent = sentence_at(text, m.start(), m.end())
        line = col.doc.line_of(m.start())
        words = not (m["c"][0].isdigit() and m["l"][0].isdigit())
        col.figure(
            "community",
            "sample",
            "community orders inspected",
            c,
            "count",
            line=line,
            source_text=sent,
            read_as="number in a sentence (pattern)",
            in_words=not m["c"][0].isdigit(),
        )
        col.figure(
            "licence",
            "sample",
            "releases on licence inspected",
            lic,
            "count",
            line=line,
            source_text=sent,
            read_as="number in a sentence (pattern)",
            in_words=not m["l"][0].isdigit(),
        )
        stated = re.search(rf"of\s+the\s+(?P<v>{NUMBER})\s+cases\s+inspected", text, re.I)
        if stated:
            total = parse_number(stated["v"])
            col.figure(
                "cases",
                "sample",
                "cases inspected",
                total,
                "count",
                line=col.doc.line_of(stated.start()),
                source_text=sentence_at(text, stated.start(), stated.end()),
                read_as="number in a sentence (pattern)",
                in_words=not stated["v"][0].isdigit(),
            )
            if total != c + lic:
                col.warn(
                    f"cases inspected: {total} stated, but {c} community + {lic} licence = {c + lic}; kept as published"
                )
        else:
            col.figure(
                "cases",
                "sample",
                "cases inspected",
                c + lic,
                "count",
                line=line,
                source_text=sent,
                read_as="sum of community and licence cases",
                in_words=words,
            )
    else:
        col.warn(
            "case sample not found (expected 'We inspected N community orders and N releases on licence')"
        )
    m = re.search(rf"fieldwork[^.]*?beginning\s+({DATE})", text, re.I)
    if m:
        col.report["fieldwork_start"] = iso_date(m[1])
    elif "fieldwork_month" in col.report:
        col.report["fieldwork_start"] = col.report["fieldwork_month"][0]


def read_pdu(doc: Document) -> Collected:
    """Read a PDU (or regional) inspection report; missing sections become warnings."""
    col = Collected(_strip_web(doc), "pdu-report")
    _unit(col)
    if col.report.get("unit") is None:
        return col
    _ratings(col)
    _sample(col)
    col.report.pop("fieldwork_month", None)
    fid = _framework(col)
    fw = frameworks.get(fid)
    col.report["framework"] = fid
    for r in col.ratings:
        if r["standard"] != "overall":
            slug = _standard_slug(fw, r["standard_name"])
            r["standard"] = slug or r["standard_name"]
            if slug is None:
                col.warn(
                    f"rating of {r['standard_name']!r} kept under its printed name: not a "
                    f"standard of {fid} ({r['location']})"
                )
    sections = _sections(col.doc.lines)
    _departures(col, sections)
    cases = col.value_of("cases")
    n_prompts = 0
    for sid, name, start, end in sections:
        slug = _standard_slug(fw, name)
        if slug is None:
            col.warn(f"{sid} {name!r} is not a standard of {fid}; its figures were not read")
            continue
        if slug not in fw.case_based_standards:
            continue
        used = _key_questions(col, fw, sid, slug, start, end)
        n_prompts += read_prompts(col, slug, start + 1, end, used)
    for row in col.key_questions:
        row["n"] = None if cases is None else int(cases)
        row["n_basis"] = (
            "cases in the sample (the report gives percentages only)" if cases else None
        )
    if not col.key_questions:
        col.warn(
            "no key-question tables found (expected 'Key question / Percentage Yes' tables under P 2.1-P 2.4)"
        )
    missing = read_figures(col, FIGURES)
    important = {"charged", "convicted", "progress-offending", "caseload", "staff-in-post"}
    for measure in sorted(important & set(missing)):
        col.warn(f"figure not found: {measure}")
    charged, convicted, either = (
        col.value_of(k) for k in ("charged", "convicted", "charged-or-convicted")
    )
    if None not in (charged, convicted, either) and charged + convicted != either:
        col.warn(
            f"charged or convicted: {either:g} published, but {charged:g} charged + "
            f"{convicted:g} convicted = {charged + convicted:g}; kept as published"
        )
    if n_prompts == 0:
        col.warn("no prompt-level results found in the case-supervision sections")
    # ratings the text also states must agree with the table (a difference is a conflict)
    add_prose(col, col.report["unit"], [col.report["unit"]], check_only=True)
    return col
