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
    # how the plots draw: in a synthetic run (a real run's suppression is tested below)
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "synthetic")
    yield
    plt.close("all")


def test_a_real_runs_heatmap_draws_no_small_cell_and_says_so(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    data = _kq().assign(n_applicable=[20, 20, 3, 0], pct_yes=[70.0, 25.0, 66.7, np.nan])
    ax = plots.kq_heatmap(data)
    texts = [t.get_text() for t in ax.texts]
    assert not any("n=3" in t or "67%" in t for t in texts), texts
    # York's engagement goes with Leeds's (the only other PDU); its keeping-safe cell stays
    assert texts == ["–", "25%\nn=20", "–", "–"]
    assert "not drawn" in plots.alt_text(ax)
    assert plots.drawn_under_control(ax)
    assert any("not drawn" in t.get_text() for t in ax.figure.texts)


def test_a_real_runs_band_rates_hide_a_band_with_few_events(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    data = pd.DataFrame(
        {"band": ["Good", "Inadequate"], "n": [40, 30], "events": [20, 3], "rate": [50.0, 10.0],
         "ci_low": [35.0, 3.0], "ci_high": [65.0, 26.0]}
    )  # fmt: skip
    ax = plots.band_rates(data)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["Good\nn=40", "Inadequate\nn=[c]"]


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
    # the finding first, counted independently from the data
    # counted within each scope (a region is part of the national bar: never added to it)
    parts = []
    for scope in ("Region", "National"):
        counts = data.loc[data["scope"] == scope, "rating"].astype(str).value_counts()
        counts = counts.reindex(list(RATINGS), fill_value=0)
        parts.append(f"in {scope}, {counts.idxmax()} ({counts.max()} of {counts.sum()})")
    assert alt.startswith("The most common rating is, " + "; ".join(parts) + ";")
    assert "Region and National side by side" in alt and len(alt) <= 400
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
    assert alt.startswith(
        "The lowest cell is Assessment: keeping safe in York (25% of 20 cases answered yes)"
    )
    assert "the highest is Assessment: engagement in Leeds (80% of 18 cases)" in alt


def test_kq_heatmap_cell_labels_meet_wcag_aa_contrast_against_their_cell():
    from matplotlib.colors import to_hex

    # every whole percentage, so the whole colour map is checked
    data = pd.DataFrame(
        {
            "pdu": [f"U{i // 10}" for i in range(101)],
            "key_question": [f"kq{i % 10}" for i in range(101)],
            "pct_yes": np.arange(101, dtype=float),
            "n_applicable": 20,
        }
    )
    ax = plots.kq_heatmap(data)
    image = ax.get_images()[0]
    checked = 0
    for text in ax.texts:
        x, y = (int(round(v)) for v in text.get_position())
        value = image.get_array()[y, x]
        if np.ma.is_masked(value):
            continue
        cell = to_hex(image.cmap(image.norm(value)))
        assert _contrast(cell, to_hex(text.get_color())) >= 4.5, (value, cell, text.get_color())
        checked += 1
    assert checked == 101


def test_band_probabilities_marks_borderline_units():
    ax = plots.band_probabilities(_probabilities())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["York", "Leeds (borderline)", "Hull (borderline)"]
    totals = np.sum([[bar.get_width() for bar in c] for c in ax.containers], axis=0)
    assert totals == pytest.approx([100, 100, 100])
    alt = plots.alt_text(ax)
    assert alt.startswith("2 of 3 units are borderline") and "Leeds and Hull" in alt
    # one standard per chart: the alt text names it, so charts on one page differ
    first = plots.band_probabilities(_probabilities().assign(standard="assessment"))
    second = plots.band_probabilities(_probabilities().assign(standard="planning"))
    assert plots.alt_text(first).startswith("Assessment: 2 of 3 units are borderline")
    assert plots.alt_text(first) != plots.alt_text(second)


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


def test_a_real_runs_other_plots_leave_out_rows_with_small_counts(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    units = pd.DataFrame(
        {"pdu": ["York", "Leeds", "Hull"], "pct_yes": [70.0, 66.7, 40.0],
         "outcome_rate": [30.0, 33.3, 50.0], "n": [20, 3, 30]}
    )  # fmt: skip
    ax = plots.outcome_scatter(units)
    assert len(ax.collections[0].get_offsets()) == 1  # Leeds (3), and York beside it, not drawn
    assert "not drawn" in plots.alt_text(ax)
    factors = pd.DataFrame(
        {"term": ["x", "y"], "a": [10, 2], "b": [10, 20], "c": [10, 20], "d": [10, 20],
         "odds_ratio": [1.0, 0.1], "ci_low": [0.5, 0.02], "ci_high": [2.0, 0.9]}
    )  # fmt: skip
    ax = plots.forest(factors)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["X"]  # y's a = 2: not drawn
    ax = plots.band_probabilities(_probabilities().assign(n_cases=[20, 2, 30]))
    assert "not drawn" in plots.alt_text(ax)


def test_a_real_runs_rating_bars_draw_every_rating_and_do_not_claim_otherwise(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    data = pd.DataFrame(
        {"pdu": ["A", "B", "C"], "standard": ["assessment"] * 3,
         "rating": ["Good", "Inadequate", "Good"], "n_applicable": [20, 3, 25]}
    )  # fmt: skip
    ax = plots.rating_bars(data)
    # ratings are kept (they give no count by themselves): B's is drawn, and nothing is said
    # to be left out, while the figure is still declared drawn under disclosure control
    assert sum(p.get_width() > 0 for p in ax.patches) == 2  # a Good and an Inadequate segment
    assert "not drawn" not in plots.alt_text(ax)
    assert plots.drawn_under_control(ax)
