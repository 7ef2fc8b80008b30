"""What the rating modules share: probability columns, unit keys, band lookup, the score table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError
from ..frameworks.dtypes import RATING_DTYPE
from ..frameworks.vocabulary import PROBABILITY_COLUMNS
from ..stats import wilson_interval

__all__ = [
    "PROB_COLUMNS",
    "by_columns",
    "require_rating",
    "band_index",
    "rating_labels",
    "scores_frame",
    "DATASET_ATTRS",
    "keep_dataset",
    "check_cases",
    "check_other_ratings",
]

PROB_COLUMNS = list(PROBABILITY_COLUMNS)
"""Probability of each true band, best first, as in every rating table."""


def by_columns(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    return [by] if isinstance(by, str) else list(by)


def require_rating(value) -> str | None:
    """The canonical rating for ``value``; None when missing; an error for any other text.

    >>> require_rating("  REQUIRES improvement")
    'Requires improvement'
    """
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, str) and not value.strip():
        return None
    rating = _fw.parse_rating(value)
    if rating is None:
        raise InputDataError(
            f"Unknown rating label {value!r}; expected one of {', '.join(_fw.RATINGS)}."
        )
    return rating


def band_index(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Band index, worst band = 0; -1 for NaN. ``edges`` are lower bounds, worst first."""
    idx = np.searchsorted(edges, values, side="right") - 1
    return np.where(np.isnan(values), -1, idx)


def rating_labels(idx: np.ndarray) -> pd.Categorical:
    return pd.Categorical.from_codes(np.asarray(idx, dtype=np.int64), dtype=RATING_DTYPE)


def scores_frame(
    keys: pd.DataFrame, fw: _fw.Framework, n_app: np.ndarray, n_yes: np.ndarray
) -> pd.DataFrame:
    """Assemble the tidy key-question table from per-(unit, key question) counts."""
    kqs = fw.key_questions
    n_units = len(keys)
    out = keys.loc[keys.index.repeat(len(kqs))].reset_index(drop=True)
    out["standard"] = [k.standard for k in kqs] * n_units
    out["area"] = [k.area for k in kqs] * n_units
    out["key_question"] = [k.id for k in kqs] * n_units
    out["n_applicable"] = n_app.reshape(-1).astype("int64")
    out["n_yes"] = n_yes.reshape(-1).astype("int64")
    with np.errstate(invalid="ignore", divide="ignore"):
        out["pct_yes"] = np.where(
            out["n_applicable"] > 0, 100 * out["n_yes"] / out["n_applicable"], np.nan
        )
    low, high = wilson_interval(out["n_yes"].to_numpy(), out["n_applicable"].to_numpy())
    out["ci_low"], out["ci_high"] = 100 * low, 100 * high
    return out


DATASET_ATTRS = ("dataset", "dataset_kind")
"""Frame attributes that name a case-level dataset and its kind (real or synthetic)."""


def keep_dataset(result: pd.DataFrame, *inputs) -> pd.DataFrame:
    """Carry the inputs' dataset name and kind (``attrs``) onto ``result``; returns it.

    Reader tables rely on ``attrs["dataset_kind"]`` (disclosure control for real data), so
    every rating table keeps it. Inputs of different kinds are refused: real and synthetic
    figures are never combined into one result.
    """
    kinds = {}
    for frame in inputs:
        attrs = getattr(frame, "attrs", None) or {}
        if attrs.get("dataset_kind"):
            kinds[attrs["dataset_kind"]] = attrs.get("dataset", attrs["dataset_kind"])
        for key in DATASET_ATTRS:
            if key in attrs and key not in result.attrs:
                result.attrs[key] = attrs[key]
    if len(kinds) > 1:
        named = ", ".join(f"{name!r} ({kind})" for kind, name in kinds.items())
        raise InputDataError(
            f"Inputs come from datasets of different kinds: {named}. Real and synthetic "
            "figures are never combined; rate each dataset on its own."
        )
    return result


