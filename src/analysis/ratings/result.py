"""One call for notebooks: key-question scores, standard and overall ratings of many units."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .. import frameworks as _fw
from ..exceptions import AnalysisError, InputDataError
from ._common import by_columns, check_cases, check_other_ratings
from .overall import overall_ratings
from .scores import key_question_scores, standard_ratings
from .table import check_borderline_at

__all__ = ["RatingResult", "rate"]


@dataclass(frozen=True)
class RatingResult:
    """Key-question scores, standard ratings and overall ratings for a set of units."""

    framework: str
    by: tuple[str, ...]
    key_questions: pd.DataFrame
    standards: pd.DataFrame
    overall: pd.DataFrame | None

    def rating_counts(self) -> pd.DataFrame:
        """Number of units per standard and rating (a row per standard, a column per rating)."""
        counts = pd.crosstab(self.standards["standard"], self.standards["rating"], dropna=False)
        order = [s for s in _fw.get(self.framework).case_based_standards if s in counts.index]
        return counts.reindex(index=order, columns=list(_fw.RATINGS), fill_value=0)

    def __repr__(self) -> str:
        n_units = len(self.standards[list(self.by)].drop_duplicates()) if self.by else 1
        lines = [
            f"<RatingResult {self.framework}: {n_units} unit(s), {len(self.standards)} standard ratings>"
        ]
        if self.standards.attrs.get("synthetic"):
            lines.append(
                "SYNTHETIC DATA: simulated cases, not results about any real probation service"
            )
        lines.append(self.rating_counts().to_string())
        if self.overall is not None:
            lines.append(
                "overall: "
                + ", ".join(
                    f"{k} {v}"
                    for k, v in self.overall["overall_rating"].value_counts(sort=False).items()
                )
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        warning = (
            "<p><b>Synthetic data</b>: simulated cases, not results about any real probation service.</p>"
            if self.standards.attrs.get("synthetic")
            else ""
        )
        return (
            f"<p><b>RatingResult</b> ({self.framework})</p>{warning}"
            + self.rating_counts().to_html()
            + (self.overall.head(20).to_html(index=False) if self.overall is not None else "")
        )


def rate(
    cases: pd.DataFrame,
    framework: str | _fw.Framework = "pdu-2023",
    by: str | Sequence[str] | None = "pdu",
    other_ratings: pd.DataFrame | None = None,
    borderline_at: float = 0.2,
    *,
    probability_model: str = "pooled",
    population=None,
) -> RatingResult:
    """Key-question scores, standard ratings and (when every standard can be rated) overall ratings.

    ``other_ratings`` supplies the domain-one ratings (``[*by, standard, rating]``); without it
    ``overall`` lists the missing standards and leaves score and rating empty. The band
    probabilities use the case-level answers (answers on the same cases are related); see
    :func:`analysis.ratings.standard_ratings` for ``probability_model`` and ``population``.

    Raises
    ------
    InputDataError
        For cases that cannot be rated as given, each with a message saying why: not a table
        or empty, real and synthetic (or several datasets') rows pooled, a case twice in a
        unit, conflicting domain-one ratings for one unit and standard, a unit column missing.
    ParameterError
        If ``borderline_at`` is not strictly between 0 and 1 (as for :func:`rate_table`).
    """
    fw = _fw.get(framework)
    units = by_columns(by)
    check_cases(cases, units)
    borderline_at = check_borderline_at(borderline_at)
    other_ratings = check_other_ratings(other_ratings, units)
    try:
        return _rate(cases, fw, by, other_ratings, borderline_at, probability_model, population)
    except AnalysisError:
        raise
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as error:
        raise InputDataError(
            f"These cases could not be rated ({type(error).__name__}: {error}). Expected one "
            f"row per case with unit column(s) {units} and the key-question columns of "
            f"{fw.id} answered yes / no / not_applicable (see docs/ratings.md)."
        ) from error


def _rate(cases, fw, by, other_ratings, borderline_at, probability_model, population):
    kq = key_question_scores(cases, fw, by)
    std = standard_ratings(
        kq,
        fw,
        by,
        borderline_at=borderline_at,
        probability_model=probability_model,
        cases=cases,
        population=population,
    )
    overall = (
        overall_ratings(std, fw, by, other_ratings, borderline_at) if fw.overall_bands else None
    )
    return RatingResult(fw.id, tuple(by_columns(by)), kq, std, overall)
