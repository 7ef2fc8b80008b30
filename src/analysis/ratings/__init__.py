"""The rating engine: from case answers or published percentages to ratings, with uncertainty.

* :func:`rate`: key-question scores, standard and overall ratings of many units in one call;
* :func:`key_question_scores`, :func:`standard_ratings`, :func:`overall_ratings`: the steps;
* :func:`key_question_scores_from_percentages`, :func:`compare_published`,
  :func:`section_scores`, :func:`rate_table`: published figures;
* :func:`guidance_check`, :func:`published_guidance`: departures from the rating decision
  guidance that published standard ratings reveal (``analysis rate --published``);
* :func:`quality_scores`, :func:`quality_band`: the case quality score and its bands.

Rules come from :mod:`analysis.frameworks`; methods are in ``docs/ratings.md``.
"""

from __future__ import annotations

from ._common import PROB_COLUMNS
from .overall import overall_ratings
from .published import (
    compare_published,
    key_question_scores_from_percentages,
    rated_items,
    section_scores,
)
from .published_guidance import (
    guidance_check,
    guidance_output,
    guidance_sentences,
    published_guidance,
)
from .quality import QUALITY_BANDS, QUALITY_CUTS, quality_band, quality_scores
from .reading import read_rating_table
from .result import RatingResult, rate
from .scores import fit_population, key_question_scores, standard_ratings
from .table import TableRating, rate_published, rate_table

__all__ = [
    "PROB_COLUMNS",
    "QUALITY_BANDS",
    "QUALITY_CUTS",
    "RatingResult",
    "TableRating",
    "compare_published",
    "rated_items",
    "fit_population",
    "guidance_check",
    "guidance_output",
    "guidance_sentences",
    "published_guidance",
    "key_question_scores",
    "key_question_scores_from_percentages",
    "overall_ratings",
    "quality_band",
    "quality_scores",
    "rate",
    "rate_published",
    "rate_table",
    "read_rating_table",
    "section_scores",
    "standard_ratings",
]
