"""The rating palette: each rating's fill, text colour and hatch, for figures and pages alike.

Plain values, so a page's stylesheet (:func:`analysis.report.export.base_css`) is built without
loading a plotting library.

>>> RATING_COLOURS["Good"], RATING_TEXT_COLOURS["Good"]
('#56B4E9', '#000000')
"""

from __future__ import annotations

__all__ = ["RATING_COLOURS", "RATING_TEXT_COLOURS", "RATING_HATCHES"]

RATING_COLOURS = {
    "Outstanding": "#0072B2",  # Okabe–Ito blue, relative luminance 0.15
    "Good": "#56B4E9",  # Okabe–Ito sky blue, 0.41
    "Requires improvement": "#F0E442",  # Okabe–Ito yellow, 0.74
    "Inadequate": "#5E1A00",  # darkened Okabe–Ito vermillion, 0.03
}
"""Fill colour per rating; distinct for colour-blind readers and in greyscale."""

RATING_TEXT_COLOURS = {
    "Outstanding": "#FFFFFF",
    "Good": "#000000",
    "Requires improvement": "#000000",
    "Inadequate": "#FFFFFF",
}
"""Text colour on each rating fill (contrast ratio at least 4.5:1)."""

RATING_HATCHES = {"Outstanding": "", "Good": "//", "Requires improvement": "..", "Inadequate": "xx"}
"""Hatching per rating, a second cue beside colour."""
