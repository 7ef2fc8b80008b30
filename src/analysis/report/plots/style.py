"""Alt text and small helpers shared by the plot functions, with the rating palette
(:mod:`analysis.report.palette`) they draw in."""

from __future__ import annotations

import weakref

import matplotlib.pyplot as plt
import pandas as pd

from ...frameworks import RATINGS
from ..palette import RATING_COLOURS, RATING_HATCHES, RATING_TEXT_COLOURS

__all__ = [
    "RATING_COLOURS",
    "RATING_TEXT_COLOURS",
    "RATING_HATCHES",
    "alt_text",
    "set_alt_text",
    "new_axes",
    "axis_label",
    "pct_text",
    "require_columns",
    "rating_handles",
]


_ALT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Alt text per Axes, written by the plot functions."""


_DISCLOSURE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Per Axes drawn under disclosure control: how many rows it left undrawn."""


def protected(data):
    """``(data, hidden)``: what a plot function may draw (see ``disclosure.figure_data``).

    For real data the figures of suppressed rows are NaN, so no mark is drawn for them.
    """
    from ..disclosure import figure_data

    return figure_data(data)


def set_alt_text(ax, text: str, hidden: int | None = None) -> None:
    """Record the alt text a plot function wrote for ``ax``.

    ``hidden`` (rows left undrawn by disclosure control, from :func:`protected`) declares the
    figure drawn under disclosure control; when it is positive the alt text and a line under
    the figure say so.
    """
    if hidden is not None:
        _DISCLOSURE[ax] = hidden
        if hidden:
            from ..disclosure import FIGURE_NOTE, disclosure_threshold

            note = FIGURE_NOTE.format(threshold=disclosure_threshold())
            text = f"{text} {note}"
            ax.figure.text(0.01, -0.02, note, fontsize=7, ha="left", va="top")
    _ALT[ax] = text


def drawn_under_control(fig_or_ax) -> bool:
    """Whether a plot function declared ``fig_or_ax`` (or any of its Axes) drawn under control."""
    if fig_or_ax in _DISCLOSURE:
        return True
    figure = fig_or_ax if hasattr(fig_or_ax, "savefig") else getattr(fig_or_ax, "figure", None)
    return any(ax in _DISCLOSURE for ax in getattr(figure, "axes", []))


def alt_text(ax) -> str | None:
    """The alt text a plot function wrote for ``ax`` (or for a figure's first plotted Axes)."""
    if ax in _ALT:
        return _ALT[ax]
    for child in getattr(ax, "axes", []) if hasattr(ax, "savefig") else []:
        if child in _ALT:
            return _ALT[child]
    return None


def new_axes(ax, size=(8, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def axis_label(text) -> str:
    return str(text).replace("_", " ").capitalize()


def pct_text(x: float) -> str:
    return "no data" if pd.isna(x) else f"{x:.0f}%"


def require_columns(data: pd.DataFrame, columns, function: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(f"{function} needs column(s) {missing}; the data has {list(data.columns)}.")


def rating_handles():
    from matplotlib.patches import Patch

    return [
        Patch(facecolor=RATING_COLOURS[r], hatch=RATING_HATCHES[r], edgecolor="#333333", label=r)
        for r in RATINGS
    ]
