"""What the rating modules share: probability columns, unit keys, band lookup, the score table."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError
from ..frameworks.dtypes import RATING_DTYPE
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
]

PROB_COLUMNS = ["p_outstanding", "p_good", "p_requires_improvement", "p_inadequate"]
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
