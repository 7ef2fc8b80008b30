"""analysis.report.plots.associations: forest plots, the outcome scatter, outcome rates by band.

Outside references: scipy's Pearson correlation for the scatter's alt text and counts made here
from the data.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from scipy import stats as scipy_stats  # noqa: E402

from analysis.report import plots  # noqa: E402
from analysis.report.plots.associations import log_ticks  # noqa: E402

pytestmark = pytest.mark.usefixtures("no_show_and_close")


def test_a_real_runs_band_rates_hide_a_band_with_few_events(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    data = pd.DataFrame(
        {"band": ["Good", "Inadequate"], "n": [40, 30], "events": [20, 3], "rate": [50.0, 10.0],
         "ci_low": [35.0, 3.0], "ci_high": [65.0, 26.0]}
    )  # fmt: skip
    ax = plots.band_rates(data)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Good\nn=40", "Inadequate\nn=[c]"]


def test_forest_plots_estimates_on_a_log_axis_with_reference_line():
    data = pd.DataFrame(
        {
            "term": ["assessment_keeping_safe", "planning_desistance"],
            "odds_ratio": [0.8, 1.1],
            "ci_low": [0.7, 0.9],
            "ci_high": [0.92, 1.3],
        }
    )
    ax = plots.forest(data)
    assert ax.get_xscale() == "log"
    assert [line.get_xdata()[0] for line in ax.lines if line.get_linestyle() == "--"] == [1.0]
    alt = plots.alt_text(ax)
    assert alt.startswith("1 of 2 intervals exclude 1; the furthest from 1 is ")
    assert "Assessment: keeping safe, 0.80 (0.70 to 0.92)" in alt


def test_forest_alt_text_stays_short_with_many_rows():
    rng = np.random.default_rng(3)
    est = np.exp(rng.normal(0, 0.5, 25))
    data = pd.DataFrame(
        {
            "term": [f"implementation_and_delivery_keeping_safe_{i}" for i in range(25)],
            "odds_ratio": est,
            "ci_low": est / 1.5,
            "ci_high": est * 1.5,
        }
    )
    alt = plots.alt_text(plots.forest(data))
    assert len(alt) <= 400
    # the count of intervals that exclude 1, checked against the data
    excluding = int(((data["ci_low"] > 1) | (data["ci_high"] < 1)).sum())
    assert alt.startswith(f"{excluding} of 25 intervals exclude 1;")


def test_forest_marks_terms_that_survive_multiplicity_adjustment():
    data = pd.DataFrame(
        {
            "term": ["a", "b", "c"],
            "odds_ratio": [0.8, 1.1, np.nan],
            "ci_low": [0.7, 0.9, np.nan],
            "ci_high": [0.92, 1.3, np.nan],
            "clear": [True, False, False],
        }
    )
    ax = plots.forest(data, highlight="clear")
    filled, hollow = (line for line in ax.lines if line.get_marker() == "s")
    assert list(filled.get_xdata()) == [0.8] and list(hollow.get_xdata()) == [1.1]
    assert hollow.get_markerfacecolor() in ("white", (1.0, 1.0, 1.0, 1.0))
    alt = plots.alt_text(ax)
    assert alt.startswith("1 of 2 estimates stay clear of 1 after adjustment")
    assert "hollow markers are not" in alt
    assert "1 could not be estimated" in alt


def test_outcome_scatter_alt_text_reports_pearson_r_from_scipy():
    rng = np.random.default_rng(5)
    data = pd.DataFrame({"pct_yes": rng.uniform(20, 90, 30), "n": rng.integers(5, 30, 30)})
    data["outcome_rate"] = 60 - 0.3 * data["pct_yes"] + rng.normal(0, 5, 30)
    ax = plots.outcome_scatter(data)
    r = scipy_stats.pearsonr(data["pct_yes"], data["outcome_rate"]).statistic
    alt = plots.alt_text(ax)
    assert f"correlation r = {r:.2f}" in alt
    assert alt.startswith("Across 30 units there is a strong negative linear relation")
    sizes = ax.collections[0].get_sizes()
    assert sizes.argmax() == data["n"].to_numpy().argmax()


def test_band_rates_labels_each_band_with_n():
    data = pd.DataFrame(
        {
            "band": ["Good", "Inadequate"],
            "rate": [30.0, 45.0],
            "ci_low": [22.0, 38.0],
            "ci_high": [39.0, 52.0],
            "n": [120, 200],
        }
    )
    ax = plots.band_rates(data)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Good\nn=120", "Inadequate\nn=200"]
    alt = plots.band_rates(data, ylabel="A new offence (% of cases)")
    assert plots.alt_text(alt).startswith(
        "A new offence: highest in the Inadequate band 45% (95% interval 38% to 52%, n=200), "
        "lowest in the Good band 30% (95% interval 22% to 39%, n=120)."
    )


@pytest.mark.parametrize("low,high", [(0.6, 0.93), (0.87, 0.91), (0.2, 5.0), (0.98, 1.02)])
def test_log_axis_has_at_least_three_labelled_ticks_inside_the_data(low, high):
    ticks = log_ticks(low, high)
    assert len(ticks) >= 3
    assert all(low / 1.15 <= t <= high * 1.15 for t in ticks)


def test_forest_plot_of_a_narrow_range_labels_three_ticks():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.report import plots

    frame = pd.DataFrame(
        {
            "term": ["a", "b", "c"],
            "odds_ratio": [0.7, 0.8, 0.85],
            "ci_low": [0.6, 0.7, 0.78],
            "ci_high": [0.82, 0.93, 0.92],
        }
    )
    ax = plots.forest(frame, label="term")
    ax.figure.canvas.draw()
    low, high = ax.get_xlim()
    shown = [t for t in ax.get_xticks() if low <= t <= high]
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert len(shown) >= 3 and len(labels) >= 3
    plt.close(ax.figure)
