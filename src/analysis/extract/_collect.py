"""Collect values read from one document, each with its sentence, location and reading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..io.numbers import PER_CENT
from ._numbers import NUMBER, parse_number
from .readers import Document

_RATING = r"(?P<rating>Outstanding|Good|Requires\s+improvement|Inadequate)"
RATING = _RATING
MONTHS = (
    "January February March April May June July August September October November December"
).split()
_MONTH = r"(?:" + "|".join(m[:3] + r"(?:" + m[3:] + r")?" for m in MONTHS) + r")"
DATE = rf"(?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{4}})"
"""A date as reports write it: '16 September 2024', '04 Dec 2023' or 'December 2024'."""


def iso_date(text: str) -> str | None:
    """'16 September 2024' -> '2024-09-16'; 'December 2024' -> '2024-12'; else None."""
    m = re.fullmatch(rf"(?:(\d{{1,2}})\s+)?({_MONTH})\s+(\d{{4}})", text.strip(), re.I)
    if not m:
        return None
    month = next(i for i, name in enumerate(MONTHS, 1) if name.lower().startswith(m[2][:3].lower()))
    return f"{m[3]}-{month:02d}" + (f"-{int(m[1]):02d}" if m[1] else "")


def sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (or table line) around ``text[start:end]``, whitespace collapsed."""
    lefts = [
        i + len(s) - 1
        for s in (". ", ".\n", "\n\n", "\u2022", "\n- ")
        if (i := text.rfind(s, 0, start)) >= 0
    ]
    left = max(lefts, default=-1)
    rights = [i for i in (text.find(s, end) for s in (". ", ".\n", "\n\n")) if i >= 0]
    right = min(rights) if rights else len(text)
    out = text[left + 1 : right + 1].strip(" -\u2022\n\t")
    return re.sub(r"\s+", " ", out)


def number_value(text: str) -> float:
    """Value of a number, a ratio ('four in five' -> 80) or a percentage phrase."""
    text = re.sub(r"\s+", " ", text.strip())
    m = re.fullmatch(rf"({NUMBER}) in ({NUMBER})", text, re.I)
    if m:
        return 100 * parse_number(m[1]) / parse_number(m[2])
    return float(parse_number(PER_CENT.sub("", text)))


@dataclass
class Collected:
    """Rows read from one document, per table, plus warnings; one report row."""

    doc: Document
    layout: str
    report: dict = field(default_factory=dict)
    ratings: list[dict] = field(default_factory=list)
    key_questions: list[dict] = field(default_factory=list)
    prompts: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    disagreements: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(standard, table rating, prose rating, sentence) where a ratings table and the text differ."""

    def provenance(self, line: int, source_text: str, read_as: str) -> dict:
        """The four provenance columns for a value read at 0-based ``line``."""
        return {
            "source_text": re.sub(r"\s+", " ", source_text).strip(),
            "location": self.doc.location(line),
            "read_as": read_as,
            "source_file": self.doc.path.name,
        }

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def figure(
        self,
        measure_id: str,
        topic: str,
        measure: str,
        value: float,
        unit: str,
        *,
        line: int,
        source_text: str,
        read_as: str,
        denominator: float | None = None,
        approximate: bool = False,
        bound: str | None = None,
        in_words: bool = False,
    ) -> None:
        self.figures.append(
            {
                "measure_id": measure_id,
                "topic": topic,
                "measure": measure,
                "value": float(value),
                "value_unit": unit,
                "denominator": None if denominator is None else float(denominator),
                "approximate": approximate,
                "bound": bound,
                "in_words": in_words,
                **self.provenance(line, source_text, read_as),
            }
        )

    def has_figure(self, measure_id: str) -> bool:
        return any(f["measure_id"] == measure_id for f in self.figures)

    def value_of(self, measure_id: str) -> float | None:
        return next((f["value"] for f in self.figures if f["measure_id"] == measure_id), None)


@dataclass(frozen=True)
class FigureSpec:
    """A figure read by a pattern: group ``v`` holds the value, optional ``d`` a denominator."""

    measure_id: str
    topic: str
    measure: str
    pattern: str
    unit: str = "count"
    denominator: float | None = None


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> tuple[re.Pattern, tuple[str, ...]]:
    """The pattern compiled, and its literal words (one of them is searched for first)."""
    literal = pattern.replace(NUMBER, " ")
    tokens = re.split(r"\\s[+*]|[()\[\]?*+|\\{}<>:^$]|\\.", literal)
    words = {t.lower() for t in tokens if re.fullmatch(r"[A-Za-z][A-Za-z-]{3,}", t)}
    return re.compile(pattern, re.I), tuple(sorted(words))


def search_near(pattern: str, text: str, lower: str, window: int = 400) -> re.Match | None:
    """First match of ``pattern`` (case-insensitive) near an occurrence of its rarest word.

    Equivalent to ``re.search`` for matches shorter than ``window`` characters either side of
    that word, and many times faster on a long report than scanning for a leading number.
    """
    rx, words = _compiled(pattern)
    if not words:
        return rx.search(text)
    anchor = min(words, key=lower.count)
    pos = lower.find(anchor)
    while pos >= 0:
        m = rx.search(text, max(0, pos - window), pos + len(anchor) + window)
        if m:
            return m
        pos = lower.find(anchor, pos + 1)
    return None


def read_figures(col: Collected, specs: list[FigureSpec], text: str | None = None) -> list[str]:
    """Read every spec's first match from the document text; return the ids not found."""
    text = col.doc.text if text is None else text
    lower = text.lower()
    missing = []
    for spec in specs:
        m = search_near(spec.pattern, text, lower)
        if not m:
            missing.append(spec.measure_id)
            continue
        raw = m.group("v")
        try:
            value = number_value(raw)
        except ValueError:
            col.warn(f"{spec.measure_id}: could not read the number {raw!r}")
            continue
        groups = m.groupdict()
        denominator = spec.denominator
        if groups.get("d"):
            denominator = float(parse_number(groups["d"]))
        words = not re.match(r"\s*\d", raw) or bool(
            groups.get("d") and not groups["d"][0].isdigit()
        )
        ratio = bool(re.search(r"\bin\b", raw))
        read_as = (
            "ratio in words" if ratio else "number in words" if words else "number in a sentence"
        )
        col.figure(
            spec.measure_id,
            spec.topic,
            spec.measure,
            value,
            spec.unit,
            line=col.doc.line_of(m.start("v")),
            source_text=sentence_at(text, m.start(), m.end()),
            read_as=read_as + (" (pattern)" if not ratio else ""),
            denominator=denominator,
            in_words=words,
        )
    return missing
