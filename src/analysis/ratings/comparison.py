"""How computed and published ratings compare: the ratings a rounded table allows, and statuses.

A printed percentage stands for every count that prints as it; :func:`possible_ranges` and
:func:`possible_overall` give the ratings those counts allow, so a difference that rounding
could explain is ``ambiguous``, never ``differs``. :func:`comparison_statuses` labels every
comparison row: agrees, ambiguous, differs, departure (a published rating that differs from
what the framework's configured guidance would normally indicate) or follows guidance.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..frameworks.dtypes import RATING_DTYPE

__all__ = ["STATUSES", "possible_ranges", "possible_overall", "comparison_statuses"]

STATUSES = (
    "agrees",
    "ambiguous",
    "differs",
    "departure",
    "follows guidance",
    "not rated from cases",
    "no published rating",
)
"""Values of ``comparison["status"]``."""


def possible_ranges(kq: pd.DataFrame, std: pd.DataFrame, fw: _fw.Framework) -> pd.DataFrame:
    """Per standard: the value given for its lowest key question, and every possible rating."""
    kq = kq[kq["n_applicable"] > 0].copy()
    n = kq["n_applicable"].to_numpy(dtype=float)
    kq["_low"] = 100 * kq["n_yes_low"].to_numpy(dtype=float) / n
    kq["_high"] = 100 * kq["n_yes_high"].to_numpy(dtype=float) / n
    given = np.array([_given_number(g) for g in kq["pct_given"]], dtype=float)
    kq["_printed"] = np.where(np.isnan(given), kq["_low"], given)
    spans = kq.groupby(["unit", "standard"], sort=False)[["_low", "_high", "_printed"]].min()
    spans = spans.to_dict("index")
    by_kq = {
        (u, k): r
        for u, k, r in zip(kq["unit"], kq["key_question"], kq.to_dict("records"), strict=True)
    }
    rows = []
    for unit, standard, rating, lowest_kq, lowest_pct in zip(
        std["unit"],
        std["standard"],
        std["rating"],
        std["lowest_key_question"],
        std["lowest_pct"],
        strict=True,
    ):
        span = spans.get((unit, standard))
        if span is None:
            rows.append((None, None, pd.NA, None))
            continue
        low, high, printed = span["_low"], span["_high"], span["_printed"]
        lowest = by_kq[(unit, lowest_kq)]
        bands = {fw.band_for_pct(v) for v in (low, high, printed)}
        possible = [r for r in _fw.RATINGS if r in bands or _between(r, low, high, fw)]
        reasons = []
        if fw.band_for_pct(low) != fw.band_for_pct(high):
            reasons.append(
                f"the rounded percentages allow a lowest key-question score from "
                f"{low:.4g}% to {high:.4g}%, which spans " + " and ".join(possible)
            )
        if fw.band_for_pct(printed) != rating:
            reasons.append(
                f"the lowest score is {lowest_pct:.4g}% unrounded ({lowest['n_yes']} of "
                f"{lowest['n_applicable']}), {rating}, but the printed {printed:g}% "
                f"is {fw.band_for_pct(printed)}; whether bands apply to printed or "
                "unrounded percentages is not confirmed"
            )
        shown = _shown(lowest)
        rows.append((shown, " or ".join(possible), len(possible) > 1, "; ".join(reasons) or None))
    out = pd.DataFrame(
        rows, columns=["lowest_pct_given", "possible_ratings", "ambiguous", "ambiguity"]
    )
    out["ambiguous"] = out["ambiguous"].astype("boolean")
    out.index = std.index
    return out


def _given_number(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _shown(row) -> str:
    """The lowest key question's value as the user gave it: '64.9%' or '13/20'."""
    given = row["pct_given"]
    if isinstance(given, str) and given and given != "not applicable":
        return f"{given}%"
    if _given_number(given) is not None:
        return f"{given:g}%"
    return f"{row['n_yes']}/{row['n_applicable']}"


def _between(rating: str, low: float, high: float, fw: _fw.Framework) -> bool:
    order = _fw.RATINGS.index
    a, b = order(fw.band_for_pct(low)), order(fw.band_for_pct(high))
    return min(a, b) <= order(rating) <= max(a, b)


