"""The finding first: main points on top, tables that fit, one failed-cell number, plain times."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import report
from analysis.exceptions import InputDataError
from analysis.report import summaries
from analysis.report._tables import reader_layout
from analysis.report.plots.associations import log_ticks
from analysis.runs.index import render_index
from analysis.runs.spec import RunManifest

POINTS = [
    "In Wales, a new offence was 25.5 percentage points less common in high- than in "
    "inadequate-quality cases (95% interval 20.1 to 30.9).",
    "Second point, with its number: 3 of 12.",
    "Third point.",
]


def _out(bundle_and_meta):
    bundle, metadata = bundle_and_meta
    return new_output("display_data", data=bundle, metadata=metadata)


def _points_bundle(points):
    items = report.display.check_main_points(points)
    return ({"text/plain": "\n".join(items)}, {"analysis/main_points": items})


def _notebook(*, error=False):
    cells = [
        new_markdown_cell("# Practice quality and outcomes\n\nIntro."),
        new_code_cell("region = None", metadata={"tags": ["parameters"]}),
        new_code_cell("region = 'Wales'", metadata={"tags": ["injected-parameters"]}),
        new_markdown_cell("## First section\n\nText.\n\n### A detail"),
        new_code_cell("x", outputs=[_out(({"text/html": "<p>n</p>"}, {"analysis/note": "n"}))]),
        new_markdown_cell("## Second section"),
        new_code_cell("y", outputs=[_out(_points_bundle(POINTS))]),
    ]
    if error:
        cells.insert(
            6,
            new_markdown_cell(
                '<span style="color:red">An Exception was encountered at '
                "<a href='#papermill-error-cell'>In [14]</a>.</span>",
                metadata={"tags": ["papermill-error-cell-tag"]},
            ),
        )
        cells.append(
            new_code_cell(
                "z",
                outputs=[
                    new_output(
                        "error",
                        ename="ValueError",
                        evalue="no cases for 'Walse'\nsecond line",
                        traceback=["\x1b[31mValueError\x1b[0m"],
                    )
                ],
            )
        )
    return new_notebook(cells=cells)


PROVENANCE = {
    "notebook": "02-quality-outcome-associations",
    "region": "Wales",
    "parameters": {"region": None, "framework": "pdu-2023"},
    "started": "2026-12-01T18:35:02.101Z",
    "finished": "2026-12-01T18:36:22.493Z",
    "status": "ok",
}


def test_main_points_open_the_page_whatever_cell_shows_them():
    html = report.render_html(_notebook(), provenance=PROVENANCE)
    top = html.index('id="main-points"')
    assert top < html.index('id="contents-heading"') < html.index('id="first-section"')
    listed = re.findall(r"<li>([^<]+)</li>", html[top : html.index("</section>", top)])
    assert listed == POINTS
    assert html.count(POINTS[1]) == 1  # shown once, at the top


def test_contents_number_only_sections_and_times_read_as_words():
    html = report.render_html(_notebook(), provenance=PROVENANCE)
    nav = html[html.index('<h2 id="contents-heading"') : html.index("</nav>")]
    top_level = re.findall(
        r"^<li><a href=\"#([^\"]+)\"", re.sub(r"<ul>.*?</ul>", "", nav, flags=re.S), re.M
    )
    assert top_level == ["main-points", "first-section", "second-section", "about-this-report"]
    assert '<ul>\n<li><a href="#a-detail">A detail</a></li>\n</ul>' in nav
    assert "1 December 2026, 18:36 UTC" in html
    assert "2026-12-01T18:36" not in html
    assert "None" not in html
    assert "national (all regions)" in html


def test_a_failed_cell_has_one_number_and_no_papermill_text():
    nb = _notebook(error=True)
    html = report.render_html(nb, provenance={**PROVENANCE, "status": "failed"})
    # as written (no injected parameters, no papermill markers): the 7th cell
    assert "Cell 7 of the notebook stopped with ValueError: no cases for 'Walse'" in html
    assert "at cell 7 of the notebook" in html
    assert "In [14]" not in html and "An Exception was encountered" not in html
    assert "second line" not in html and "\x1b[" not in html


def test_index_card_shows_the_first_main_point_and_a_human_time():
    html = render_index(
        [
            RunManifest(
                region_slug="wales",
                region="Wales",
                notebook_stem="02",
                status="ok",
                headline=POINTS[0],
                finished="2026-12-01T18:36:22.493Z",
            )
        ],
        generated="now",
    )
    assert POINTS[0] in html
    assert "run 1 December 2026, 18:36 UTC" in html


@pytest.mark.parametrize(
    "points,message",
    [
        (["One."] * 6, "at most 5 main points"),
        (["x" * 251], "251 characters; expected about 200 and at most 250"),
        (["The new_offence rate fell."], "machine name 'new_offence'"),
    ],
)
def test_main_points_refuse_long_many_or_machine_words(points, message):
    with pytest.raises(InputDataError, match=message):
        report.display.check_main_points(points)


def test_table_layout_moves_constants_merges_intervals_and_numbers_notes():
    warning = "few PDUs (6 < 30): intervals use the CR3 covariance and t with 5 df; " * 3
    frame = pd.DataFrame(
        {
            "term": ["assessment_desistance", "planning_keeping_safe", "reviewing_desistance"],
            "n": [4657, 980, 12],
            "events": [1200, 300, 4],
            "odds_ratio": [0.8123, 1.5, 12.25],
            "ci_low": [0.7, 1.01, 3.0],
            "ci_high": [0.92, 2.31, 40.0],
            "p_adjusted": [0.0004, 0.04, 0.5],
            "adjustment": ["holm"] * 3,
            "warning": [warning, warning, ""],
            "source": ["synthetic"] * 3,
        }
    )
    layout = reader_layout(frame, "Odds ratios", "term")
    shown = layout.frame
    assert list(shown.columns) == [
        "term",
        "odds_ratio",
        "interval",
        "p_adjusted",
        "n",
        "events",
        "warning",
    ]
    assert layout.constants == ["Adjustment: Holm", "Data source: Synthetic"]
    # one number style per column: the same decimals in every row, thousands separators
    assert list(shown["odds_ratio"]) == ["0.81", "1.50", "12.25"]
    assert list(shown["interval"]) == ["0.70 to 0.92", "1.01 to 2.31", "3.00 to 40.00"]
    assert list(shown["n"]) == ["4,657", "980", "12"]
    assert list(shown["p_adjusted"]) == ["<0.001", "0.040", "0.500"]
    # the long warning becomes one numbered note, shared by the rows that have it
    assert list(shown["warning"]) == ["Note 1", "Note 1", ""]
    assert layout.notes == [warning.strip()] or layout.notes == [warning]
    html = report.table_bundle(frame, "or", "Odds ratios")[0]["text/html"]
    assert "In every row: Adjustment: Holm; Data source: Synthetic." in html
    assert '<ol class="table-notes"' in html
    assert html.count("few PDUs (6 &lt; 30): intervals use the CR3") == 3  # one note, 3 times


def test_a_one_row_table_keeps_its_columns():
    frame = pd.DataFrame({"pdu": ["York"], "rating": ["Good"], "n": [20]})
    assert list(reader_layout(frame, "c", "pdu").frame.columns) == ["pdu", "rating", "n"]


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


def test_main_point_sentences_put_percentage_points_first():
    d = pd.DataFrame(
        {
            "band": ["high"],
            "reference": ["inadequate"],
            "difference_pp": [-3.0],
            "ci_low": [-8.0],
            "ci_high": [2.0],
            "n": [300],
            "n_reference": [250],
        }
    )
    text = summaries.difference_point(d, outcome="new_offence", place="Wales")
    assert "3.0 percentage points less common" in text
    assert "consistent with no difference (95% interval -8.0 to +2.0)" in text
    wide = summaries.odds_point(
        {"odds_ratio": 0.95, "ci_low": 0.8, "ci_high": 1.1}, outcome="new_offence"
    )
    assert "consistent with no link" in wide and "20% lower to 10% higher" in wide
    results = pd.DataFrame({"odds_ratio": [0.8, 0.9, 1.2], "p_adjusted": [0.01, 0.3, 0.02]})
    assert "lower odds of a new offence in one and clearly higher odds in one of the 3" in (
        summaries.key_question_point(results, outcome="new_offence")
    )
    none = results.assign(p_adjusted=0.5)
    assert summaries.key_question_point(none, outcome="new_offence").startswith(
        "None of the 3 key questions"
    )
    assert summaries.few_pdus_point(6).startswith("The cases come from only 6 PDUs")
    assert summaries.few_pdus_point(108) is None
    for sentence in (text, wide, summaries.cause_point("proven_reoffence_12m")):
        assert len(sentence) <= 200, sentence
        report.display.check_main_points([sentence])
    longest = summaries.difference_point(
        d.assign(difference_pp=-26.7, ci_low=-50.1, ci_high=6.4),
        outcome="progress_risk_factors",
        place="Yorkshire and the Humber",
    )
    assert len(longest) <= 215, (len(longest), longest)  # the longest names: still shown
    report.display.check_main_points([longest])


def test_ranges_and_generic_intervals_become_one_column_beside_what_they_qualify():
    from analysis.report._tables import reader_layout

    frame = pd.DataFrame(
        {
            "statement": ["a", "b"],
            "period_start": ["2022-01", "2024-02"],
            "period_end": ["2022-12", "2024-02"],
            "record_certain": [13, 5],
            "record_possible": [39, 5],
            "record_likely": [23, 5],
            "progress_pct": [58.0, 50.0],
            "progress_low": [42.19, 34.85],
            "progress_high": [72.15, 65.15],
            "probably_missing": ["one report", None],
        }
    )
    layout = reader_layout(frame, "Totals", "statement")
    assert list(layout.frame.columns) == [
        "statement",
        "period",
        "record_likely",
        "record_range",
        "progress_pct",
        "progress_interval",
        "probably_missing",
    ]
    assert list(layout.frame["period"]) == ["2022-01 to 2022-12", "2024-02"]
    assert list(layout.frame["record_range"]) == ["13 to 39", "5"]
    assert list(layout.frame["progress_interval"]) == ["42.2 to 72.2", "34.9 to 65.2"]
    assert layout.notes == ["one report"] and list(layout.frame["probably_missing"]) == [
        "Note 1",
        "",
    ]
