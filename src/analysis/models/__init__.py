"""Associations between practice quality and outcomes, validated against known truth.

* :func:`associations`: case-level logistic models (quality score, band, standard, area, key
  question), adjusted for case mix, clustered by PDU three ways.
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

from .case import CASE_MIX, RESULT_COLUMNS, adjust_pvalues, associations
from .factors import factor_associations, factor_table
from .few_pdus import run_few_pdu_study
from .mixed import fit_random_intercept
from .rates import band_differences, outcome_rates
from .small_sample import few_pdu_sentence
from .study import run_study
from .unit import rating_context_models, unit_outcome_models

__all__ = [
    "CASE_MIX",
    "RESULT_COLUMNS",
    "adjust_pvalues",
    "associations",
    "band_differences",
    "factor_associations",
    "factor_table",
    "few_pdu_sentence",
    "fit_random_intercept",
    "outcome_rates",
    "rating_context_models",
    "run_few_pdu_study",
    "run_study",
    "unit_outcome_models",
]
