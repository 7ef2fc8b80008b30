"""analysis.synthetic.reliability_study: the rating-probability studies' tables, figures and markdown.

The studies themselves (50 and 20 replications of every scenario) belong to ``make validate``;
here one replication of one scenario at one sample size, and tables made by hand.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.exceptions import ParameterError  # noqa: E402
from analysis.synthetic.reliability_study import (  # noqa: E402
    CalibrationStudy,
    plot_reliability,
    reliability_figure,
    run_calibration_study,
    run_rating_validation,
    summary_markdown,
    validation_markdown,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _summary(**changes) -> pd.DataFrame:
    row = {
        "scenario": "equal", "n_cases": 20, "method": "pooled_cases", "share_right": 0.61234,
        "mean_p": 0.6, "calibration_error": 0.0456, "brier": 0.5, "share_not_borderline": 0.25,
        "right_when_not_borderline": 0.9, "se_right_when_not_borderline": 0.031,
        "promise_kept": True,
    }  # fmt: skip
    return pd.DataFrame([{**row, **changes}])


def _reliability() -> pd.DataFrame:
    rows = [
        ("equal", "pooled", 0.15, 0.2),
        ("equal", "pooled", 0.85, 0.8),
        ("equal", "independent", 0.95, 0.55),
        ("shared", "pooled", 0.5, 0.5),
    ]
    return pd.DataFrame(rows, columns=["scenario", "method", "mean_p", "share_right"])


def test_summary_markdown_names_methods_in_words_and_marks_a_broken_promise():
    lines = summary_markdown(_summary()).splitlines()
    assert lines[0].startswith("| scenario | cases | method | share right |")
    assert lines[2] == (
        "| equal | 20 | pooled, case-level | 0.612 | 0.600 | 0.046 | 0.500 | 0.250 | "
        "0.900 (0.031) | yes |"
    )
    broken = summary_markdown(_summary(method="bayes", promise_kept=False)).splitlines()[2]
    assert broken.startswith("| equal | 20 | bayes |") and broken.endswith("| **no** |")
    study = CalibrationStudy(_summary(), _reliability(), {})
    assert study.markdown() == summary_markdown(_summary())


def test_validation_markdown_gives_the_settings_and_a_dash_where_nothing_was_confident():
    table = pd.DataFrame(
        [{"level": "overall", "scenario": "published", "n_cases": 40, "method": "joint",
          "subset": "near I/RI", "n_ratings": 96, "calibration_error": 0.1006,
          "calibration_noise": 0.0414, "share_not_borderline": 0.0, "right_when_not_borderline": np.nan,
          "se_right_when_not_borderline": np.nan, "promise_kept": True}]
    )  # fmt: skip
    table.attrs["settings"] = {"replications": 3, "seed": 11, "seconds": 2.5}
    lines = validation_markdown(table).splitlines()
    assert lines[0] == (
        "Rating probabilities: 3 replications of 100 units per cell (12 units for "
        "better_region), seed 11, 2.5 s."
    )
    assert (
        lines[-1]
        == "| overall | published | 40 | joint | near I/RI | 96 | 0.101 (0.041) | 0.000 | - | yes |"
    )


def test_a_reliability_diagram_draws_the_diagonal_and_one_line_per_method():
    ax = plot_reliability(_reliability().query("scenario == 'equal'"), title="equal")
    labels = [line.get_label() for line in ax.lines]
    assert labels == ["calibrated", "independent (previous)", "pooled"]  # the fixed order
    diagonal, independent, pooled = ax.lines
    assert list(diagonal.get_xdata()) == [0, 1] and list(diagonal.get_ydata()) == [0, 1]
    assert list(pooled.get_xdata()) == [0.15, 0.85] and list(pooled.get_ydata()) == [0.2, 0.8]
    assert list(independent.get_ydata()) == [0.55]
    assert ax.get_title() == "equal" and ax.get_xlim() == (0, 1)


def test_the_figure_has_one_panel_per_scenario_in_order():
    figure = reliability_figure(_reliability())
    assert [ax.get_title() for ax in figure.axes] == ["equal", "shared"]
    assert figure.axes[0].get_legend() is not None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"replications": 0}, "replications must be 1 or more, got 0"),
        (
            {"replications": 1, "scenarios": ("equal", "nowhere")},
            r"Unknown scenario\(s\) \['nowhere'\]",
        ),
    ],
)
def test_the_calibration_study_refuses_before_it_simulates(kwargs, message):
    with pytest.raises(ParameterError, match=message):
        run_calibration_study(**kwargs)


def test_the_validation_table_covers_standards_and_overall_ratings_and_is_written(tmp_path):
    table = run_rating_validation(
        1,
        tmp_path / "validation",
        sample_sizes=(20,),
        standard_scenarios=("equal",),
        overall_scenarios=("published",),
        draws=64,
    )
    assert list(table.columns) == [
        "level", "scenario", "n_cases", "method", "subset", "n_ratings", "calibration_error",
        "calibration_noise", "share_not_borderline", "right_when_not_borderline", "se_right_when_not_borderline",
        "promise_kept",
    ]  # fmt: skip
    standard = table[table["level"] == "standard"]
    whole = standard[standard["subset"] == "all"]
    assert whole["method"].tolist() == ["independent", "pooled"]
    assert set(standard["scenario"]) == {"equal"}
    assert (whole["n_ratings"] == 100 * 4).all()  # 100 units, four standards
    # every unit is truly at 55%, 5 points from any edge; by estimate some are near 50 or 65
    assert set(standard["subset"]) - {"all"} <= {"estimate near 50", "estimate near 65"}
    assert len(set(standard["subset"])) > 1
    overall = table[(table["level"] == "overall") & (table["subset"] == "all")]
    assert overall["method"].tolist() == ["independent", "pooled", "joint"]
    assert (overall["n_ratings"] == 100).all()
    assert table.attrs["settings"]["replications"] == 1
    written = pd.read_csv(tmp_path / "validation" / "rating_validation.csv")
    assert len(written) == len(table)
    markdown = (tmp_path / "validation" / "rating_validation.md").read_text(encoding="utf-8")
    assert markdown == validation_markdown(table)
    with pytest.raises(ParameterError, match="replications must be 1 or more"):
        run_rating_validation(0)
