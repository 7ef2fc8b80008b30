"""Associations between practice quality and outcomes, validated against known truth.

* :func:`associations`: case-level logistic models (quality score, band, standard, area, key
  question), adjusted for case mix, clustered by PDU three ways.
* :func:`quality_scores`: the case quality score and bands.
* :func:`outcome_rates`, :func:`band_differences`: outcome rates by quality band (Wilson) and
  differences between bands (Newcombe).
* :func:`unit_outcome_models`, :func:`rating_context_models`: unit-level binomial GLM and
  ordinal logistic models.
* :func:`factor_associations`: 2x2 tables per offending-related factor.
* :func:`run_study`: the simulation study of bias and coverage; :func:`run_few_pdu_study` the
  same at regional sizes (6, 8, 15 PDUs).
* :func:`few_pdu_sentence`: the few-PDU caution for a report sentence, from a result row.

Methods, assumptions and caveats: ``docs/methods.md``.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "associations": "case",
    "adjust_pvalues": "case",
    "RESULT_COLUMNS": "case",
    "CASE_MIX": "case",
    "quality_scores": "quality",
    "quality_band": "quality",
    "QUALITY_BANDS": "quality",
    "QUALITY_CUTS": "quality",
    "outcome_rates": "rates",
    "band_differences": "rates",
    "unit_outcome_models": "unit",
    "rating_context_models": "unit",
    "factor_associations": "factors",
    "factor_table": "factors",
    "fit_random_intercept": "mixed",
    "run_study": "study",
    "run_few_pdu_study": "few_pdus",
    "few_pdu_sentence": "small_sample",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'analysis.models' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(
        [*__all__, "case", "quality", "rates", "unit", "factors", "diagnostics", "mixed", "study"]
        + ["small_sample", "few_pdus"]
    )
