"""Prompt-level results: sentences in a case-supervision section that state a figure.

Each figure in a sentence ("in five out of 20 cases", "(85 per cent)", "a quarter of the
cases") becomes one row, with the sentence as the prompt. The area (engagement, desistance,
keeping other people safe) and the direction (does the figure count sufficient or deficient
work?) are read from the wording; both are heuristics, documented in docs/extraction.md.
"""

from __future__ import annotations

import re

from ._collect import Collected
from ._numbers import Quantity, find_quantities

_BULLET = re.compile(r"^\s*(?:[-•*\u2022\u25aa]|\d+\.|[\u00b9\u00b2\u00b3\u2070-\u2079]+)\s+")
_FOOTNOTE = re.compile(
    r"rating band|driven by the (?:lowest )?score|^Key question|Percentage 'Yes'|data workbook",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?)])\s+(?=[A-Z\"'\u00b9\u00b2\u00b3\u2070-\u2079])")
_DEFICIENT = re.compile(
    r"\b(?:not|no|insufficient(?:ly)?|lack(?:ed|ing)?|limited|poor(?:ly)?|incorrect(?:ly)?|"
    r"absent|missing|too\s+low|fail(?:ed)?|without|under-use|deficits?|inadequate|unmet|"
    r"did\s+not|neither|nor)\b",
    re.I,
)
_AREA_WORDS = [
    (
        "keeping_safe",
        r"\brisk\b|\bsafe|victim|safeguard|domestic abuse|\bprotect(?:ing|ion)?\b|MAPPA|"
        r"\bharm\b|\bchild|police|contingency",
    ),
    (
        "engagement",
        r"engag|complian|motivation|readiness|relationship|diversity|protected characteristic|"
        r"maturity|personal circumstances|contact|induction|flexib",
    ),
    (
        "desistance",
        r"desistance|offending|reoffending|strengths|protective factors|interventions?|"
        r"services|agencies|toolkit|accommodation",
    ),
]


def paragraphs(lines: list[str], start: int, end: int) -> list[tuple[int, str]]:
    """Group lines ``start:end`` into bullet points and paragraphs: (first line, text)."""
    out: list[tuple[int, list[str]]] = []
    for i in range(start, end):
        line = lines[i]
        if not line.strip():
            if out and out[-1][1]:
                out.append((i + 1, []))
            continue
        if _BULLET.match(line) or not out:
            out.append((i, [_BULLET.sub("", line)]))
        else:
            if not out[-1][1]:
                out[-1] = (i, [])
            out[-1][1].append(line.strip())
    return [(i, " ".join(parts)) for i, parts in out if parts]


def area_of(sentence: str) -> str | None:
    """Area of practice named by the sentence's wording, or None."""
    for area, words in _AREA_WORDS:
        if re.search(words, sentence, re.I):
            return area
    return None


def _drop_restatements(qs: list[Quantity], sentence: str) -> list[Quantity]:
    """'one-third of relevant cases (six)', 'almost half (45 per cent)': keep the precise one."""
    keep: list[Quantity] = []
    for i, q in enumerate(qs):
        nxt = qs[i + 1] if i + 1 < len(qs) else None
        if (
            q.kind == "fraction"
            and nxt is not None
            and "(" in sentence[q.end : nxt.start]
            and len(sentence[q.end : nxt.start]) < 30
        ):
            continue
        keep.append(q)
    return keep


_CLAUSE_BREAK = re.compile(r";|,\s+(?:and|but|while|whereas|we|although)\b")


def _clause(sentence: str, q: Quantity) -> str:
    """The part of the sentence the figure belongs to: between clause breaks around it."""
    left = 0
    for m in _CLAUSE_BREAK.finditer(sentence, 0, q.start):
        left = m.end()
    m = _CLAUSE_BREAK.search(sentence, q.end)
    return sentence[left : m.start() if m else len(sentence)]


def read_prompts(col: Collected, standard: str, start: int, end: int, skip: set[int]) -> int:
    """Add a prompt row for each figure in lines ``start:end``; return how many were added."""
    lines = ["" if i in skip else line for i, line in enumerate(col.doc.lines)]
    added = 0
    for first, text in paragraphs(lines, start, end):
        for sentence in _SENTENCE.split(text):
            if _FOOTNOTE.search(sentence):
                continue
            qs = _drop_restatements(find_quantities(sentence), sentence)
            for q in qs:
                clause = _clause(sentence, q)
                direction = "deficient" if _DEFICIENT.search(clause) else "sufficient"
                pct = q.pct
                col.prompts.append(
                    {
                        "standard": standard,
                        "area": area_of(sentence),
                        "prompt": sentence.strip(),
                        "quantity_text": q.text,
                        "n": q.n,
                        "n_relevant": q.denominator,
                        "pct": pct,
                        "direction": direction,
                        "pct_sufficient": None
                        if pct is None
                        else (pct if direction == "sufficient" else 100 - pct),
                        "approximate": q.approximate,
                        "bound": q.bound,
                        "in_words": q.in_words,
                        **col.provenance(first, text, f"{q.kind} in a sentence"),
                    }
                )
                added += 1
    return added
