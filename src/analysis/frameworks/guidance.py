"""Rating decision guidance: configured rules that say what a rating "would normally" be.

Published reports sometimes quote the Inspectorate's rating decision guidance without publishing
it. York PDU (December 2024, seed 003) says: "As a result of the domain two ratings, the
Inspectorate's rating decision guidance would normally indicate a leadership rating of
'Inadequate'. However, given the strengths in leadership, the rating of 'Requires improvement'
has been applied." A :class:`GuidanceRule` records such a sentence as configuration (with its
source and ``confirmed = false``), so that a published rating that departs from the guidance is
reported as a departure rather than hidden.

>>> rule = GuidanceRule("r", "leadership", "all", "Inadequate", "Inadequate", "", None)
>>> rule.applies({"assessment": "Inadequate", "planning": "Inadequate"})
True
>>> rule.applies({"assessment": "Inadequate", "planning": "Good"})
False
>>> rule.applies({"assessment": "Inadequate", "planning": None}) is None
True
>>> rule.departs("Requires improvement"), rule.departs("Inadequate")
(True, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..exceptions import FrameworkDefinitionError
from .vocabulary import RATINGS

__all__ = ["GuidanceRule", "build_guidance_rules"]

_CONDITIONS = ("all", "any")


@dataclass(frozen=True)
class GuidanceRule:
    """The guidance would normally indicate ``indicates`` (or worse) for ``standard`` when
    ``when`` ("all" or "any") of the case-based standards are rated ``case_based_at_most`` or
    worse."""

    id: str
    standard: str
    when: str
    case_based_at_most: str
    indicates: str
    description: str
    provenance: Any  # a frameworks.model.Provenance (kept loose to avoid an import cycle)

    def applies(self, case_based: Mapping[str, str | None]) -> bool | None:
        """Whether the rule's condition holds for these case-based ratings (slug -> rating).

        None when it cannot be decided because a rating needed for the decision is missing.
        """
        limit = RATINGS.index(self.case_based_at_most)
        known = [RATINGS.index(r) >= limit for r in case_based.values() if r is not None]
        missing = any(r is None for r in case_based.values())
        if not case_based:
            return None
        if self.when == "all":
            if not all(known):
                return False
            return None if missing else True
        if any(known):
            return True
        return None if missing else False

    def departs(self, published: str) -> bool:
        """True when a published rating is better than the rating the guidance indicates."""
        return RATINGS.index(published) < RATINGS.index(self.indicates)

    def sentence(self) -> str:
        """The rule in words, with its provenance, for readers (no identifiers)."""
        how = (
            "a rule confirmed by the Inspectorate"
            if self.provenance.confirmed
            else "a reading of the guidance that the Inspectorate has not confirmed"
        )
        return f"{self.description} ({how}; source: {self.provenance.source})"


def build_guidance_rules(
    raw: list[Mapping[str, Any]], standards: list[str], origin: str, provenance_of
) -> tuple[GuidanceRule, ...]:
    """Read ``[[guidance_rules]]`` tables; every field is required and checked."""
    rules = []
    for i, item in enumerate(raw, start=1):
        where = f"{origin}: [[guidance_rules]] number {i}"
        fields = ("id", "standard", "when", "case_based_at_most", "indicates", "description")
        missing = [f for f in fields if f not in item]
        if missing:
            raise FrameworkDefinitionError(f"{where} lacks {', '.join(missing)}.")
        if item["standard"] not in standards:
            raise FrameworkDefinitionError(
                f"{where}: standard {item['standard']!r} is not one of {', '.join(standards)}."
            )
        if item["when"] not in _CONDITIONS:
            raise FrameworkDefinitionError(
                f"{where}: when = {item['when']!r}; expected 'all' or 'any'."
            )
        for key in ("case_based_at_most", "indicates"):
            if item[key] not in RATINGS:
                raise FrameworkDefinitionError(
                    f"{where}: {key} = {item[key]!r}; expected one of {', '.join(RATINGS)}."
                )
        rules.append(
            GuidanceRule(
                id=str(item["id"]),
                standard=str(item["standard"]),
                when=str(item["when"]),
                case_based_at_most=str(item["case_based_at_most"]),
                indicates=str(item["indicates"]),
                description=str(item["description"]),
                provenance=provenance_of(item, f"guidance_rules.{item['id']}", origin),
            )
        )
    return tuple(rules)
