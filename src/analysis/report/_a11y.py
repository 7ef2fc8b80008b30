"""Alt texts that state a chart's finding, and text colours that stay readable on a fill.

Every alt text written here opens with the finding in one sentence, then names in words what is
plotted, and stays short: the numbers behind a chart belong to the table beside it. Used by
:mod:`analysis.report.plots`.

>>> round(contrast_ratio("#ffffff", "#000000"), 1)
21.0
>>> text_colour_on("#00204d"), text_colour_on("#fee838")
('#ffffff', '#000000')
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

ALT_MAX_CHARS = 400
"""Alt texts longer than this are cut back to their summary sentences."""


# --- colour contrast (WCAG 2) ---------------------------------------------------------------


def relative_luminance(colour) -> float:
    """WCAG 2 relative luminance of a matplotlib colour (name, hex or RGB(A) tuple)."""
    from matplotlib.colors import to_rgb

    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(a, b) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(fill) -> str:
    """Black or white, whichever contrasts more with ``fill`` (always at least 4.58:1)."""
    black, white = contrast_ratio(fill, "#000000"), contrast_ratio(fill, "#ffffff")
    return "#000000" if black >= white else "#ffffff"


# --- words ----------------------------------------------------------------------------------


def words(value) -> str:
    """A machine id or label in words (key questions as ``Standard: focus``)."""
    from ._labels import readable_id

    return readable_id(value)


def _pct(x: float) -> str:
    return "no data" if pd.isna(x) else f"{x:.0f}%"


def _join(items) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plain(label: str) -> str:
    """An axis label inside a sentence: lower case, without a ``(%...)`` unit note.

    >>> _plain("New offence (% of cases)")
    'new offence'
    """
    text = re.sub(r"\s*\(%[^)]*\)", "", str(label)).strip()
    return text[:1].lower() + text[1:]


def _short(text: str, summary: str) -> str:
    """``text`` if short enough, else only its ``summary`` (the detail is in the table)."""
    return text if len(text) <= ALT_MAX_CHARS else summary


# --- alt texts ------------------------------------------------------------------------------


def _plural(what: str, n: int) -> str:
    if n == 1:
        return what
    return what[:-1] + "ies" if what.endswith("y") and not what.endswith("ey") else what + "s"


def rating_bars_alt(
    counts: pd.DataFrame,
    labels: list[str],
    scopes: list[str],
    *,
    what: str = "standard",
    scope_of: list[str] | None = None,
) -> str:
    """Alt text for stacked rating bars; ``counts`` has one row per bar, one column per rating.

    With several scopes (a region beside England and Wales, which already contains it), the
    commonest rating is counted within each scope, never across them, so no unit is counted
    twice; ``what`` names a group of bars ("standard", "inspection round", "year").
    """
    n_ratings = int(counts.to_numpy().sum())
    if n_ratings == 0:
        return f"No unit has a rating to show. Stacked bars of ratings by {what}, all empty."
    groups = max(1, len(scopes))
    if groups > 1 and scope_of is not None and len(scope_of) == len(counts):
        parts = []
        for name in scopes:
            total = counts[[s == name for s in scope_of]].sum()
            top = str(total.idxmax())
            parts.append(f"in {name}, {top} ({int(total[top])} of {int(total.sum())})")
        commonest_text = "The most common rating is, " + "; ".join(parts)
    else:
        total = counts.sum()
        top = str(total.idxmax())
        commonest_text = f"{top} is the most common rating ({int(total[top])} of {n_ratings})"
    low = counts.get("Inadequate", 0) + counts.get("Requires improvement", 0)
    share = low / counts.sum(axis=1).replace(0, np.nan)
    worst = int(share.fillna(-1).to_numpy().argmax())
    bars = len(counts)
    finding = (
        f"{commonest_text}; {labels[worst]} has the largest share rated Requires improvement or "
        f"Inadequate ({int(low.iloc[worst])} of {int(counts.iloc[worst].sum())})."
    )
    side = f", {_join(scopes)} side by side" if groups > 1 else ""
    n_groups = bars // groups
    shown = f"Stacked bars of the share of units in each rating band for {n_groups} {_plural(what, n_groups)}{side}."
    detail = "; ".join(
        f"{label} ({int(row.sum())} units): "
        + (", ".join(f"{int(c)} {r}" for r, c in row.items() if c) or "none rated")
        for label, (_, row) in zip(labels, counts.iterrows(), strict=True)
    )
    # long scope names can make even the finding and the chart's shape too long: then the
    # finding alone (the detail is in the table beside the figure)
    return _short(f"{finding} {shown} {detail}.", _short(f"{finding} {shown}", finding))


def heatmap_alt(data, *, row, column, value, n, n_rows: int, n_columns: int) -> str:
    """Alt text for the key-question heatmap: the lowest and highest cell first."""
    flat = data.dropna(subset=[value]).sort_values(value, kind="stable")
    if flat.empty:
        return "No key question had applicable cases, so the heatmap is empty."
    low, high = flat.iloc[0], flat.iloc[-1]
    return (
        f"The lowest cell is {words(low[column])} in {low[row]} ({_pct(low[value])} of "
        f"{int(low[n])} cases answered yes); the highest is {words(high[column])} in "
        f"{high[row]} ({_pct(high[value])} of {int(high[n])} cases). Heatmap of the % of "
        f"applicable cases answered yes, {n_columns} key questions across {n_rows} units."
    )


def band_probabilities_alt(frame, *, unit, flags, likeliest, subject: str | None) -> str:
    """Alt text for band probabilities: how many units are borderline, and the likeliest bands."""
    n_units, n_border = len(frame), int(flags.sum())
    about = f"{subject}: " if subject else ""
    named = _join(str(u) for u, b in zip(frame[unit], flags, strict=True) if b)
    tally = likeliest.value_counts()
    bands = _join(f"{k} for {v}" for k, v in tally.items())
    finding = (
        f"{about}{n_border} of {n_units} units {'is' if n_border == 1 else 'are'} borderline "
        f"(a real chance the true band differs){': ' + named if named else ''}."
    )
    what = (
        f"The likeliest band is {bands}. Stacked bars of the probability of each rating band "
        "per unit."
    )
    return _short(
        f"{finding} {what}", f"{about}{n_border} of {n_units} units are borderline. {what}"
    )


def forest_alt(
    terms, est, lo, hi, *, reference: float, marked, highlight: bool, left_out: int, xlabel: str
) -> str:
    """Alt text for a forest plot: how many intervals clear the reference, and the largest."""
    k = len(terms)
    if k == 0:
        return f"No estimate could be made, so the forest plot is empty ({left_out} left out)."
    clear = (lo > reference) | (hi < reference)
    distance = np.abs(np.log(est / reference)) if reference > 0 else np.abs(est - reference)
    top = int(np.nanargmax(distance))
    if highlight:
        count = (
            f"{int(marked.sum())} of {k} estimates stay clear of {reference:g} after adjustment "
        )
        count += "for multiple comparisons"
    else:
        count = f"{int(clear.sum())} of {k} intervals exclude {reference:g}"
    finding = (
        f"{count}; the furthest from {reference:g} is {words(terms[top])}, {est[top]:.2f} "
        f"({lo[top]:.2f} to {hi[top]:.2f})."
    )
    what = f"Forest plot of {_plain(xlabel)} for {k} estimates, reference line at {reference:g}."
    if highlight:
        what += " Filled markers are clear after adjustment; hollow markers are not."
    if left_out:
        what += f" {left_out} could not be estimated and are not shown."
    return f"{finding} {what}"


def scatter_alt(frame, *, x, y, size, xlabel: str, ylabel: str) -> str:
    """Alt text for a unit scatter: the direction and strength of the relation first."""
    n = len(frame)
    xlabel, ylabel = _plain(xlabel), _plain(ylabel)
    if n >= 3 and frame[x].std() > 0 and frame[y].std() > 0:
        r = float(np.corrcoef(frame[x], frame[y])[0, 1])
        strength = (
            "almost no"
            if abs(r) < 0.1
            else "a weak"
            if abs(r) < 0.3
            else "a moderate"
            if abs(r) < 0.5
            else "a strong"
        )
        direction = "" if abs(r) < 0.1 else (" positive" if r > 0 else " negative")
        finding = (
            f"Across {n} units there is {strength}{direction} linear relation between "
            f"{xlabel} and {ylabel} (correlation r = {r:.2f})."
        )
    else:
        finding = f"Too few units ({n}) to describe a trend between {xlabel} and "
        finding += f"{ylabel}."
    sizes = frame[size] if n else pd.Series([0])
    small, large = int(sizes.min()), int(sizes.max())
    cases = f"each from {small} cases" if small == large else f"sized by cases, {small} to {large}"
    return f"{finding} Scatter of {xlabel} (across) against {ylabel} (up), one point per unit, {cases}."


def band_rates_alt(frame, *, band, est, lo, hi, n, ylabel: str) -> str:
    """Alt text for rates by band: the highest and lowest band first, in percent."""
    if len(frame) == 0:
        return f"No band has cases, so there is nothing to show for {ylabel}."
    order = np.argsort(est)
    top, bottom = int(order[-1]), int(order[0])

    def one(i: int) -> str:
        return f"{frame[band].iloc[i]} band {est[i]:.0f}% (95% interval {lo[i]:.0f}% to {hi[i]:.0f}%, n={int(frame[n].iloc[i])})"

    subject = _plain(ylabel) or "rate"
    subject = subject[:1].upper() + subject[1:]
    finding = f"{subject}: highest in the {one(top)}, lowest in the {one(bottom)}."
    what = f"Points with 95% intervals for {len(frame)} quality bands."
    return f"{finding} {what}"
