"""Tests for analysis.report.plots: seaborn-style signatures, what is drawn, alt text, the palette."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from scipy import stats as scipy_stats  # noqa: E402

from analysis.frameworks import RATINGS  # noqa: E402
from analysis.report import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _no_show_and_close(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("plot functions must never show or save")

    monkeypatch.setattr(plt, "show", refuse)
    monkeypatch.setattr(plt, "savefig", refuse)
    yield
    plt.close("all")


def _ratings():
    return pd.DataFrame(
        {
            "scope": ["Region"] * 4 + ["National"] * 6,
            "standard": ["assessment", "assessment", "planning", "planning"]
            + ["assessment"] * 3
            + ["planning"] * 3,
            "rating": [
                "Inadequate",
                "Good",
                "Inadequate",
                "Inadequate",
                "Inadequate",
                "Requires improvement",
                "Requires improvement",
                "Good",
                "Outstanding",
                "Inadequate",
            ],
        }
    )


def _kq():
    return pd.DataFrame(
        {
            "pdu": ["York", "York", "Leeds", "Leeds"],
            "key_question": ["assessment_engagement", "assessment_keeping_safe"] * 2,
            "pct_yes": [70.0, 25.0, 80.0, np.nan],
            "n_applicable": [20, 20, 18, 0],
        }
    )


def _probabilities():
    return pd.DataFrame(
        {
            "pdu": ["York", "Leeds", "Hull"],
            "rating": ["Inadequate", "Good", "Requires improvement"],
            "p_outstanding": [0.0, 0.1, 0.05],
            "p_good": [0.02, 0.6, 0.25],
            "p_requires_improvement": [0.08, 0.25, 0.5],
            "p_inadequate": [0.9, 0.05, 0.2],
            "borderline": pd.array([False, True, True], dtype="boolean"),
        }
    )


def test_rating_bars_draws_shares_from_a_crosstab_on_the_given_axes():
    data = _ratings()
    fig, ax = plt.subplots()
    assert plots.rating_bars(data, scope="scope", ax=ax) is ax
    assert plt.get_fignums() == [fig.number]
    # outside reference: pandas.crosstab normalised by row, in the plotted order
    expected = pd.crosstab([data["standard"], data["scope"]], data["rating"], normalize="index")
    expected = expected.reindex(columns=list(RATINGS), fill_value=0) * 100
    for rating, container in zip(RATINGS, ax.containers, strict=True):
        widths = [bar.get_width() for bar in container]
        order = [
            ("assessment", "Region"),
            ("assessment", "National"),
            ("planning", "Region"),
            ("planning", "National"),
        ]
        assert widths == pytest.approx([expected.loc[key, rating] for key in order])
    alt = plots.alt_text(ax)
    assert "Assessment – Region (2 units): 1 Good, 1 Inadequate" in alt
    assert "Planning – National (3 units): 1 Outstanding, 1 Good, 1 Inadequate" in alt
    # words beside colour: a legend naming every rating, and hatching on all but one
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(RATINGS)


def test_kq_heatmap_values_and_annotations_include_n():
    ax = plots.kq_heatmap(_kq())
    image = ax.get_images()[0].get_array()
    assert image[0, 0] == 70 and image[0, 1] == 25 and image[1, 0] == 80
    assert np.ma.is_masked(image[1, 1]) or np.isnan(image[1, 1])
    texts = [t.get_text() for t in ax.texts]
    assert "25%\nn=20" in texts and "–" in texts
    alt = plots.alt_text(ax)
    assert "Lowest: Assessment keeping safe in York, 25% of 20 cases" in alt
    assert "highest: Assessment engagement in Leeds, 80% of 18 cases" in alt


def test_band_probabilities_marks_borderline_units():
    ax = plots.band_probabilities(_probabilities())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["York", "Leeds (borderline)", "Hull (borderline)"]
    totals = np.sum([[bar.get_width() for bar in c] for c in ax.containers], axis=0)
    assert totals == pytest.approx([100, 100, 100])
    assert "2 are borderline" in plots.alt_text(ax) and "Leeds, Hull" in plots.alt_text(ax)


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
    assert "Assessment keeping safe 0.80 (0.70 to 0.92)" in plots.alt_text(ax)


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
    assert "Filled markers (1)" in alt and "hollow markers (1)" in alt
    assert "1 could not be estimated" in alt


def test_outcome_scatter_alt_text_reports_pearson_r_from_scipy():
    rng = np.random.default_rng(5)
    data = pd.DataFrame({"pct_yes": rng.uniform(20, 90, 30), "n": rng.integers(5, 30, 30)})
    data["outcome_rate"] = 60 - 0.3 * data["pct_yes"] + rng.normal(0, 5, 30)
    ax = plots.outcome_scatter(data)
    r = scipy_stats.pearsonr(data["pct_yes"], data["outcome_rate"]).statistic
    assert f"correlation r = {r:.2f}" in plots.alt_text(ax)
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
    assert "Good: 30 (22 to 39), n=120" in plots.alt_text(ax)


def test_missing_column_names_the_column():
    with pytest.raises(KeyError, match="pct_yes"):
        plots.kq_heatmap(_kq().drop(columns="pct_yes"))


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance."""
    rgb = np.array(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_rating_colours_stay_distinct_in_greyscale_and_text_is_readable():
    # WCAG contrast between every pair of fills: distinguishable when printed in greyscale
    for a, b in itertools.combinations(RATINGS, 2):
        assert _contrast(plots.RATING_COLOURS[a], plots.RATING_COLOURS[b]) >= 1.5, (a, b)
    # labels drawn on each fill meet WCAG AA for normal text
    for rating in RATINGS:
        assert _contrast(plots.RATING_COLOURS[rating], plots.RATING_TEXT_COLOURS[rating]) >= 4.5
    assert len(set(plots.RATING_HATCHES.values())) == len(RATINGS)