def check_cases(cases, by: Sequence[str]) -> None:
    """Refuse case tables that cannot be rated as given, with a message that says why.

    * not a DataFrame, or no rows;
    * rows of different datasets pooled (``pd.concat`` of a real and a synthetic table drops
      both marks, so the ``source`` and ``dataset`` columns are checked row by row);
    * the same ``case_id`` twice in one unit (it would count twice in every ``n``).
    """
    if not isinstance(cases, pd.DataFrame):
        raise InputDataError(
            f"cases must be a pandas DataFrame of case records (one row per case), got "
            f"{type(cases).__name__}."
        )
    if cases.empty:
        raise InputDataError("cases has no rows: there is nothing to rate.")
    repeated = sorted({str(c) for c in cases.columns[cases.columns.duplicated()]})
    if repeated:
        raise InputDataError(
            f"cases has column(s) {', '.join(repeated)} more than once (pd.concat(axis=1) of "
            "the same table?); each column must appear once."
        )
    for column in by:
        if column in cases.columns and cases[column].isna().any():
            row = int(np.flatnonzero(cases[column].isna().to_numpy())[0])
            raise InputDataError(
                f"cases column {column!r}, row {row + 1}: no unit given (missing value, "
                f"{int(cases[column].isna().sum())} such row(s)); every case must name its unit."
            )
    for column in ("dataset", "dataset_kind"):
        if column in cases.columns:
            values = sorted(map(str, pd.unique(cases[column].dropna())))
            if len(values) > 1:
                raise InputDataError(
                    f"cases pools rows of several datasets (column {column!r}: "
                    f"{', '.join(values)}). Rate each dataset on its own."
                )
    if "source" in cases.columns:
        source = cases["source"].astype("string").str.strip().str.lower()
        simulated = source.eq("synthetic").fillna(False).to_numpy(dtype=bool)
        if simulated.any() and not simulated.all():
            row = int(np.flatnonzero(~simulated)[0])
            raise InputDataError(
                f"cases pools synthetic and other rows: column 'source' is 'synthetic' in "
                f"{int(simulated.sum())} row(s) and {cases['source'].iloc[row]!r} in "
                f"{int((~simulated).sum())} (first at row {row + 1}). Real and synthetic "
                "cases are never rated together; rate each dataset on its own."
            )
    if "case_id" in cases.columns and "key_question" not in cases.columns:
        keys = [*by, "case_id"]
        dup = cases.duplicated(keys, keep=False).to_numpy()
        if dup.any():
            rows = np.flatnonzero(dup)
            raise InputDataError(
                f"cases has the same case_id more than once in a unit: {int(dup.sum())} rows, "
                f"first case_id {cases['case_id'].iloc[rows[0]]!r} at rows "
                f"{', '.join(str(r + 1) for r in rows[:5])}. Each case must be one row (a "
                "repeated case would count twice); remove the duplicates first."
            )


def check_other_ratings(other_ratings, by: Sequence[str]):
    """The domain-one ratings with exact repeats dropped; conflicting ratings refused."""
    if other_ratings is None:
        return None
    if not isinstance(other_ratings, pd.DataFrame):
        raise InputDataError(
            f"other_ratings must be a DataFrame with columns {[*by, 'standard', 'rating']}, "
            f"got {type(other_ratings).__name__}."
        )
    keys = [*by, "standard"]
    missing = [c for c in [*keys, "rating"] if c not in other_ratings.columns]
    if missing:
        raise InputDataError(
            f"other_ratings lacks column(s) {missing}; it needs {[*keys, 'rating']} "
            f"(columns are {list(other_ratings.columns)})."
        )
    ratings = other_ratings["rating"].map(require_rating)
    table = other_ratings.assign(_rating=ratings)
    counts = table.drop_duplicates([*keys, "_rating"]).groupby(keys, dropna=False).size()
    conflicting = counts[counts > 1]
    if len(conflicting):
        first = conflicting.index[0]
        first = first if isinstance(first, tuple) else (first,)
        where = ", ".join(f"{k}={v!r}" for k, v in zip(keys, first, strict=True))
        given = table.loc[(table[keys] == pd.Series(first, index=keys)).all(axis=1), "_rating"]
        raise InputDataError(
            f"other_ratings gives different ratings for the same standard of the same unit "
            f"({where}: {', '.join(sorted(set(map(str, given))))}; {len(conflicting)} such "
            "standard(s)). Keep one rating per unit and standard."
        )
    keep = ~table.duplicated([*keys, "_rating"]).to_numpy()
    return other_ratings[keep].reset_index(drop=True)
