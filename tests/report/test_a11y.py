"""analysis.report._a11y: alt texts that state a chart's finding, and readable text colours.

Outside references: WCAG 2's relative luminance and the contrast ratios WebAIM publishes
(#767676 on white 4.54:1, #777777 4.48:1), scipy's Pearson correlation; the alt texts are
written out by hand from the small inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.report import _a11y


def test_alt_text_counts_each_scope_apart_and_names_what_the_bars_are():
    counts = pd.DataFrame(
        [
            {"Outstanding": 0, "Good": 0, "Requires improvement": 3, "Inadequate": 7},
            {"Outstanding": 0, "Good": 1, "Requires improvement": 40, "Inadequate": 37},
        ]
    )
    text = _a11y.rating_bars_alt(
        counts,
        ["round A – Wales", "round A – England and Wales"],
        ["Wales", "England and Wales"],
        what="inspection round",
        scope_of=["Wales", "England and Wales"],
    )
    assert "in Wales, Inadequate (7 of 10)" in text
    assert "in England and Wales, Requires improvement (40 of 78)" in text
    assert "of 88" not in text  # the region is not added to England and Wales again
    assert "1 inspection round, Wales and England and Wales side by side" in text
    assert "standard" not in text


def test_alt_text_of_many_long_scopes_stays_within_the_limit_and_keeps_the_finding():
    rows = [{"Outstanding": 0, "Good": 2, "Requires improvement": 9, "Inadequate": 11}] * 4
    scopes = ["Yorkshire and the Humber", "England and Wales (all regions)"]
    labels = [f"inspection round {r} – {s}" for r in ("2021–2023", "2023 onwards") for s in scopes]
    text = _a11y.rating_bars_alt(
        pd.DataFrame(rows),
        labels,
        scopes,
        what="inspection round",
        scope_of=[s for _ in range(2) for s in scopes],
    )
    assert len(text) <= _a11y.ALT_MAX_CHARS
    assert text.startswith("The most common rating is, in Yorkshire and the Humber, Inadequate")


def test_contrast_ratios_are_wcags():
    assert _a11y.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.005)
    assert _a11y.contrast_ratio("#ffffff", "#777777") == pytest.approx(4.48, abs=0.005)
    assert _a11y.relative_luminance("white") == pytest.approx(1.0)
    assert _a11y.relative_luminance((0, 0, 0)) == 0.0


def test_text_on_a_fill_is_whichever_of_black_and_white_reads_better():
    assert _a11y.text_colour_on("#0072B2") == "#ffffff"  # 5.25:1 against 4.0:1 for black
    assert _a11y.text_colour_on("#F0E442") == "#000000"
    assert _a11y.words("planning_keeping_safe") == "Planning: keeping safe"


def _rating_counts(rows):
    return pd.DataFrame(rows, columns=["Outstanding", "Good", "Requires improvement", "Inadequate"])


def test_rating_bars_alt_gives_the_finding_the_chart_and_the_counts():
    counts = _rating_counts([[0, 1, 0, 2], [0, 0, 2, 1]])
    assert _a11y.rating_bars_alt(counts, ["Assessment", "Planning"], []) == (
        "Inadequate is the most common rating (3 of 6); Planning has the largest share rated "
        "Requires improvement or Inadequate (3 of 3). Stacked bars of the share of units in each "
        "rating band for 2 standards. Assessment (3 units): 1 Good, 2 Inadequate; Planning "
        "(3 units): 2 Requires improvement, 1 Inadequate."
    )
    assert _a11y.rating_bars_alt(_rating_counts([[0, 0, 0, 0]]), ["A"], [], what="year") == (
        "No unit has a rating to show. Stacked bars of ratings by year, all empty."
    )


def test_heatmap_alt_names_the_lowest_and_highest_cells_first():
    data = pd.DataFrame(
        {"pdu": ["A", "B", "A"], "key_question": ["planning_desistance"] * 2 + ["reviewing_engagement"],
         "pct_yes": [40.0, 40.0, 90.0], "n_applicable": [10, 12, 9]}
    )  # fmt: skip
    shape = {"row": "pdu", "column": "key_question", "value": "pct_yes", "n": "n_applicable"}
    assert _a11y.heatmap_alt(data, **shape, n_rows=2, n_columns=2) == (
        "The lowest cell is Planning: desistance in A (40% of 10 cases answered yes); the highest "
        "is Reviewing: engagement in A (90% of 9 cases). Heatmap of the % of applicable cases "
        "answered yes, 2 key questions across 2 units."
    )
    empty = data.assign(pct_yes=np.nan)
    assert _a11y.heatmap_alt(empty, **shape, n_rows=2, n_columns=2) == (
        "No key question had applicable cases, so the heatmap is empty."
    )


def test_band_probabilities_alt_counts_borderline_units_and_the_likeliest_bands():
    frame = pd.DataFrame({"pdu": ["York", "Leeds", "Hull"]})
    flags = pd.Series([False, True, False])
    likeliest = pd.Series(["Inadequate", "Good", "Inadequate"])
    assert _a11y.band_probabilities_alt(
        frame, unit="pdu", flags=flags, likeliest=likeliest, subject=None
    ) == (
        "1 of 3 units is borderline (a real chance the true band differs): Leeds. The likeliest "
        "band is Inadequate for 2 and Good for 1. Stacked bars of the probability of each rating "
        "band per unit."
    )


def test_forest_alt_counts_intervals_clear_of_the_reference_and_those_left_out():
    text = _a11y.forest_alt(
        ["a_b", "c"], np.array([0.5, 1.2]), np.array([0.3, 0.9]), np.array([0.8, 1.6]),
        reference=1.0, marked=np.array([True, False]), highlight=False, left_out=1,
        xlabel="Odds ratio (95% interval)",
    )  # fmt: skip
    assert text == (
        "1 of 2 intervals exclude 1; the furthest from 1 is A b, 0.50 (0.30 to 0.80). Forest plot "
        "of odds ratio (95% interval) for 2 estimates, reference line at 1. 1 could not be "
        "estimated and are not shown."
    )
    nothing = _a11y.forest_alt(
        [], np.array([]), np.array([]), np.array([]), reference=1.0, marked=np.array([]),
        highlight=False, left_out=2, xlabel="x",
    )  # fmt: skip
    assert nothing == "No estimate could be made, so the forest plot is empty (2 left out)."


def test_scatter_alt_gives_the_direction_and_strength_of_the_relation():
    frame = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "y": [2.0, 4.0, 6.5, 7.0], "n": [5, 20, 8, 9]})
    r = stats.pearsonr(frame["x"], frame["y"]).statistic
    text = _a11y.scatter_alt(
        frame, x="x", y="y", size="n", xlabel="Key question (% yes)", ylabel="Outcome rate (%)"
    )
    assert text == (
        f"Across 4 units there is a strong positive linear relation between key question and "
        f"outcome rate (correlation r = {r:.2f}). Scatter of key question (across) against "
        "outcome rate (up), one point per unit, sized by cases, 5 to 20."
    )
    two = _a11y.scatter_alt(
        frame.head(2).assign(n=10), x="x", y="y", size="n", xlabel="X", ylabel="Y"
    )
    assert two == (
        "Too few units (2) to describe a trend between x and y. Scatter of x (across) against y "
        "(up), one point per unit, each from 10 cases."
    )


def test_band_rates_alt_without_bands():
    empty = pd.DataFrame({"band": [], "n": []})
    text = _a11y.band_rates_alt(
        empty, band="band", est=np.array([]), lo=np.array([]), hi=np.array([]), n="n", ylabel="Rate"
    )
    assert text == "No band has cases, so there is nothing to show for Rate."
