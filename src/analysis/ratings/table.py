"""Rate a table of published key-question percentages and compare with the published ratings.

What ``analysis rate FILE`` runs: read the table (:func:`analysis.ratings.reading.read_rating_table`),
score and rate every unit from the percentages given (each row on its own), add the overall
rating from the published domain-one ratings, and set every computed rating beside the
published one. Nothing is rated silently:

* a standard is rated only when each of its key questions is given or marked not applicable;
* a printed percentage stands for every count that prints as it (:mod:`.rounding`); when those
  counts, or the printed and unrounded values, fall in different bands, the rating is
  **ambiguous** (``possible_ratings``, ``ambiguity``) and a published rating among the
  possible ones is reported as ``ambiguous``, never as a difference;
* the framework's rating decision guidance (``[[guidance_rules]]``) is applied to the
  case-supervision ratings, and a published rating better than the guidance would normally
  indicate is reported as a ``departure``.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError, ParameterError
from ..frameworks.dtypes import RATING_DTYPE
from ._common import PROB_COLUMNS
from ._table_text import table_text
from .overall import overall_ratings
from .published import compare_published, key_question_scores_from_percentages
from .reading import read_rating_table
from .scores import standard_ratings

__all__ = ["rate_published", "TableRating", "rate_table", "check_borderline_at"]

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


@dataclass(frozen=True)
class TableRating:
    """Computed and published ratings of the units in one table."""

    framework: _fw.Framework
    key_questions: pd.DataFrame
    standards: pd.DataFrame
    """The columns of :func:`standard_ratings` (but ``source``), then ``lowest_pct_given``
    (as written), ``possible_ratings``, ``ambiguous``, ``ambiguity``, ``published_rating``,
    ``status`` and ``source``."""
    overall: pd.DataFrame
    comparison: pd.DataFrame
    """``[unit, standard, computed_rating, published_rating, agrees, band_difference,
    possible_ratings, status, guidance_rating, note]``: one row per standard (and overall)."""
    notes: tuple[str, ...] = ()
    source: str = ""

    def _status(self, status: str) -> pd.DataFrame:
        return self.comparison[self.comparison["status"] == status]

    @property
    def differences(self) -> pd.DataFrame:
        """Computed and published ratings that differ beyond any rounding ambiguity."""
        return self._status("differs")

    @property
    def ambiguous(self) -> pd.DataFrame:
        """Published ratings that differ from the computed one but are among the possible ones."""
        return self._status("ambiguous")

    @property
    def departures(self) -> pd.DataFrame:
        """Published ratings better than the rating decision guidance would normally indicate."""
        return self._status("departure")

    def to_json_dict(self) -> dict:
        """Standards, overall ratings, comparison, differences, ambiguities, departures, notes."""

        def records(frame: pd.DataFrame) -> list:
            return json.loads(frame.to_json(orient="records"))

        return {
            "framework": self.framework.id,
            "source": self.source,
            "standards": records(self.standards),
            "overall": records(self.overall),
            "comparison": records(self.comparison),
            "differences": records(self.differences),
            "ambiguous": records(self.ambiguous),
            "departures": records(self.departures),
            "notes": list(self.notes),
        }

    def to_text(self) -> str:
        """A plain-text account for a terminal: one block per unit."""
        return table_text(self)

    def __repr__(self) -> str:
        return self.to_text()


def check_borderline_at(value: float) -> float:
    """``value`` if it is a probability strictly between 0 and 1; a ParameterError otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"borderline_at must be a number, got {value!r}.") from None
    if not 0 < number < 1:
        raise ParameterError(
            f"borderline_at must lie strictly between 0 and 1 (a probability), got {value!r}; "
            "the default is 0.2."
        )
    return number


