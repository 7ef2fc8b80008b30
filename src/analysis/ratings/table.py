"""Rate a table of published key-question percentages and compare with the published ratings.

What ``analysis rate FILE`` runs: read the table (:func:`analysis.ratings.reading.read_rating_table`),
score and rate every unit from the percentages given (each row on its own), add the overall
rating from the published domain-one ratings, and set every computed rating beside the
published one. Nothing is rated silently:

* a standard is rated only when each of its key questions is given or marked not applicable;
* a printed percentage stands for every count that prints as it (:mod:`analysis.rounding`); when those
  counts, or the printed and unrounded values, fall in different bands, the rating is
  **ambiguous** (``possible_ratings``, ``ambiguity``) and a published rating among the
  possible ones is reported as ``ambiguous``, never as a difference;
* the framework's rating decision guidance (``[[guidance_rules]]``) is applied to the
  case-supervision ratings, and a published rating better than the guidance would normally
  indicate is reported as a ``departure``.
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError, InputDataWarning, ParameterError
from ..frameworks.dtypes import RATING_DTYPE
from ._common import PROB_COLUMNS
from ._table_text import table_text
from .comparison import comparison_statuses, possible_overall, possible_ranges
from .overall import overall_ratings
from .published import compare_published, key_question_scores_from_percentages, rated_items
from .reading import read_rating_table
from .scores import standard_ratings

__all__ = ["rate_published", "TableRating", "rate_table", "check_borderline_at"]

TIDY_COLUMNS = (
    *("unit", "standard", "standard_name", "rating", "lowest_key_question", "lowest_pct"),
    *("n_applicable", *PROB_COLUMNS),
    *("p_computed", "borderline", "edge_in_reach", "probability_model", "pooled_towards"),
    *("prior_scale", "prior_shared", "p_computed_independent", "lowest_pct_given"),
    "possible_ratings",
    *("ambiguous", "ambiguity", "overall_score", "max_score", "n_standards_rated"),
    *("missing_standards", "basis", "overall_model", "published_rating", "status", "agrees"),
    *("band_difference", "guidance_rating", "differs_from_published"),
    *("departure_from_guidance", "note", "framework", "rating_bands", "bands_confirmed"),
    *("overall_bands_confirmed", "source", "table_notes"),
)
"""Columns of :meth:`TableRating.tidy` in order (``docs/ratings.md`` lists them too)."""

JSON_SCHEMA_VERSION = 1
"""Version of the ``analysis rate --format json`` layout; raised when a key changes meaning."""


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
        """Everything, for ``--format json``: the tidy table (``ratings``), standards, overall
        ratings, comparison, differences, ambiguities, departures, notes and the bands used.

        The keys and each table's columns are documented in ``docs/ratings.md`` (section
        "What `analysis rate` writes"), and a test holds the two together.
        """

        def records(frame: pd.DataFrame) -> list:
            return json.loads(frame.to_json(orient="records"))

        fw = self.framework
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "framework": fw.id,
            "source": self.source,
            "rating_bands": [{"rating": r, "from_pct": lo} for r, lo in fw.rating_bands],
            "bands_confirmed": bool(fw.provenance["rating_bands"].confirmed),
            "overall_bands_confirmed": bool(fw.provenance["overall_bands"].confirmed),
            "ratings": records(self.tidy()),
            "standards": records(self.standards),
            "overall": records(self.overall),
            "comparison": records(self.comparison),
            "differences": records(self.differences),
            "ambiguous": records(self.ambiguous),
            "departures": records(self.departures),
            "notes": list(self.notes),
        }

    def tidy(self) -> pd.DataFrame:
        """Everything the text account says, as one tidy table (what ``--format csv`` writes).

        One row per unit and standard, the overall rating as rows of their own (``standard``
        ``overall``), and one row for each published standard rating checked but not computed
        here (the organisational standards, where the guidance is checked). Columns: ``unit``,
        ``standard``, ``standard_name``, the computed ``rating`` with its ``lowest_key_question``,
        ``lowest_pct`` (and ``lowest_pct_given`` as written), ``n_applicable``, the band
        probabilities, ``borderline``, ``possible_ratings``, ``ambiguous`` and ``ambiguity``;
        for overall rows ``overall_score``, ``max_score``, ``basis`` and ``missing_standards``;
        then the comparison: ``published_rating``, ``status``, ``agrees``, ``band_difference``,
        ``guidance_rating``, ``differs_from_published``, ``departure_from_guidance``, ``note``;
        and ``framework``, ``rating_bands``, ``bands_confirmed``, ``overall_bands_confirmed``,
        ``source`` and (when there are any) ``table_notes``.
        """
        standards = self.standards.drop(columns=["published_rating", "status"], errors="ignore")
        overall = self.overall.rename(columns={"overall_rating": "rating"}).assign(
            standard="overall", standard_name="Overall"
        )
        computed = pd.concat(
            [standards.astype({"standard": str}), overall], ignore_index=True, sort=False
        )
        comparison = self.comparison.drop(columns=["possible_ratings"], errors="ignore")
        comparison = comparison.astype({"standard": str})
        rows = computed.merge(comparison, on=["unit", "standard"], how="outer", sort=False)
        rows["rating"] = (
            rows["rating"]
            .astype("string")
            .fillna(
                rows.get("computed_rating", pd.Series(pd.NA, index=rows.index)).astype("string")
            )
        )
        rows = rows.drop(columns=["computed_rating"], errors="ignore")
        for column in ("n_applicable", "overall_score", "max_score", "n_standards_rated"):
            if column in rows.columns:  # whole numbers, blank where a row has none
                rows[column] = pd.to_numeric(rows[column]).round().astype("Int64")
        status = rows["status"].astype("string")
        rows["differs_from_published"] = (status == "differs").fillna(False).astype(bool)
        rows["departure_from_guidance"] = (status == "departure").fillna(False).astype(bool)
        fw = self.framework
        rows["framework"] = fw.id
        rows["rating_bands"] = ", ".join(f"{r} from {lo:g}%" for r, lo in fw.rating_bands)
        rows["bands_confirmed"] = bool(fw.provenance["rating_bands"].confirmed)
        rows["overall_bands_confirmed"] = bool(fw.provenance["overall_bands"].confirmed)
        rows["source"] = self.source
        if self.notes:
            rows["table_notes"] = " ".join(self.notes)
        names = {s.slug: s.name for s in self.framework.standards}
        rows["standard_name"] = rows["standard_name"].fillna(rows["standard"].map(names))
        units = list(dict.fromkeys(rows["unit"]))
        rank = {slug: i for i, slug in enumerate([*self.framework.standard_slugs, "overall"])}
        rows = rows.assign(
            _u=rows["unit"].map(units.index), _s=rows["standard"].map(rank).fillna(len(rank))
        ).sort_values(["_u", "_s"], kind="stable")
        known = [c for c in TIDY_COLUMNS if c in rows.columns]
        extra = [c for c in rows.columns if c not in TIDY_COLUMNS and c not in ("_u", "_s")]
        return rows[[*known, *extra]].reset_index(drop=True)

    def to_text(self) -> str:
        """A plain-text account for a terminal: one block per unit."""
        return table_text(self)

    def __repr__(self) -> str:
        return self.to_text()


def check_borderline_at(value: float) -> float:
    """``value`` if it is a probability strictly between 0 and 1; a ParameterError otherwise.

    The one rule for ``borderline_at``: :func:`analysis.ratings.rate`, :func:`rate_table`,
    :func:`rate_published` and ``analysis rate --borderline-at`` all check it here. At 0 every
    rating would be borderline, and at 1 the probability could never make one so.
    """
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
        If ``borderline_at`` is not strictly between 0 and 1, or ``path`` is not a path (a
        DataFrame, say).
    UnknownFrameworkError
        If ``framework`` is not registered.
    """
    if not isinstance(path, str | os.PathLike):
        raise ParameterError(
            f"rate_table reads a file and needs its path (CSV or .xlsx), got a "
            f"{type(path).__name__}. For a table already in memory, read it with "
            "ratings.reading.read_rating_table or call ratings.table.rate_published("
            "key_questions, published) with its two tables."
        )
    borderline_at = check_borderline_at(borderline_at)
    fw = _fw.get(framework)
    if not fw.key_questions or not fw.has_ratings or not fw.rating_bands:
        usable = [f for f in _fw.available() if _fw.get(f).key_questions and _fw.get(f).has_ratings]
        raise InputDataError(
            f"Framework {fw.id!r} ({fw.name}) has no key questions rated in bands "
            f"(scoring: {fw.scoring}), so 'analysis rate' cannot rate it. Frameworks it can "
            f"rate: {', '.join(usable)}."
        )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", InputDataWarning)
        kq_input, published = read_rating_table(path, fw)
    read_notes = []
    for w in caught:  # the file's warnings become the result's notes; others pass on
        if issubclass(w.category, InputDataWarning):
            read_notes.append(str(w.message))
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return rate_published(
        kq_input, published, fw, borderline_at=borderline_at, name=str(path), notes=read_notes
    )


