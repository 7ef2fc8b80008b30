"""Case quality scores: the share of applicable key questions answered Yes, and quality bands.

A case's quality score is ``n_yes / n_applicable`` over the framework's twelve key questions
(not-applicable answers leave the denominator); NaN when no key question applies. The same
share is computed per standard (three key questions each) and per area of practice (four key
questions each).

Quality bands apply the standard rating cut-offs to a single case, lower bound inclusive:

========== ==========================
band       quality score
========== ==========================
inadequate under 0.50
adequate   0.50 up to (not incl.) 0.80
high       0.80 and over
========== ==========================

>>> import pandas as pd
>>> cases = pd.DataFrame({"assessment_engagement": ["yes", "no", "yes"],
...                       "assessment_desistance": ["yes", "yes", "not_applicable"]})
>>> quality_scores(cases, key_questions=["assessment_engagement", "assessment_desistance"])[
...     ["quality_score", "quality_band", "n_applicable"]]
   quality_score quality_band  n_applicable
0            1.0         high             2
1            0.5     adequate             2
2            1.0         high             1
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError
from ._common import keep_dataset

__all__ = ["QUALITY_BANDS", "QUALITY_CUTS", "QUALITY_BAND_DTYPE", "quality_scores", "quality_band"]

QUALITY_BANDS: tuple[str, ...] = ("inadequate", "adequate", "high")
"""Quality bands, worst first."""
QUALITY_CUTS: tuple[float, float] = (0.5, 0.8)
"""Lower bounds (inclusive) of the ``adequate`` and ``high`` bands, as shares of key questions."""
QUALITY_BAND_DTYPE = pd.CategoricalDtype(list(QUALITY_BANDS), ordered=True)


def quality_band(score, *, cuts: Sequence[float] = QUALITY_CUTS) -> pd.Categorical:
    """Place quality scores (0-1) in bands ``inadequate < adequate < high``; NaN stays missing.

    >>> list(quality_band([0.2, 0.5, 0.79, 0.8, float("nan")]))
    ['inadequate', 'adequate', 'adequate', 'high', nan]

    Raises
    ------
    InputDataError
        If ``cuts`` are not two increasing values strictly between 0 and 1.
    """
    lo, hi = (float(c) for c in cuts)
    if not 0 < lo < hi < 1:
        raise InputDataError(
            f"Quality band cuts must be two increasing shares in (0, 1), got {tuple(cuts)}."
        )
    score = np.asarray(score, dtype=float)
    codes = np.where(np.isnan(score), -1, np.searchsorted([lo, hi], score, side="right"))
    return pd.Categorical.from_codes(codes, dtype=QUALITY_BAND_DTYPE)


def _answers(cases: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in cases.columns]
    if missing:
        raise InputDataError(
            f"Key-question column(s) {missing} not found in the case data; expected the twelve "
            "key-question columns of the data contract (e.g. 'assessment_engagement')."
        )
    answers = cases[list(columns)].astype("object")
    bad = ~answers.isin(_fw.ANSWERS) & answers.notna()
    if bad.to_numpy().any():
        row, col = np.argwhere(bad.to_numpy())[0]
        raise InputDataError(
            f"Column {columns[col]!r}, row {row}: answer {answers.iat[row, col]!r} is not one of "
            "'yes', 'no', 'not_applicable'."
        )
    return answers


def _share(yes: np.ndarray, applicable: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(applicable > 0, yes / np.maximum(applicable, 1), np.nan)


def quality_scores(
    cases: pd.DataFrame,
    *,
    framework: str = "pdu-2023",
    key_questions: Sequence[str] | None = None,
    cuts: Sequence[float] = QUALITY_CUTS,
) -> pd.DataFrame:
    """Case quality score, band, and per-standard and per-area shares for every case.

    Parameters
    ----------
    cases : DataFrame
        Case-level records (the data contract); only the key-question columns are read.
    framework : str
        Framework id whose key questions, standards and areas are used.
    key_questions : sequence of str, optional
        Use only these key-question columns for the overall score (no per-standard or per-area
        shares are then computed). Default: all the framework's key questions.
    cuts : (float, float)
        Lower bounds of the ``adequate`` and ``high`` bands (default 0.5 and 0.8).

    Returns
    -------
    DataFrame
        Same index as ``cases``; columns ``quality_score`` (0-1), ``quality_band``,
        ``n_applicable``, ``n_yes``, then ``standard_<slug>`` for each case-based standard and
        ``area_<area>`` for each area (shares 0-1, NaN where nothing applies).

    Raises
    ------
    InputDataError
        If a key-question column is missing or holds an answer other than yes, no,
        not_applicable.
    """
    fw = _fw.get(framework)
    columns = list(key_questions) if key_questions is not None else list(fw.key_question_ids)
    answers = _answers(cases, columns)
    yes = (answers == "yes").to_numpy()
    applicable = answers.isin(_fw.APPLICABLE_ANSWERS).to_numpy()
    n_yes, n_app = yes.sum(axis=1), applicable.sum(axis=1)
    score = _share(n_yes, n_app)
    out = {
        "quality_score": score,
        "quality_band": quality_band(score, cuts=cuts),
        "n_applicable": n_app,
        "n_yes": n_yes,
    }
    if key_questions is None:
        groups = [(f"standard_{s}", "standard", s) for s in fw.case_based_standards]
        groups += [(f"area_{a}", "area", a) for a in _fw.AREAS]
        for name, attr, value in groups:
            idx = [i for i, kq in enumerate(fw.key_questions) if getattr(kq, attr) == value]
            out[name] = _share(yes[:, idx].sum(axis=1), applicable[:, idx].sum(axis=1))
    frame = pd.DataFrame(out, index=cases.index)
    if cases.attrs.get("synthetic"):
        frame.attrs["synthetic"] = True
    return keep_dataset(frame, cases)
