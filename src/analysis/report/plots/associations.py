"""Plots of associations: forest plots, outcome scatter, outcome rates by band."""

from __future__ import annotations

import numpy as np

from .. import _a11y
from .style import (
    axis_label,
    new_axes,
    protected,
    require_columns,
    set_alt_text,
)

__all__ = ["forest", "outcome_scatter", "band_rates"]


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
    require_columns(data, [label, estimate, low, high], "forest")
    data, hidden = protected(data)
    frame = data.dropna(subset=[estimate, low, high]).reset_index(drop=True)
    left_out = len(data) - len(frame)
    ax = new_axes(ax, size=(8, max(3, 0.45 * len(frame) + 1.5)))
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
        span = span[np.isfinite(span) & (span > 0)]
        ticks = log_ticks(span.min(), span.max())
        ax.set_xlim(min(span.min(), ticks[0]) / 1.08, max(span.max(), ticks[-1]) * 1.08)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_yticks(y, [axis_label(t) for t in frame[label]])
    ax.set_xlabel(xlabel)
    set_alt_text(
        ax,
        _a11y.forest_alt(
            list(frame[label]),
            est,
            lo,
            hi,
            reference=reference,
            marked=marked,
            highlight=bool(highlight),
            left_out=left_out,
            xlabel=xlabel,
        ),
        hidden=hidden,
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
    require_columns(data, [x, y, size], "outcome_scatter")
    data, hidden = protected(data)
    frame = data.dropna(subset=[x, y])
    ax = new_axes(ax, size=(7, 5))
    sizes = 15 + 185 * frame[size] / max(1, frame[size].max())
    ax.scatter(
        frame[x], frame[y], s=sizes, color="#0072B2", alpha=0.7, edgecolor="#0b0c0c", linewidth=0.5
    )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    set_alt_text(
        ax,
        _a11y.scatter_alt(frame, x=x, y=y, size=size, xlabel=xlabel, ylabel=ylabel),
        hidden=hidden,
    )
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
    require_columns(data, [band, rate, low, high, n], "band_rates")
    data, hidden = protected(data)
    frame = data.reset_index(drop=True)
    ax = new_axes(ax, size=(7, 4.5))
    xs = np.arange(len(frame))
    est, lo, hi = (frame[c].astype(float).to_numpy() for c in (rate, low, high))
    ax.errorbar(
        xs,
        est,
        yerr=[np.clip(est - lo, 0, None), np.clip(hi - est, 0, None)],  # rounding at 0 and 100
        fmt="o",
        color="#0b0c0c",
        ecolor="#505a5f",
        capsize=4,
        markersize=7,
    )
    ax.set_xticks(
        xs,
        [
            f"{b}\nn={'[c]' if c != c else int(c)}"  # NaN: suppressed
            for b, c in zip(frame[band], frame[n], strict=True)
        ],
    )
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    shown = frame[n].notna().to_numpy()  # a suppressed band is described by the note only
    set_alt_text(
        ax,
        _a11y.band_rates_alt(
            frame[shown].reset_index(drop=True),
            band=band,
            est=est[shown],
            lo=lo[shown],
            hi=hi[shown],
            n=n,
            ylabel=ylabel,
        ),
        hidden=hidden,
    )
    return ax


TICK_LADDERS = (
    (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100),
    (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 20),
    (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2, 2.5, 3),
    (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1, 1.15, 1.2, 1.3, 1.4, 1.5),
)
"""Round odds ratios for a log axis, coarse to fine: the first giving three ticks is used."""


def log_ticks(low: float, high: float, *, minimum: int = 3) -> list[float]:
    """At least ``minimum`` round ticks spanning ``low`` to ``high`` on a log axis.

    >>> log_ticks(0.6, 1.0)
    [0.6, 0.7, 0.8, 0.9, 1, 1.1]
    >>> log_ticks(0.1, 10)
    [0.1, 0.2, 0.5, 1, 2, 5, 10]
    """
    low, high = float(low), float(high)
    for ladder in TICK_LADDERS:
        ticks = [t for t in ladder if low / 1.1 <= t <= high * 1.1]
        if len(ticks) >= minimum:
            return ticks
    # a very narrow range: the ends and the middle, to two significant figures
    middle = float(np.sqrt(low * high))
    return sorted({float(f"{v:.2g}") for v in (low, middle, high)})
