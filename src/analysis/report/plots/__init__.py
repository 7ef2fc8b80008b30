"""Plots for reports and notebooks, in seaborn's style.

Every function takes tidy ``data`` first and everything else by keyword, draws on ``ax`` (a new
one if None), returns the Axes and never saves or shows. Each also writes alt text from the
numbers it drew; read it with :func:`alt_text` (``report.show_figure`` uses it when no alt is
given).

Rating colours come from the Okabe–Ito colour-blind-safe palette, with lightness spread so the
four bands stay distinct in greyscale; bars also carry hatching and text labels, so colour is
never the only cue.

>>> import pandas as pd
>>> frame = pd.DataFrame({"standard": ["assessment"] * 3,
...                       "rating": ["Inadequate", "Inadequate", "Good"]})
>>> ax = rating_bars(frame)
>>> alt_text(ax)[:46]
'Inadequate is the most common rating (2 of 3);'
"""

from __future__ import annotations

from .associations import band_rates, forest, outcome_scatter
from .ratings import band_probabilities, kq_heatmap, rating_bars
from .style import (
    RATING_COLOURS,
    RATING_HATCHES,
    RATING_TEXT_COLOURS,
    alt_text,
    drawn_under_control,
)

__all__ = [
    "RATING_COLOURS",
    "RATING_TEXT_COLOURS",
    "RATING_HATCHES",
    "alt_text",
    "drawn_under_control",
    "rating_bars",
    "kq_heatmap",
    "band_probabilities",
    "forest",
    "outcome_scatter",
    "band_rates",
]
