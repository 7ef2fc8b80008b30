"""The framework objects: standards, key questions, bands and the provenance of every rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..exceptions import FrameworkDefinitionError
from .guidance import GuidanceRule, build_guidance_rules
from .vocabulary import AREAS, RATINGS

__all__ = ["Provenance", "Standard", "KeyQuestion", "Framework", "build_framework"]


@dataclass(frozen=True)
class Provenance:
    """Where a rule comes from, and whether a published source confirms it.

    ``source`` is written for readers (it names the publication, never a file of the project);
    ``seed`` is the number of the seed publication it comes from, when it does, for whoever
    checks the rule against the seeds.
    """

    source: str
    confirmed: bool
    seed: str | None = None

    def __str__(self) -> str:
        flag = "confirmed" if self.confirmed else "UNCONFIRMED"
        return f"{flag}: {self.source}"


@dataclass(frozen=True)
class Standard:
    id: str
    slug: str
    name: str
    domain: int
    case_based: bool


@dataclass(frozen=True)
class KeyQuestion:
    standard: str
    area: str
    text: str

    @property
    def id(self) -> str:
        """Column name used for this key question in case-level data, e.g. ``planning_desistance``."""
        return f"{self.standard}_{self.area}"


@dataclass(frozen=True)
class Framework:
    """One inspection framework. Build with :func:`get`; never edit in place."""

    id: str
    name: str
    years: str
    rated_unit: str
    has_ratings: bool
    scoring: str
    standards: tuple[Standard, ...]
    key_questions: tuple[KeyQuestion, ...]
    rating_bands: tuple[tuple[str, float], ...]
    """(rating, lower bound in %) best first; a band applies from its lower bound inclusive."""
    rating_scores: Mapping[str, int]
    overall_bands: tuple[tuple[str, int], ...]
    """(rating, lowest total score) best first."""
    max_score: int | None
    provenance: Mapping[str, Provenance] = field(default_factory=dict)
    origin: str = ""
    """The file this framework was read from."""
    guidance_rules: tuple[GuidanceRule, ...] = ()
    """Rating decision guidance quoted by reports (never inherited through ``extends``)."""

    # --- lookups -------------------------------------------------------------------------
    @cached_property
    def standard_slugs(self) -> tuple[str, ...]:
        return tuple(s.slug for s in self.standards)

    @cached_property
    def case_based_standards(self) -> tuple[str, ...]:
        return tuple(s.slug for s in self.standards if s.case_based)

    @cached_property
    def standards_with_key_questions(self) -> tuple[str, ...]:
        """Case-based standards that have key questions, so can be rated from cases here.

        A case-based standard without key questions in the framework file (court work in
        ``pdu-2021``, whose tool is not held) is rated only as published.
        """
        with_kq = {k.standard for k in self.key_questions}
        return tuple(s for s in self.case_based_standards if s in with_kq)

    @cached_property
    def key_question_ids(self) -> tuple[str, ...]:
        return tuple(k.id for k in self.key_questions)

    def standard(self, key: str) -> Standard:
        """Find a standard by slug, id or name (case and spacing ignored)."""
        wanted = _normalise(key)
        for s in self.standards:
            if wanted in (_normalise(s.slug), _normalise(s.id), _normalise(s.name)):
                return s
        known = ", ".join(s.slug for s in self.standards)
        raise KeyError(f"Framework {self.id!r} has no standard {key!r}. Known standards: {known}.")

    # --- rules ---------------------------------------------------------------------------
    def band_for_pct(self, pct: float) -> str | None:
        """The rating band for a percentage (lower bound inclusive, unrounded); None for NaN."""
        if not self.rating_bands:
            raise ValueError(f"Framework {self.id!r} has no rating bands ({self.scoring}).")
        if pct != pct:  # NaN
            return None
        if pct < 0 or pct > 100:
            raise ValueError(f"A percentage must be between 0 and 100, got {pct!r}.")
        for rating, lower in self.rating_bands:
            if pct >= lower:
                return rating
        raise AssertionError("bands must start at 0")  # pragma: no cover - checked on load

    def overall_rating(self, score: float) -> str | None:
        """The overall rating for a total score; None for a missing score."""
        if score != score:
            return None
        if not self.overall_bands:
            raise ValueError(f"Framework {self.id!r} has no overall bands.")
        for rating, lower in self.overall_bands:
            if score >= lower:
                return rating
        raise ValueError(f"Score {score!r} is below the lowest overall band of {self.id!r}.")

    @property
    def band_edges(self) -> tuple[float, ...]:
        """Lower bounds as fractions, worst band first: (0, .5, .65, .8) for pdu-2023."""
        return tuple(lower / 100 for _, lower in reversed(self.rating_bands))

    # --- presentation --------------------------------------------------------------------
    def standards_table(self):
        import pandas as pd

        return pd.DataFrame(
            [vars(s) for s in self.standards],
            columns=["id", "slug", "name", "domain", "case_based"],
        )

    def key_questions_table(self):
        import pandas as pd

        return pd.DataFrame(
            [
                {"key_question": k.id, "standard": k.standard, "area": k.area, "text": k.text}
                for k in self.key_questions
            ],
            columns=["key_question", "standard", "area", "text"],
        )

    def rules_table(self):
        """Every rule with its provenance, for a reader to check what is assumed."""
        import pandas as pd

        rows = [
            {"rule": name, "source": p.source, "confirmed": p.confirmed}
            for name, p in self.provenance.items()
        ]
        return pd.DataFrame(rows, columns=["rule", "source", "confirmed"])

    def __repr__(self) -> str:
        lines = [
            f"<Framework {self.id}: {self.name}>",
            f"  rated unit: {self.rated_unit}; {len(self.standards)} standards"
            + (f", score out of {self.max_score}" if self.max_score else ""),
            f"  key questions: {len(self.key_questions)}",
        ]
        if self.rating_bands:
            bands = ", ".join(f"{r} >= {lo:g}%" for r, lo in self.rating_bands)
            lines.append(f"  standard bands: {bands}")
        for name, p in self.provenance.items():
            lines.append(f"  {name}: {p}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        from html import escape

        head = f"<p><b>{escape(self.id)}</b>: {escape(self.name)}</p>"
        return (
            head
            + self.standards_table().to_html(index=False)
            + self.rules_table().to_html(index=False)
        )


def _normalise(text: str) -> str:
    return " ".join(str(text).lower().replace("_", " ").replace("-", " ").split())


def _provenance(raw: Mapping[str, Any], where: str, origin: str) -> Provenance:
    try:
        seed = raw.get("seed")
        return Provenance(
            source=str(raw["source"]),
            confirmed=bool(raw["confirmed"]),
            seed=None if seed is None else str(seed),
        )
    except KeyError as err:
        raise FrameworkDefinitionError(
            f"{origin}: [{where}] needs 'source' and 'confirmed' (provenance of every rule); missing {err}."
        ) from None


def build_framework(raw: Mapping[str, Any], origin: str) -> Framework:
    def need(key: str) -> Any:
        if key not in raw:
            raise FrameworkDefinitionError(f"{origin}: missing required field {key!r}.")
        return raw[key]

    fid = str(need("id"))
    try:
        standards = tuple(
            Standard(
                id=str(s["id"]),
                slug=str(s["slug"]),
                name=str(s["name"]),
                domain=int(s["domain"]),
                case_based=bool(s.get("case_based", False)),
            )
            for s in need("standards")
        )
        kqs = tuple(
            KeyQuestion(standard=str(k["standard"]), area=str(k["area"]), text=str(k["text"]))
            for k in raw.get("key_questions", [])
        )
    except KeyError as err:
        raise FrameworkDefinitionError(
            f"{origin}: a standard or key question lacks field {err}."
        ) from None
    slugs = [s.slug for s in standards]
    if len(set(slugs)) != len(slugs):
        raise FrameworkDefinitionError(f"{origin}: duplicate standard slugs in {slugs}.")
    for k in kqs:
        if k.standard not in slugs:
            raise FrameworkDefinitionError(
                f"{origin}: key question {k.id!r} names standard {k.standard!r}, "
                f"which framework {fid!r} does not have (standards: {', '.join(slugs)})."
            )
        if k.area not in AREAS:
            raise FrameworkDefinitionError(
                f"{origin}: key question {k.id!r} has area {k.area!r}; expected one of {', '.join(AREAS)}."
            )

    provenance = {"framework": _provenance(need("provenance"), "provenance", origin)}
    for section in (
        "key_questions_provenance",
        "rating_rule",
        "rating_bands",
        "rating_scores",
        "overall_bands",
    ):
        if section in raw and (section != "key_questions_provenance" or kqs):
            provenance[section.removesuffix("_provenance")] = _provenance(
                raw[section], section, origin
            )

    bands: tuple[tuple[str, float], ...] = ()
    if "rating_bands" in raw:
        bands = tuple((str(b["rating"]), float(b["min_pct"])) for b in raw["rating_bands"]["bands"])
        _check_bands(bands, origin, "rating_bands", top=100.0)
    scores = dict(raw.get("rating_scores", {}).get("scores", {}))
    overall: tuple[tuple[str, int], ...] = ()
    max_score = None
    if "overall_bands" in raw:
        overall = tuple(
            (str(b["rating"]), int(b["min_score"])) for b in raw["overall_bands"]["bands"]
        )
        max_score = int(raw["overall_bands"]["max_score"])
        _check_bands(overall, origin, "overall_bands", top=max_score)
        expected_max = max(scores.values(), default=0) * len(standards)
        if scores and expected_max != max_score:
            raise FrameworkDefinitionError(
                f"{origin}: max_score is {max_score} but {len(standards)} standards at up to "
                f"{max(scores.values())} points make {expected_max}."
            )
    guidance = build_guidance_rules(list(raw.get("guidance_rules", [])), slugs, origin, _provenance)
    for rule in guidance:
        provenance[f"guidance: {rule.id}"] = rule.provenance
    has_ratings = bool(raw.get("has_ratings", True))
    if has_ratings and set(scores) != set(RATINGS):
        raise FrameworkDefinitionError(
            f"{origin}: rating_scores must give a score for each of {', '.join(RATINGS)}; got {sorted(scores)}."
        )
    return Framework(
        id=fid,
        name=str(need("name")),
        years=str(raw.get("years", "")),
        rated_unit=str(raw.get("rated_unit", "")),
        has_ratings=has_ratings,
        scoring=str(raw.get("scoring", "lowest_key_question")),
        standards=standards,
        key_questions=kqs,
        rating_bands=bands,
        rating_scores=scores,
        overall_bands=overall,
        max_score=max_score,
        provenance=provenance,
        origin=origin,
        guidance_rules=guidance,
    )


def _check_bands(
    bands: tuple[tuple[str, float], ...], origin: str, section: str, top: float
) -> None:
    ratings = [r for r, _ in bands]
    lowers = [lo for _, lo in bands]
    if ratings != list(RATINGS):
        raise FrameworkDefinitionError(
            f"{origin}: [{section}] must list {', '.join(RATINGS)} in that order; got {ratings}."
        )
    if (
        lowers[-1] != 0
        or any(a <= b for a, b in zip(lowers, lowers[1:], strict=False))
        or lowers[0] > top
    ):
        raise FrameworkDefinitionError(
            f"{origin}: [{section}] lower bounds must fall strictly from best to worst, end at 0 "
            f"and not pass {top:g}; got {lowers}."
        )
