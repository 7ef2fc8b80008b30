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
import os
from dataclasses import dataclass

import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError, ParameterError
from ..frameworks.dtypes import RATING_DTYPE
from ._common import PROB_COLUMNS
from ._table_text import table_text
from .comparison import comparison_statuses, possible_overall, possible_ranges
from .overall import overall_ratings
from .published import compare_published, key_question_scores_from_percentages
from .reading import read_rating_table
from .scores import standard_ratings

__all__ = ["rate_published", "TableRating", "rate_table", "check_borderline_at"]


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
