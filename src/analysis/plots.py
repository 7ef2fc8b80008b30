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

import weakref

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from . import _a11y
from .frameworks import RATINGS

__all__ = [
    "RATING_COLOURS",
    "RATING_TEXT_COLOURS",
    "RATING_HATCHES",
    "alt_text",
    "rating_bars",
    "kq_heatmap",
    "band_probabilities",
    "forest",
    "outcome_scatter",
    "band_rates",
]

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

_ALT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def alt_text(ax) -> str | None:
    """The alt text a plot function wrote for ``ax`` (or for a figure's first plotted Axes)."""
    if ax in _ALT:
        return _ALT[ax]
    for child in getattr(ax, "axes", []) if hasattr(ax, "savefig") else []:
        if child in _ALT:
            return _ALT[child]
    return None


def _axes(ax, size=(8, 4.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=size, layout="constrained")
    return ax


def _label(text) -> str:
    return str(text).replace("_", " ").capitalize()


def _pct(x: float) -> str:
    return "no data" if pd.isna(x) else f"{x:.0f}%"


def _require(data: pd.DataFrame, columns, function: str) -> None:
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise KeyError(f"{function} needs column(s) {missing}; the data has {list(data.columns)}.")


def _rating_handles():
    from matplotlib.patches import Patch

    return [
        Patch(facecolor=RATING_COLOURS[r], hatch=RATING_HATCHES[r], edgecolor="#333333", label=r)
        for r in RATINGS
    ]


def rating_bars(data, *, standard="standard", rating="rating", scope=None, ax=None):
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
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    KeyError
        If a named column is missing.
    """
    _require(data, [standard, rating] + ([scope] if scope else []), "rating_bars")
    n_bars = data[standard].nunique() * (data[scope].nunique() if scope else 1)
    ax = _axes(ax, size=(8, (0.5 if scope else 0.32) * n_bars + 1.6))
    frame = data.assign(_scope=data[scope].astype(str) if scope else "")
    scopes = list(dict.fromkeys(frame["_scope"]))
    standards = list(dict.fromkeys(frame[standard].astype(str)))
    rows, labels, described = [], [], []
    for name in standards:
        for group in scopes:
            part = frame[(frame[standard].astype(str) == name) & (frame["_scope"] == group)]
            counts = part[rating].astype(str).value_counts().reindex(RATINGS, fill_value=0)
            rows.append(counts)
            labels.append(f"{_label(name)}\n{group}" if group else _label(name))
            described.append(labels[-1].replace("\n", " – "))
    counts = pd.DataFrame(rows).reset_index(drop=True)
    shares = counts.div(counts.sum(axis=1).replace(0, np.nan), axis=0).fillna(0) * 100
    y = np.arange(len(shares))[::-1]
    left = np.zeros(len(shares))
    for r in RATINGS:
        bars = ax.barh(
            y,
            shares[r],
            left=left,
            color=RATING_COLOURS[r],
            hatch=RATING_HATCHES[r],
            edgecolor="#333333",
            linewidth=0.5,
            label=r,
        )
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
        handles=_rating_handles(),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        ncol=4,
        frameon=False,
    )
    _ALT[ax] = _a11y.rating_bars_alt(counts, described, [s for s in scopes if s])
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
    _require(data, [row, column, value, n], "kq_heatmap")
    rows = list(dict.fromkeys(data[row].astype(str)))
    columns = list(dict.fromkeys(data[column].astype(str)))
    keyed = data.assign(_r=data[row].astype(str), _c=data[column].astype(str))
    values = keyed.pivot_table(
        index="_r", columns="_c", values=value, aggfunc="first", dropna=False
    ).reindex(index=rows, columns=columns)
    counts = keyed.pivot_table(
        index="_r", columns="_c", values=n, aggfunc="first", dropna=False
    ).reindex(index=rows, columns=columns)
    ax = _axes(ax, size=(max(6, 0.75 * len(columns) + 3), max(3, 0.55 * len(rows) + 2.2)))
    image = ax.imshow(values.to_numpy(dtype=float), cmap="cividis", vmin=0, vmax=100, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(columns)):
            pct, count = values.iat[i, j], counts.iat[i, j]
            text = "–" if pd.isna(pct) else f"{pct:.0f}%\nn={int(count)}"
            fill = ax.get_facecolor() if pd.isna(pct) else image.cmap(image.norm(pct))
            colour = _a11y.text_colour_on(fill)  # 4.5:1 or more against the cell
            ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
    ax.set_xticks(range(len(columns)), [_label(c) for c in columns], rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.figure.colorbar(image, ax=ax, label="% of applicable cases answered yes", shrink=0.8)
    _ALT[ax] = _a11y.heatmap_alt(
        data, row=row, column=column, value=value, n=n, n_rows=len(rows), n_columns=len(columns)
    )
    return ax


_P_COLUMNS = {
    "Outstanding": "p_outstanding",
    "Good": "p_good",
    "Requires improvement": "p_requires_improvement",
    "Inadequate": "p_inadequate",
}


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
    _require(data, [unit, borderline, rating, *_P_COLUMNS.values()], "band_probabilities")
    ax = _axes(ax, size=(8, max(3, 0.4 * len(data) + 1.5)))
    frame = data.reset_index(drop=True)
    y = np.arange(len(frame))[::-1]
    left = np.zeros(len(frame))
    for r, column in _P_COLUMNS.items():
        share = frame[column].astype(float).fillna(0).to_numpy() * 100
        ax.barh(
            y,
            share,
            left=left,
            color=RATING_COLOURS[r],
            hatch=RATING_HATCHES[r],
            edgecolor="#333333",
            linewidth=0.5,
            label=r,
        )
        left += share
    flags = frame[borderline].fillna(False).astype(bool)
    labels = [f"{u} (borderline)" if b else str(u) for u, b in zip(frame[unit], flags, strict=True)]
    ax.set_yticks(y, labels)
    for tick, flag in zip(ax.get_yticklabels(), flags, strict=True):
        tick.set_fontweight("bold" if flag else "normal")
    ax.set_xlim(0, 100)
    ax.set_xlabel("Probability of each rating band given the sample (%)")
    ax.legend(
        handles=_rating_handles(),
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.1 / max(1, len(frame) / 5)),
        ncol=4,
        frameon=False,
    )
    likeliest = frame[list(_P_COLUMNS.values())].astype(float).idxmax(axis=1)
    likeliest = likeliest.map({c: r for r, c in _P_COLUMNS.items()})
    subject = None
    if "standard" in frame.columns and frame["standard"].nunique() == 1:
        subject = _a11y.words(frame["standard"].iloc[0])
    _ALT[ax] = _a11y.band_probabilities_alt(
        frame, unit=unit, flags=flags, likeliest=likeliest, subject=subject
    )
    return ax


def forest(
    data,
    *,
    label="term",
    estimate="odds_ratio",
    low="ci_low",
    high="ci_high",
    reference=1.0,
    highlight=None,
    highlight_label="Clear after adjustment for multiple comparisons",
    log=True,
    xlabel="Odds ratio (95% interval)",
    ax=None,
):
    """Forest plot: one row per term with its estimate and interval, a line at ``reference``.

    Raises
    ------
    KeyError
        If a named column is missing.
    """
    _require(data, [label, estimate, low, high], "forest")
    frame = data.dropna(subset=[estimate, low, high]).reset_index(drop=True)
    left_out = len(data) - len(frame)
    ax = _axes(ax, size=(8, max(3, 0.45 * len(frame) + 1.5)))
    y = np.arange(len(frame))[::-1]
    est, lo, hi = (frame[c].astype(float).to_numpy() for c in (estimate, low, high))
    marked = (
        frame[highlight].fillna(False).astype(bool).to_numpy()
        if highlight
        else np.ones(len(frame), bool)
    )
    ax.errorbar(est, y, xerr=[est - lo, hi - est], fmt="none", ecolor="#505a5f", capsize=3)
    ax.plot(
        est[marked],
        y[marked],
        "s",
        color="#0b0c0c",
        markersize=6,
        label=highlight_label if highlight else None,
    )
    if highlight:
        ax.plot(
            est[~marked],
            y[~marked],
            "s",
            markerfacecolor="white",
            markeredgecolor="#0b0c0c",
            markersize=6,
            label="Not clear after adjustment",
        )
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=1, frameon=False)
    ax.axvline(reference, color="#505a5f", linestyle="--", linewidth=1)
    if log:
        from matplotlib.ticker import FixedLocator, FuncFormatter, NullFormatter

        ax.set_xscale("log")
        span = np.concatenate([lo, hi, [reference]])
        ticks = [
            t
            for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20)
            if span.min() / 1.5 <= t <= span.max() * 1.5
        ]
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [_label(t) for t in frame[label]])
    ax.set_xlabel(xlabel)
    _ALT[ax] = _a11y.forest_alt(
        list(frame[label]),
        est,
        lo,
        hi,
        reference=reference,
        marked=marked,
        highlight=bool(highlight),
        left_out=left_out,
        xlabel=xlabel,
    )
    return ax


def outcome_scatter(
    data,
    *,
    x="pct_yes",
    y="outcome_rate",
    size="n",
    ax=None,
    xlabel="Key question: % of cases answered yes",
    ylabel="Outcome rate (%)",
):
    """Scatter of unit-level key-question % against an outcome rate, points sized by n.

    Raises
    ------
    KeyError
        If a named column is missing.
    """
    _require(data, [x, y, size], "outcome_scatter")
    frame = data.dropna(subset=[x, y])
    ax = _axes(ax, size=(7, 5))
    sizes = 15 + 185 * frame[size] / max(1, frame[size].max())
    ax.scatter(
        frame[x], frame[y], s=sizes, color="#0072B2", alpha=0.7, edgecolor="#0b0c0c", linewidth=0.5
    )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _ALT[ax] = _a11y.scatter_alt(frame, x=x, y=y, size=size, xlabel=xlabel, ylabel=ylabel)
    return ax


def band_rates(
    data,
    *,
    band="band",
    rate="rate",
    low="ci_low",
    high="ci_high",
    n="n",
    ylabel="Outcome rate (%)",
    ax=None,
):
    """Outcome rate per quality band with its interval, with n under each band.

    Raises
    ------
    KeyError
        If a named column is missing.
    """
    _require(data, [band, rate, low, high, n], "band_rates")
    frame = data.reset_index(drop=True)
    ax = _axes(ax, size=(7, 4.5))
    xs = np.arange(len(frame))
    est, lo, hi = (frame[c].astype(float).to_numpy() for c in (rate, low, high))
    ax.errorbar(
        xs,
        est,
        yerr=[est - lo, hi - est],
        fmt="o",
        color="#0b0c0c",
        ecolor="#505a5f",
        capsize=4,
        markersize=7,
    )
    ax.set_xticks(xs, [f"{b}\nn={int(c)}" for b, c in zip(frame[band], frame[n], strict=True)])
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    _ALT[ax] = _a11y.band_rates_alt(frame, band=band, est=est, lo=lo, hi=hi, n=n, ylabel=ylabel)
    return ax
