"""analysis.report.plots.style: the rating palette, alt text per Axes and the small functions the plots share.

Outside reference: WCAG 2's contrast ratio, written out in tests/report/plots/common.py.
"""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from analysis.frameworks import RATINGS  # noqa: E402
from analysis.report import plots  # noqa: E402
from analysis.report.plots import style  # noqa: E402
from tests.report.plots.common import contrast  # noqa: E402

pytestmark = pytest.mark.usefixtures("no_show_and_close")


def test_rating_colours_stay_distinct_in_greyscale_and_text_is_readable():
    # WCAG contrast between every pair of fills: distinguishable when printed in greyscale
    for a, b in itertools.combinations(RATINGS, 2):
        assert contrast(plots.RATING_COLOURS[a], plots.RATING_COLOURS[b]) >= 1.5, (a, b)
    # labels drawn on each fill meet WCAG AA for normal text
    for rating in RATINGS:
        assert contrast(plots.RATING_COLOURS[rating], plots.RATING_TEXT_COLOURS[rating]) >= 4.5
    assert len(set(plots.RATING_HATCHES.values())) == len(RATINGS)


def test_alt_text_is_kept_per_axes_and_found_from_the_figure():
    figure, (first, second) = plt.subplots(1, 2)
    assert style.alt_text(first) is None and style.alt_text(figure) is None
    style.set_alt_text(second, "The second panel.")
    assert style.alt_text(second) == "The second panel." and style.alt_text(first) is None
    assert style.alt_text(figure) == "The second panel."  # the first Axes that has one


def test_a_figure_is_declared_under_control_only_when_its_plot_function_said_so():
    figure, ax = plt.subplots()
    style.set_alt_text(ax, "Drawn without a word about disclosure.")
    assert not style.drawn_under_control(ax) and not style.drawn_under_control(figure)
    style.set_alt_text(ax, "Every row drawn.", hidden=0)
    assert style.drawn_under_control(ax) and style.drawn_under_control(figure)
    assert style.alt_text(ax) == "Every row drawn." and figure.texts == []


def test_rows_left_undrawn_are_said_in_the_alt_text_and_under_the_figure(monkeypatch):
    monkeypatch.setenv("ANALYSIS_DISCLOSURE_THRESHOLD", "7")
    figure, ax = plt.subplots()
    style.set_alt_text(ax, "Two bars.", hidden=2)
    note = "Cells, bars or points based on fewer than 7 cases (or that would reveal such a count) are not drawn."
    assert style.alt_text(ax) == f"Two bars. {note}"
    assert [t.get_text() for t in figure.texts] == [note]


def test_a_missing_column_is_named_with_the_columns_there():
    with pytest.raises(
        KeyError, match=r"forest needs column\(s\) \['ci_low'\]; the data has \['term'\]"
    ):
        style.require_columns(pd.DataFrame({"term": ["a"]}), ["term", "ci_low"], "forest")
    style.require_columns(pd.DataFrame({"term": ["a"]}), ["term"], "forest")  # no error


def test_labels_and_percentages_in_words():
    assert style.axis_label("implementation_and_delivery") == "Implementation and delivery"
    assert style.pct_text(66.6) == "67%" and style.pct_text(np.nan) == "no data"


def test_new_axes_are_made_only_when_none_is_given():
    made = style.new_axes(None, size=(5, 2))
    assert tuple(made.figure.get_size_inches()) == (5, 2)
    assert style.new_axes(made) is made


def test_legend_handles_carry_each_ratings_colour_hatch_and_name():
    handles = style.rating_handles()
    assert [h.get_label() for h in handles] == list(RATINGS)
    for handle, rating in zip(handles, RATINGS, strict=True):
        assert to_hex(handle.get_facecolor()) == plots.RATING_COLOURS[rating].lower()
        assert handle.get_hatch() == plots.RATING_HATCHES[rating]