def possible_overall(std, basis, overall, fw) -> list:
    """Overall ratings reachable when each ambiguous standard takes any of its possible ratings."""
    scores = fw.rating_scores
    computed = {
        (u, st): str(p if isinstance(p, str) else r)
        for u, st, r, p in zip(
            std["unit"], std["standard"], std["rating"], std["possible_ratings"], strict=True
        )
        if pd.notna(r)
    }
    fixed = {
        (u, st): r
        for u, st, r in zip(basis["unit"], basis["standard"], basis["rating"], strict=True)
    }
    out = []
    for unit, score in zip(overall["unit"], overall["overall_score"], strict=True):
        if pd.isna(score):
            out.append(None)
            continue
        low = high = 0
        for slug in fw.standard_slugs:
            possible = computed.get((unit, slug)) or fixed[(unit, slug)]
            values = [scores[r] for r in possible.split(" or ")]
            low, high = low + min(values), high + max(values)
        ratings = {fw.overall_rating(v) for v in range(low, high + 1)}
        out.append(" or ".join(r for r in _fw.RATINGS if r in ratings))
    return out


def comparison_statuses(comparison, std, overall, published, fw) -> pd.DataFrame:
    """Say, for each row, whether it agrees, is ambiguous, differs or departs from guidance."""
    possible = dict(
        zip(zip(std["unit"], std["standard"], strict=True), std["possible_ratings"], strict=True)
    )
    possible.update(
        dict(
            zip(
                zip(overall["unit"], ["overall"] * len(overall), strict=True),
                overall["possible_ratings"],
                strict=True,
            )
        )
    )
    rules = {r.standard: r for r in fw.guidance_rules}
    case_based = _case_based_ratings(std, published, fw) if rules else {}
    status, guidance, notes, options = [], [], [], []
    for unit, standard, computed, pub in zip(
        comparison["unit"],
        comparison["standard"],
        comparison["computed_rating"],
        comparison["published_rating"],
        strict=True,
    ):
        allowed = possible.get((unit, standard))
        options.append(allowed)
        indicated, note = None, None
        if pd.notna(computed) and pd.notna(pub):
            if computed == pub:
                state = "agrees"
            elif isinstance(allowed, str) and pub in allowed.split(" or "):
                state = "ambiguous"
                note = f"published {pub} is one of the possible ratings ({allowed})"
            else:
                state = "differs"
        elif pd.isna(computed):
            state = "not rated from cases"
            if standard in rules and pd.notna(pub):
                ratings, ambiguous = case_based.get(unit, ({}, False))
                state, indicated, note = _guidance(rules[standard], str(pub), ratings, ambiguous)
        else:
            state = "no published rating"
        status.append(state)
        guidance.append(indicated)
        notes.append(note)
    out = comparison.copy()
    out["possible_ratings"] = options
    out["status"] = pd.Categorical(status, categories=STATUSES)
    out["guidance_rating"] = pd.Categorical(guidance, dtype=RATING_DTYPE)
    out["note"] = notes
    return out


def _case_based_ratings(std, published, fw) -> dict:
    """Per unit: case-based ratings (computed, else published) and whether any is ambiguous."""
    units = dict.fromkeys([*std["unit"], *published["unit"]])
    given = dict(
        zip(
            zip(published["unit"], published["standard"], strict=True),
            published["rating"],
            strict=True,
        )
    )
    rated = {
        (u, s): (str(r), a is not pd.NA and bool(a))
        for u, s, r, a in zip(
            std["unit"], std["standard"], std["rating"], std["ambiguous"], strict=True
        )
        if pd.notna(r)
    }
    out = {}
    for unit in units:
        ratings, ambiguous = {}, False
        for slug in fw.case_based_standards:
            if (unit, slug) in rated:
                ratings[slug], flag = rated[(unit, slug)]
                ambiguous |= flag
            else:
                ratings[slug] = given.get((unit, slug))
        out[unit] = (ratings, ambiguous)
    return out


def _guidance(rule, pub: str, case_based: dict, ambiguous: bool):
    """(status, indicated rating, sentence) for a standard covered by a guidance rule."""
    if rule.applies(case_based) is not True:
        return "not rated from cases", None, None
    caveat = " (the case-supervision ratings it rests on are ambiguous)" if ambiguous else ""
    if rule.departs(pub):
        note = (
            f"published {pub}, but the guidance would normally indicate {rule.indicates}"
            f"{caveat}. Rule: {rule.sentence()}"
        )
        return "departure", rule.indicates, note
    return "follows guidance", rule.indicates, f"{rule.sentence()}{caveat}"
