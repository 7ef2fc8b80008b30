"""Ratings and figures stated in prose: forewords, summaries and press releases.

Reads, sentence by sentence, the overall rating ("This led to an overall rating of
'Requires improvement'", "we have given the PDU an overall rating of 'Inadequate'", "the
region will be disappointed to be rated as 'Inadequate' overall"), standard ratings ("awarded
a 'Good' rating for leadership", "leadership was rated as 'good'"), scores ("two points out of
a possible 27"), counts of standards ("'Inadequate' ratings for eight out of nine quality
standards", "'Inadequate' for all four service delivery standards") and percentages of cases
named in a sentence ("sufficient in only 35 per cent of cases"). Every value keeps its
sentence and ``read_as`` says it was read from prose.

What is not read as this unit's rating, on purpose: an earlier rating ("last inspected in
2022, when it was rated as 'Good'"), another unit's rating ("The other is Liverpool North PDU,
which also received a rating of …"), and ratings given "respectively" to several units, which
cannot be paired; each gives a warning instead.

Every pattern here runs on one sentence with its whitespace collapsed and its length capped
(:data:`MAX_SENTENCE`), so reading is linear in the size of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ._numbers import NUMBER, parse_number

__all__ = [
    "Sentence",
    "sentences",
    "OverallStatement",
    "overall_statements",
    "standard_statements",
    "score_statements",
    "count_statements",
    "percent_statements",
    "MAX_SENTENCE",
    "is_other_or_earlier",
]

MAX_SENTENCE = 1500
"""Characters of a sentence that the prose patterns look at (a longer run is cut)."""

_R = r"(?P<rating>Outstanding|Good|Requires\s+improvement|Inadequate)"
_OPEN = r"(?:\(\s*)?[‘'\"“(]\s*"
_CLOSE = r"\s*[’'\"”)]"
QUOTED = rf"{_OPEN}{_R}{_CLOSE}"
_QUOTED_RX = re.compile(QUOTED, re.I)


@dataclass(frozen=True)
class Sentence:
    """One sentence (or headline) of the text: whitespace collapsed, with its first line."""

    text: str
    line: int


def sentences(
    lines: tuple[str, ...], start: int = 0, stop: int | None = None
) -> Iterator[Sentence]:
    """Sentences of ``lines[start:stop]``: a line is split after '.', '!' or '?' followed by a
    space and a capital or a quote; lines are never joined (a web page's paragraph is a line)."""
    stop = len(lines) if stop is None else stop
    for i in range(start, min(stop, len(lines))):
        line = lines[i]
        if not line.strip():
            continue
        if len(line) > 20 * MAX_SENTENCE:
            line = line[: 20 * MAX_SENTENCE]
        line = " ".join(line.split())
        for part in re.split(r"(?<=[.!?])\s+(?=[A-Z‘'\"“])", line):
            if part:
                yield Sentence(part[:MAX_SENTENCE], i)


_OTHER_OR_EARLIER = re.compile(
    r"\b(?:last inspected|previous(?:ly)?|earlier inspection|when it was rated|"
    r"the other(?: \w+)? (?:is|are|was|were)\b|others are|the second is|"
    r"which (?:also |both )?received|(?:also|both) received|in 20\d\d,? when)"
    r"|\((?:also )?published on",
    re.I,
)


def is_other_or_earlier(text: str) -> bool:
    """True where a sentence gives an earlier rating or another unit's rating."""
    return _OTHER_OR_EARLIER.search(text) is not None


def rating_label(text: str) -> str:
    """'Requires  Improvement' -> 'Requires improvement'."""
    return " ".join(text.split()).capitalize()


@dataclass(frozen=True)
class OverallStatement:
    """An overall rating stated in a sentence, for one unit or for each unit named."""

    rating: str
    sentence: Sentence
    each: bool = False


_OVERALL = tuple(
    re.compile(p, re.I)
    for p in (
        rf"\boverall (?:regional )?rating (?:of|is|was)\s+{QUOTED}",
        rf"\brated (?:as )?{QUOTED} overall",
        rf"\brated\b[^.]{{0,80}}?\bas {QUOTED} overall",
        rf"\b(?:has|have)(?P<each> each)? been rated (?:as )?{QUOTED}",
        rf"(?P<each>\beach\b)[^.]{{0,40}}\breceived the lowest rating possible\s*{QUOTED}",
        rf"^Overall, [^.]{{1,80}}?\b(?:was|is|has been) rated (?:as )?{QUOTED}",
        rf"\bgave the service an overall rating of\s+{QUOTED}",
    )
)
_BARE = r"(?:Outstanding|Good|Requires\s+improvement|Inadequate)"
_RESPECTIVELY = re.compile(
    rf"{_OPEN}{_BARE}{_CLOSE}\s+and\s+{_OPEN}{_BARE}{_CLOSE},?\s+respectively", re.I
)


def overall_statements(items: list[Sentence], warn) -> list[OverallStatement]:
    """Every sentence stating an overall rating for the unit(s) the text is about."""
    out = []
    for s in items:
        if not _QUOTED_RX.search(s.text):
            continue
        if _RESPECTIVELY.search(s.text):
            warn(
                f"ratings given 'respectively' to several units cannot be paired with a unit; "
                f"not read (line {s.line + 1}: {s.text[:160]!r})"
            )
            continue
        if is_other_or_earlier(s.text):
            continue
        for rx in _OVERALL:
            m = rx.search(s.text)
            if m:
                each = bool(m.groupdict().get("each"))
                out.append(OverallStatement(rating_label(m["rating"]), s, each))
                break
    return out


_STANDARD_WORDS = (
    ("leadership", r"leadership"),
    ("staffing", r"staffing|staff"),
    ("services", r"services"),
    ("information_and_facilities", r"information and facilities"),
    ("partnerships_and_services", r"partnerships and services"),
    ("assessment", r"assessment"),
    ("planning", r"planning"),
    ("implementation_and_delivery", r"implementation and delivery"),
    ("reviewing", r"reviewing"),
    ("victims", r"work to support victims|victims? work|work with victims"),
    ("court_disposals", r"court disposals"),
    ("out_of_court_disposals", r"out-of-court disposals"),
)
_STD = "(?P<std>" + "|".join(p for _, p in _STANDARD_WORDS) + ")"
_STANDARD_RX = tuple(
    re.compile(p, re.I)
    for p in (
        rf"\b(?:awarded|given|gave|received) (?:it |the \w+ )?an? {QUOTED} rating for (?:its |the )?{_STD}\b",
        rf"(?<!\w){QUOTED} (?:rating )?for (?:its |the )?{_STD}\b(?! standards)",
        rf"\b{_STD} (?:was|were|is) (?:rated|judged|found to be) (?:as )?{QUOTED}",
    )
)


def _standard_slug(word: str) -> str:
    word = word.lower()
    for slug, pattern in _STANDARD_WORDS:
        if re.fullmatch(pattern, word):
            return slug
    return word  # pragma: no cover


def standard_statements(items: list[Sentence]) -> list[tuple[str, str, Sentence]]:
    """(standard slug, rating, sentence) for each standard rating stated in prose."""
    out = []
    for s in items:
        if not _QUOTED_RX.search(s.text) or is_other_or_earlier(s.text):
            continue
        for rx in _STANDARD_RX:
            for m in rx.finditer(s.text):
                out.append((_standard_slug(m["std"]), rating_label(m["rating"]), s))
    seen, unique = set(), []
    for slug, rating, s in out:
        if slug not in seen:
            seen.add(slug)
            unique.append((slug, rating, s))
    return unique


_SCORE = re.compile(
    rf"\b(?P<v>{NUMBER})\s+(?:inspection\s+)?points?\s+out\s+(?:of\s+)?(?:a\s+)?"
    rf"(?:possible\s+|total\s+of\s+)?(?P<d>\d+)\b"
    rf"|\b(?P<v2>{NUMBER})\s+out\s+of\s+(?:a\s+)?(?:possible\s+|total\s+of\s+)?(?P<d2>\d+)\s+"
    rf"(?:inspection\s+)?points\b",
    re.I,
)


def score_statements(items: list[Sentence]) -> list[tuple[int, int, Sentence, str]]:
    """(score, maximum, sentence, words) for each score stated ('two points out of a possible 27')."""
    out = []
    for s in items:
        if "point" not in s.text.lower():
            continue
        for m in _SCORE.finditer(s.text):
            raw, top = (m["v"], m["d"]) if m["v"] else (m["v2"], m["d2"])
            try:
                out.append((int(parse_number(raw)), int(top), s, m[0]))
            except ValueError:
                continue
    return out


_COUNT = re.compile(
    rf"{QUOTED}\s+(?:ratings?\s+)?(?:for|in|across)\s+(?:(?P<all>all)\s+(?:(?P<n_all>{NUMBER})\s+)?"
    rf"|(?P<n>{NUMBER})\s+out\s+of\s+(?:the\s+)?(?P<d>{NUMBER})\s+)(?:of\s+(?:our|the)\s+)?"
    r"(?P<what>(?:[a-z-]+\s+){0,3}?(?:standards|dimensions of case ?work|aspects|categories))",
    re.I,
)


_COUNT_AFTER = re.compile(
    rf"\ball\s+(?P<n_all>{NUMBER})\s+(?:of\s+our\s+)?"
    r"(?P<what>(?:[a-z-]+\s+){0,3}?(?:standards|dimensions of case ?work))"
    rf"[^.‘'’]{{0,60}}?\b(?:was|were)\s+(?:rated\s+(?:as\s+)?)?{QUOTED}",
    re.I,
)


def count_statements(items: list[Sentence]) -> list[dict]:
    """Counts of standards with one rating: ``{rating, n, of, what, sentence, words}``."""
    out = []
    for s in items:
        if is_other_or_earlier(s.text):
            continue
        matches = [*_COUNT.finditer(s.text), *_COUNT_AFTER.finditer(s.text)]
        for m in matches:
            try:
                if m.groupdict().get("all") or m.re is _COUNT_AFTER:
                    n = parse_number(m["n_all"]) if m["n_all"] else None
                    of = n
                else:
                    n, of = parse_number(m["n"]), parse_number(m["d"])
            except ValueError:
                continue
            out.append(
                {
                    "rating": rating_label(m["rating"]),
                    "n": n,
                    "of": of,
                    "what": " ".join(m["what"].split()),
                    "sentence": s,
                    "words": m[0],
                }
            )
    return out


_PERCENT = re.compile(
    rf"\b(?P<v>{NUMBER})\s*(?:per\s*cent|percent|%)\s+of\s+(?:the\s+)?(?:cases|them)\b", re.I
)
_TOPICS = (
    (
        "keeping_safe",
        r"risk of harm|keep(?:ing)? (?:other people|people|others) safe|public protection|safety",
    ),
    ("desistance", r"desistance|reoffending"),
    ("engagement", r"engag"),
)


def percent_statements(items: list[Sentence]) -> list[dict]:
    """Percentages of cases named in a sentence: ``{value, topic, sentence, words}``."""
    out = []
    for s in items:
        low = s.text.lower()
        if "cent" not in low and "%" not in low:
            continue
        if "sufficient" not in low and "satisf" not in low:
            continue
        for m in _PERCENT.finditer(s.text):
            try:
                value = float(parse_number(m["v"]))
            except ValueError:
                continue
            topic = next((t for t, p in _TOPICS if re.search(p, low)), None)
            out.append({"value": value, "topic": topic, "sentence": s, "words": m[0]})
    return out
