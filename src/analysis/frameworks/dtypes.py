"""pandas dtypes for the shared vocabulary (kept apart so ``analysis.frameworks`` needs no pandas)."""

from __future__ import annotations

import pandas as pd

from .vocabulary import ANSWERS, RATINGS

__all__ = ["RATING_DTYPE", "ANSWER_DTYPE"]

RATING_DTYPE = pd.CategoricalDtype(list(reversed(RATINGS)), ordered=True)
"""Ordered ratings, worst first, so that ``Inadequate < Good`` holds."""

ANSWER_DTYPE = pd.CategoricalDtype(list(ANSWERS))
"""A case's answer to a key question: yes, no, not_applicable."""
