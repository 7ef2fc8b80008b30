"""The 2013 Inspection of Adult Offending Work report of a probation trust (seed 002).

Reads the trust, the publication month, the five section scores of the summary ("Assisting
sentencing 82%"), the number of cases inspected, the progress scale (good, some,
insufficient, deterioration), the share not cautioned, charged or convicted, and the
offending-related factor table (cases, % sufficient interventions, % sufficient progress).
"""

from __future__ import annotations

import re

from .. import frameworks
from ._collect import DATE, Collected, FigureSpec, iso_date, read_figures, sentence_at
from ._numbers import NUMBER, find_quantities
from .readers import Document

__all__ = ["read_adult_2013"]

N = rf"(?P<v>{NUMBER})"
_S = r"\s+"
FIGURES = [
    FigureSpec(
        "cases",
        "sample",
        "cases inspected",
        rf"assessed{_S}{N}{_S}cases{_S}during{_S}this{_S}inspection",
    ),
    FigureSpec(
        "progress-good",
        "outcomes",
        "good progress on the most significant factors",
        rf"In{_S}{N}{_S}cases,?{_S}we{_S}found{_S}offenders{_S}had{_S}made{_S}good{_S}progress",
    ),
    FigureSpec(
        "progress-some",
        "outcomes",
        "some progress on the most significant factors",
        rf"with{_S}{N}{_S}showing{_S}some{_S}progress",
    ),
    FigureSpec(
        "progress-insufficient",
        "outcomes",
        "insufficient progress on the most significant factors",
        rf"In{_S}{N}{_S}cases{_S}we{_S}thought{_S}there{_S}had{_S}been{_S}insufficient{_S}progress",
    ),
    FigureSpec(
        "progress-deterioration",
        "outcomes",
        "deterioration",
        rf"in{_S}{N}{_S}cases{_S}there{_S}had{_S}been{_S}deterioration",
    ),
]
SECTIONS = [
    ("assisting-sentencing", "Assisting sentencing"),
    ("delivering-sentence", "Delivering the sentence of the court"),
    ("reducing-reoffending", "Reducing the likelihood of reoffending"),
    ("protecting-public", "Protecting the public"),
    ("victims", "Delivering effective work for victims"),
]
_FACTOR = re.compile(r"^\s*([a-zA-Z][a-zA-Z ,'-]*?)\s*\((\d+)\)\s+(\d+)\s*%\s+(\d+)\s*%\s*$")


def read_adult_2013(doc: Document) -> Collected:
    """Read a 2013 adult offending work inspection; missing parts become warnings."""
    col = Collected(doc, "adult-2013")
    text = doc.text
    fw = frameworks.get("adult-2013")
    m = re.search(
        r"inspection\s+of\s+adult\s+offending\s+work\s+in\s+(.+?)\s+was\s+undertaken", text, re.I
    )
    t = re.search(r"Inspection of Adult Offending Work:?\s*\n?\s*(.+?Probation Trust)", text)
    unit = t[1].strip() if t else (f"{m[1].strip()} Probation Trust" if m else None)
    if unit is None:
        col.warn("trust name not found")
    col.report.update(unit=unit or doc.path.stem, unit_type="trust", region=None, framework=fw.id)
    p = re.search(rf"^\s*({DATE})\s*$", "\n".join(doc.lines[:120]), re.M)
    col.report["publication_date"] = iso_date(p[1]) if p else None
    if not p:
        col.warn("publication month not found near the foreword")
    for key, name in SECTIONS:
        m = re.search(rf"^\s*{re.escape(name)}\s+(\d+)\s*%\s*$", text, re.M)
        if not m:
            col.warn(f"section score not found: {name}")
            continue
        col.figure(
            key,
            "section_scores",
            name,
            float(m[1]),
            "percent",
            line=doc.line_of(m.start()),
            source_text=m[0],
            read_as="summary table line",
        )
    for missing in read_figures(col, FIGURES):
        col.warn(f"figure not found: {missing}")
    m = re.search(
        r"(?P<q>just over|almost|nearly|about|over)?\s*(?P<f>three-quarters|two-thirds|half)\s+of\s+"
        r"individuals\s+had\s+not\s+been\s+cautioned",
        text,
        re.I,
    )
    if m:
        q = find_quantities(m[0])[0]
        col.figure(
            "no-further-offence",
            "outcomes",
            "not cautioned, charged or convicted of a further offence during supervision",
            q.pct,
            "percent",
            line=doc.line_of(m.start()),
            source_text=sentence_at(text, m.start(), m.end()),
            read_as="fraction in words",
            denominator=col.value_of("cases"),
            approximate=q.approximate,
            bound=q.bound,
            in_words=True,
        )
    else:
        col.warn("figure not found: no-further-offence")
    _factors(col)
    cases = col.value_of("cases")
    col.report["cases"] = None if cases is None else int(cases)
    return col


def _factors(col: Collected) -> None:
    lines = col.doc.lines
    start = next(
        (i for i, t in enumerate(lines) if re.match(r"\s*Offending-related factor", t)), None
    )
    if start is None:
        col.warn("offending-related factor table not found")
        return
    group = None
    found = 0
    for i in range(start, min(len(lines), start + 80)):
        t = lines[i]
        if re.match(r"\s*Most prevalent factors", t):
            group = "most prevalent"
        elif re.match(r"\s*Other common factors", t):
            group = "other common"
        m = _FACTOR.match(t)
        if not m:
            if found and re.match(r"\s*\d+\.\s", t):
                break
            continue
        found += 1
        name = m[1].strip()
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        for suffix, measure, value, unit in (
            ("cases", "cases where the factor applied", m[2], "count"),
            (
                "interventions",
                "% with sufficient interventions or services delivered",
                m[3],
                "percent",
            ),
            ("progress", "% with sufficient progress", m[4], "percent"),
        ):
            col.figure(
                f"factor-{slug}-{suffix}",
                "offending_factors",
                f"{name}: {measure}",
                float(value),
                unit,
                line=i,
                source_text=t,
                read_as=f"factor table line ({group or 'ungrouped'})",
                denominator=float(m[2]) if unit == "percent" else None,
            )
    if not found:
        col.warn("offending-related factor table has no rows that could be read")
