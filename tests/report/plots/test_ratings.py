"""analysis.report.plots.ratings: stacked rating bars, the key-question heatmap, band probabilities.

Outside references: pandas.crosstab for the bar shares, counts made here from the data for the
alt texts, and WCAG 2's contrast ratio (tests/report/plots/common.py) for the cell labels.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.frameworks import RATINGS  # noqa: E402
from analysis.report import plots  # noqa: E402
from tests.report.plots.common import contrast, probabilities  # noqa: E402

pytestmark = pytest.mark.usefixtures("no_show_and_close")


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
        assert contrast(cell, to_hex(text.get_color())) >= 4.5, (value, cell, text.get_color())
        checked += 1
    assert checked == 101


def test_band_probabilities_marks_borderline_units():
    ax = plots.band_probabilities(probabilities())
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["York", "Leeds (borderline)", "Hull (borderline)"]
    totals = np.sum([[bar.get_width() for bar in c] for c in ax.containers], axis=0)
    assert totals == pytest.approx([100, 100, 100])
    alt = plots.alt_text(ax)
    assert alt.startswith("2 of 3 units are borderline") and "Leeds and Hull" in alt
    # one standard per chart: the alt text names it, so charts on one page differ
    first = plots.band_probabilities(probabilities().assign(standard="assessment"))
    second = plots.band_probabilities(probabilities().assign(standard="planning"))
    assert plots.alt_text(first).startswith("Assessment: 2 of 3 units are borderline")
    assert plots.alt_text(first) != plots.alt_text(second)


def test_missing_column_names_the_column():
    with pytest.raises(KeyError, match="pct_yes"):
        plots.kq_heatmap(_kq().drop(columns="pct_yes"))


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
