"""Plain-English sentences generated from the numbers, with their uncertainty.

Each function takes a tidy table (as returned by :mod:`analysis.ratings` or
:mod:`analysis.models`) and returns a sentence (or a list of them) for a reader with no
statistics: counts as "7 of 11", percentages rounded to whole numbers, intervals in words.
Rounding happens only here, at the point of presentation.

>>> share(7, 11)
'7 of 11 (64%)'
>>> interval_words(0.25, 0.37, percent=True)
'95% interval 25% to 37%'
"""

from __future__ import annotations

from .associations import (
    association_findings,
    band_difference_sentence,
    band_rate_sentence,
    odds_ratio_sentence,
)
from .main_points import (
    cause_point,
    coverage_point,
    difference_point,
    few_pdus_point,
    key_question_point,
    odds_point,
    published_point,
    rated_point,
    regional_point,
    reinspection_point,
    round_points,
    worst_standard_point,
)
from .ratings import (
    overall_sentence,
    published_sentence,
    rating_sentence,
    standard_sentences,
    weakest_key_question,
)
from .words import OUTCOME_LABELS, interval_words, label, number_word, outcome_label, share

__all__ = [
    "share",
    "interval_words",
    "label",
    "rating_sentence",
    "standard_sentences",
    "overall_sentence",
    "weakest_key_question",
    "odds_ratio_sentence",
    "band_rate_sentence",
    "band_difference_sentence",
    "OUTCOME_LABELS",
    "outcome_label",
    "association_findings",
    "published_sentence",
    "number_word",
    "cause_point",
    "difference_point",
    "few_pdus_point",
    "key_question_point",
    "odds_point",
    "published_point",
    "rated_point",
    "round_points",
    "reinspection_point",
    "coverage_point",
    "regional_point",
    "worst_standard_point",
]
