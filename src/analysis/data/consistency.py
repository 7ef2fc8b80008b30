"""Names and published scores that must agree with the reference list and the frameworks.

* the reference list names each PDU once (ignoring case, spacing and '&' vs 'and'; functional
  units of different regions may share a name);
* every alias points at a PDU of the reference list, and no alias is itself another PDU's name;
* a published score ``s/m`` is at most its maximum ``m``, ``m`` is the maximum of a registered
  framework, and where all seven standard ratings are given the score is their sum out of 21.

Each function returns failure records; a published value is never changed.
"""

from __future__ import annotations

import re

import pandas as pd

from .. import frameworks as _fw
from . import normalise as _n
from .ingest import failure

__all__ = ["reference_checks", "alias_checks", "score_checks"]

_SEVEN = "pdu-2023"


def reference_checks(frame: pd.DataFrame, context: dict) -> list[dict]:
    """Each PDU named once in the reference list (every row of a repeat is an error).

    Functional units (not geographic) of different regions may share a name, as in the
    Ministry of Justice list ('Public Protection Community' in two regions): they are told
    apart by region and code. A geographic PDU's name, or any name twice in one region, must
    be unique.
    """
    keys = frame["pdu"].astype(str).map(_n.name_key)
    geographic = frame["unit_type"].astype(str) == "geographic"
    region = frame["region"].astype(str)
    out = []
    for rows in frame.groupby(keys, sort=False).groups.values():
        if len(rows) < 2:
            continue
        if not geographic.loc[rows].any() and region.loc[rows].is_unique:
            continue
        lines = frame.loc[rows, "row_"].astype(int).tolist()
        for i in rows:
            out.append(
                failure(
                    frame.at[i, "file_"],
                    int(frame.at[i, "row_"]),
                    "pdu",
                    frame.at[i, "pdu"],
                    "pdu_named_once",
                    f"each PDU once; rows {', '.join(map(str, lines))} name the same PDU, so "
                    "cases could not be matched to one unit. Keep one row",
                )
            )
    return out


def alias_checks(frame: pd.DataFrame, context: dict) -> list[dict]:
    """Alias targets are reference PDUs; an alias never renames another reference PDU."""
    ref = context.get("reference")
    if ref is None:
        return []
    names = ref["pdu"].astype(str).tolist()
    keys = {_n.name_key(p): p for p in names}
    out = []
    for rec in frame.itertuples(index=False):
        target = keys.get(_n.name_key(rec.pdu)) if isinstance(rec.pdu, str) else None
        if target is None:
            hint = _n.suggest(rec.pdu, names)
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "pdu",
                    rec.pdu,
                    "alias_target_known",
                    "a PDU of the reference list (data/raw/reference/regions_pdus.csv); an alias "
                    "to an unknown name would create a PDU that does not exist"
                    + (f"; did you mean '{hint}'?" if hint else ""),
                )
            )
            continue
        shadowed = keys.get(_n.name_key(rec.alias)) if isinstance(rec.alias, str) else None
        if shadowed is not None and shadowed != target:
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "alias",
                    rec.alias,
                    "alias_not_a_pdu",
                    f"a spelling that is not itself a reference PDU; '{shadowed}' is a PDU of "
                    f"its own, so it cannot also mean '{target}'",
                )
            )
    return out


def _maxima() -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for fid in _fw.available():
        top = _fw.get(fid).max_score
        if top:
            out.setdefault(int(top), []).append(fid)
    return out


def score_checks(frame: pd.DataFrame, context: dict) -> list[dict]:
    """Published scores against their maximum and, with all seven ratings given, their sum."""
    maxima = _maxima()
    seven = _fw.get(_SEVEN)
    out = []
    for rec in frame.itertuples(index=False):
        match = re.fullmatch(r"(\d+)/(\d+)", rec.score) if isinstance(rec.score, str) else None
        if match is None:
            continue
        got, top = int(match.group(1)), int(match.group(2))
        if top == 0 or got > top:
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "score",
                    rec.score,
                    "score_at_most_maximum",
                    f"a score no greater than its maximum; {got} out of {top} is impossible. "
                    "Check the transcription against the publication",
                )
            )
            continue
        if top not in maxima:
            known = ", ".join(f"{m} ({', '.join(f)})" for m, f in sorted(maxima.items()))
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "score",
                    rec.score,
                    "score_maximum_known",
                    f"a score out of a framework's maximum: {known}; kept as published",
                    severity="warning",
                )
            )
        ratings = [getattr(rec, s.slug) for s in seven.standards]  # the slugs from the TOML
        if any(pd.isna(r) for r in ratings):
            continue
        total = sum(seven.rating_scores[str(r)] for r in ratings)
        if top in maxima and top != seven.max_score:
            # another framework (x/27: nine standards, two not in this table): the seven
            # given bound the score from below, the two missing add at most their best
            extra = (len(_fw.get(maxima[top][0]).standards) - len(seven.standards)) * max(
                seven.rating_scores.values()
            )
            if total <= got <= total + extra:
                continue
        if top != seven.max_score or got != total:
            out.append(
                failure(
                    rec.file_,
                    rec.row_,
                    "score",
                    rec.score,
                    "score_matches_ratings",
                    f"{total}/{seven.max_score}, the sum of the seven standard ratings given "
                    f"({', '.join(str(r) for r in ratings)}); kept as published",
                    severity="warning",
                )
            )
    return out
