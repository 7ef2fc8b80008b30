"""Plots of ratings: stacked rating bars, the key-question heatmap, band probabilities."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ...frameworks import PROBABILITY_COLUMNS, RATINGS
from .. import _a11y
from .style import (
    RATING_COLOURS,
    RATING_HATCHES,
    RATING_TEXT_COLOURS,
    axis_label,
    new_axes,
    protected,
    rating_handles,
    require_columns,
    set_alt_text,
)

__all__ = ["rating_bars", "kq_heatmap", "band_probabilities"]


def _rating_bars(ax, y, share, left, rating: str):
    """One rating's stacked horizontal bars, in its colour and hatch (told apart without colour)."""
    return ax.barh(
        y,
        share,
        left=left,
        color=RATING_COLOURS[rating],
        hatch=RATING_HATCHES[rating],
        edgecolor="#333333",
        linewidth=0.5,
        label=rating,
    )


def rating_bars(
    data, *, standard="standard", rating="rating", scope=None, what="standard", ax=None
):
    """Stacked bars of the share of units in each rating band, one bar per standard and scope.

    Parameters
    ----------
    data : DataFrame
        One row per unit and standard, with columns ``standard`` and ``rating``.
    standard, rating : str
        Column names.
    scope : str, optional
        Column naming the group a row belongs to (e.g. a region and "National"); bars of each
        standard sit side by side in the order the scopes first appear.
    what : str
        What one group of bars is, for the alt text ("standard", "inspection round", "year").
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    KeyError
        If a named column is missing.
    """
    require_columns(data, [standard, rating] + ([scope] if scope else []), "rating_bars")
    # the bars draw ratings, which disclosure control keeps (they give no count of cases by
    # themselves, docs/disclosure.md): every row is drawn, and the figure says none was hidden
    hidden = 0
    n_bars = data[standard].nunique() * (data[scope].nunique() if scope else 1)
    ax = new_axes(ax, size=(8, (0.5 if scope else 0.32) * n_bars + 1.6))
    frame = data.assign(_scope=data[scope].astype(str) if scope else "")
    scopes = list(dict.fromkeys(frame["_scope"]))
    standards = list(dict.fromkeys(frame[standard].astype(str)))
    rows, labels, described = [], [], []
    for name in standards:
        for group in scopes:
            part = frame[(frame[standard].astype(str) == name) & (frame["_scope"] == group)]
            counts = part[rating].astype(str).value_counts().reindex(RATINGS, fill_value=0)
            rows.append(counts)
            labels.append(f"{axis_label(name)}\n{group}" if group else axis_label(name))
            described.append(labels[-1].replace("\n", " – "))
    counts = pd.DataFrame(rows).reset_index(drop=True)
    shares = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0) * 100
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    for r in RATINGS:
        bars = _rating_bars(ax, y, shares[r], left, r)
        for bar, count, share in zip(bars, counts[r], shares[r], strict=True):
            if share >= 8:
                ax.text(
                    bar.get_x() + bar.get_width() / 2,
                    bar.get_y() + bar.get_height() / 2,
                    str(int(count)),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=RATING_TEXT_COLOURS[r],
                    bbox={"boxstyle": "round,pad=0.15", "fc": RATING_COLOURS[r], "ec": "none"},
                )
        left += shares[r].to_numpy()
    ax.set_yticks(y, labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("Share of units (%); numbers are counts of units")
    ax.legend(
        handles=rating_handles(),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=4,
        frameon=False,
    )
    set_alt_text(
        ax,
        _a11y.rating_bars_alt(
            counts,
            described,
            [s for s in scopes if s],
            what=what,
            scope_of=[g for _ in standards for g in scopes],
        ),
        hidden=hidden,
    )
    return ax


def kq_heatmap(
    data, *, row="pdu", column="key_question", value="pct_yes", n="n_applicable", ax=None
):
    """Heatmap of key-question % yes (rows: units, columns: key questions), each cell with n.

    Uses the cividis colour map (even lightness steps, readable with colour-blindness and in
    greyscale); every cell is annotated with its percentage and case count.

    Raises
    ------
    KeyError
        If a named column is missing.
    """
    require_columns(data, [row, column, value, n], "kq_heatmap")
    data, hidden = protected(data)
    rows = list(dict.fromkeys(data[row].astype(str)))
    columns = list(dict.fromkeys(data[column].astype(str)))
    keyed = data.assign(_r=data[row].astype(str), _c=data[column].astype(str))
    values = keyed.pivot_table(
        index="_r", columns="_c", values=value, aggfunc="first", dropna=False
    ).reindex(index=rows, columns=columns)
    counts = keyed.pivot_table(
        index="_r", columns="_c", values=n, aggfunc="first", dropna=False
    ).reindex(index=rows, columns=columns)
    # cells sized so that, scaled into a 928 px text column, the labels stay about 10 px tall
    ax = new_axes(ax, size=(max(6, 0.62 * len(columns) + 3), max(3, 0.6 * len(rows) + 2.2)))
    image = ax.imshow(values.to_numpy(dtype=float), cmap="cividis", vmin=0, vmax=100, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(columns)):
            pct, count = values.iat[i, j], counts.iat[i, j]
            text = "–" if pd.isna(pct) else f"{pct:.0f}%\nn={int(count)}"
            fill = ax.get_facecolor() if pd.isna(pct) else image.cmap(image.norm(pct))
            colour = _a11y.text_colour_on(fill)  # 4.5:1 or more against the cell
            ax.text(j, i, text, ha="center", va="center", fontsize=10.5, color=colour)
    ax.set_xticks(range(len(columns)), [axis_label(c) for c in columns], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.figure.colorbar(image, ax=ax, label="% of applicable cases answered yes", shrink=0.8)
    set_alt_text(
        ax,
        _a11y.heatmap_alt(
            data, row=row, column=column, value=value, n=n, n_rows=len(rows), n_columns=len(columns)
        ),
        hidden=hidden,
    )
    return ax


_P_COLUMNS = dict(zip(RATINGS, PROBABILITY_COLUMNS, strict=True))


def band_probabilities(data, *, unit="pdu", borderline="borderline", rating="rating", ax=None):
    """Probability of each rating band per unit, as stacked bars; borderline units marked.

    ``data`` has one row per unit (one standard), with ``p_outstanding``, ``p_good``,
    ``p_requires_improvement``, ``p_inadequate`` (0–1) as from
    :func:`analysis.ratings.standard_ratings`.

    Raises
    ------
    KeyError
        If a named column is missing.
    """
    require_columns(data, [unit, borderline, rating, *_P_COLUMNS.values()], "band_probabilities")
    data, hidden = protected(data)
    ax = new_axes(ax, size=(8, max(3, 0.4 * len(data) + 1.5)))
    frame = data.reset_index(drop=True)
    y = np.arange(len(frame))[::-1]
    left = np.zeros(len(frame))
    for r, column in _P_COLUMNS.items():
        share = frame[column].astype(float).fillna(0).to_numpy() * 100
        _rating_bars(ax, y, share, left, r)
        left += share
    flags = frame[borderline].fillna(False).astype(bool)
    labels = [f"{u} (borderline)" if b else str(u) for u, b in zip(frame[unit], flags, strict=True)]
    ax.set_yticks(y, labels)
    for tick, flag in zip(ax.get_yticklabels(), flags, strict=True):
        tick.set_fontweight("bold" if flag else "normal")
    ax.set_xlim(0, 100)
    ax.set_xlabel("Probability of each rating band given the sample (%)")
    ax.legend(
        handles=rating_handles(),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.1 / max(1, len(frame) / 5)),
        ncol=4,
        frameon=False,
    )
    probabilities = frame[list(_P_COLUMNS.values())].astype(float)
    likeliest = probabilities.fillna(-1).idxmax(axis=1)  # a suppressed row is all NaN
    likeliest = likeliest.map({c: r for r, c in _P_COLUMNS.items()})
    likeliest[probabilities.isna().all(axis=1).to_numpy()] = "not shown (too few cases)"
    subject = None
    if "standard" in frame.columns and frame["standard"].nunique() == 1:
        subject = _a11y.words(frame["standard"].iloc[0])
    set_alt_text(
        ax,
        _a11y.band_probabilities_alt(
            frame, unit=unit, flags=flags, likeliest=likeliest, subject=subject
        ),
        hidden=hidden,
    )
    return ax
