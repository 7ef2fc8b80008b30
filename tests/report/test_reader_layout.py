"""The finding first on the exported page: main points on top, one failed-cell number, plain times.

(The tables that fit, the main points' checks and sentences and the index card are tested
beside their modules: test_tables.py, test_display.py, summaries/test_main_points.py,
test_index.py.)
"""

from __future__ import annotations

import re

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import report

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