def rate_table(
    path: str | os.PathLike[str],
    framework: str | _fw.Framework = "pdu-2023",
    *,
    borderline_at: float = 0.2,
) -> TableRating:
    """Rate every unit in a table of key-question percentages (CSV or Excel).

    Raises
    ------
    InputDataError
        If the file cannot be read or a row is not usable (see :func:`read_rating_table`), or
        the framework has no key questions or ratings.
    ParameterError
        If ``borderline_at`` is not strictly between 0 and 1.
    UnknownFrameworkError
        If ``framework`` is not registered.
    """
    borderline_at = check_borderline_at(borderline_at)
    fw = _fw.get(framework)
    if not fw.key_questions or not fw.has_ratings or not fw.rating_bands:
        usable = [f for f in _fw.available() if _fw.get(f).key_questions and _fw.get(f).has_ratings]
        raise InputDataError(
            f"Framework {fw.id!r} ({fw.name}) has no key questions rated in bands "
            f"(scoring: {fw.scoring}), so 'analysis rate' cannot rate it. Frameworks it can "
            f"rate: {', '.join(usable)}."
        )
    kq_input, published = read_rating_table(path, fw)
    return rate_published(kq_input, published, fw, borderline_at=borderline_at, name=str(path))


def rate_published(
    key_questions: pd.DataFrame,
    published: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    *,
    borderline_at: float = 0.2,
    name: str = "the table",
) -> TableRating:
    """Rate published key-question percentages and compare with the published ratings.

    ``key_questions`` is ``[unit, key_question, pct_yes, n]`` (``n_yes`` where given) and
    ``published`` is long, ``[unit, standard, rating]`` (``standard`` may be ``overall``), as
    :func:`read_rating_table` returns them; ``name`` names the source in notes. This is what
    :func:`rate_table` runs after reading a file, and what a notebook calls on processed data.
    """
    borderline_at = check_borderline_at(borderline_at)
    fw = _fw.get(framework)
    path = name
    kq_input = key_questions
    notes = []
    if kq_input.empty:
        std = _empty_standards()
        kq = pd.DataFrame()
        notes.append(
            f"{path} has published ratings but no key-question percentages, so no standard is "
            "rated from cases; only the overall score from the published standard ratings and "
            "the rating guidance are checked."
        )
        basis = published[published["standard"] != "overall"]
    else:
        kq = key_question_scores_from_percentages(kq_input, fw, by="unit")
        std = standard_ratings(kq, fw, by="unit", borderline_at=borderline_at)
        std = std.join(_ranges(kq, std, fw))
        basis = published[~published["standard"].isin([*fw.case_based_standards, "overall"])]
    overall = overall_ratings(
        std,
        fw,
        by="unit",
        other_ratings=basis[["unit", "standard", "rating"]],
        borderline_at=borderline_at,
    )
    overall["basis"] = "published standard ratings" if kq_input.empty else "computed"
    overall["possible_ratings"] = _overall_possible(std, basis, overall, fw)
    computed = pd.concat(
        [
            std[["unit", "standard", "rating"]],
            overall[["unit", "overall_rating"]]
            .rename(columns={"overall_rating": "rating"})
            .assign(standard="overall"),
        ]
    ).dropna(subset=["rating"])
    comparison = compare_published(
        computed, published[["unit", "standard", "rating"]], by="unit", framework=fw
    )
    comparison = _statuses(comparison, std, overall, published, fw)
    std = std.merge(
        comparison[["unit", "standard", "published_rating", "status"]],
        on=["unit", "standard"],
        how="left",
    )
    std = std[[*(c for c in std.columns if c != "source"), "source"]]
    return TableRating(fw, kq, std, overall, comparison, tuple(notes), str(path))


def _empty_standards() -> pd.DataFrame:
    columns = ["unit", "standard", "standard_name", "lowest_key_question", "lowest_pct"]
    out = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    out["n_applicable"] = pd.Series(dtype="int64")
    out["rating"] = pd.Categorical([], dtype=RATING_DTYPE)
    for c in [*PROB_COLUMNS, "p_computed"]:
        out[c] = pd.Series(dtype=float)
    out["borderline"] = pd.array([], dtype="boolean")
    for c in ("lowest_pct_given", "possible_ratings", "ambiguity"):
        out[c] = pd.Series(dtype=object)
    out["ambiguous"] = pd.array([], dtype="boolean")
    out["source"] = pd.Series(dtype=object)
    return out


def _ranges(kq: pd.DataFrame, std: pd.DataFrame, fw: _fw.Framework) -> pd.DataFrame:
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


def _overall_possible(std, basis, overall, fw) -> list:
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


def _statuses(comparison, std, overall, published, fw) -> pd.DataFrame:
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