def rate_published(
    key_questions: pd.DataFrame,
    published: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    *,
    borderline_at: float = 0.2,
    name: str = "the table",
    notes: Sequence[str] = (),
) -> TableRating:
    """Rate published key-question percentages and compare with the published ratings.

    ``key_questions`` is ``[unit, key_question, pct_yes, n]`` (``n_yes`` where given) and
    ``published`` is long, ``[unit, standard, rating]`` (``standard`` may be ``overall``), as
    :func:`read_rating_table` returns them; ``name`` names the source in notes, and ``notes``
    are notes about the source to start with (the file's warnings, from :func:`rate_table`).
    This is what :func:`rate_table` runs after reading a file, and what a notebook calls on
    processed data.
    """
    borderline_at = check_borderline_at(borderline_at)
    fw = _fw.get(framework)
    path = name
    kq_input = key_questions
    notes = list(notes)
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
        std = std.join(possible_ranges(kq, std, fw))
        basis = published[
            ~published["standard"].isin([*fw.standards_with_key_questions, "overall"])
        ]
    overall = overall_ratings(
        std,
        fw,
        by="unit",
        other_ratings=basis[["unit", "standard", "rating"]],
        borderline_at=borderline_at,
    )
    overall["basis"] = "published standard ratings" if kq_input.empty else "computed"
    overall["possible_ratings"] = possible_overall(std, basis, overall, fw)
    computed = rated_items(std, overall)
    comparison = compare_published(
        computed, published[["unit", "standard", "rating"]], by="unit", framework=fw
    )
    comparison = comparison_statuses(comparison, std, overall, published, fw)
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
