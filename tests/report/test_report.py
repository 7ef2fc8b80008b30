"""Tests for analysis.report: the reader-grade HTML export of a notebook.

Notebooks here are built by hand with nbformat (outputs made by the same helpers a kernel would
run), so the export is tested without starting a kernel; tests/test_notebooks.py covers real runs.
The display functions themselves are tested in test_display.py.
"""

from __future__ import annotations

import os

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output  # noqa: E402

from analysis import report  # noqa: E402
from analysis.data.provenance import is_synthetic  # noqa: E402
from analysis.report import plots  # noqa: E402
from analysis.report.export import base_css  # noqa: E402

SECRET_CODE = "secret_variable_name = 42"
PROVENANCE = {
    "notebook": "01-rating-distributions",
    "region": "Ynys Môn test region",
    "parameters": {"region": "Ynys Môn test region", "framework": "pdu-2023"},
    "data_hashes": {"cases.parquet": "ab" * 32},
    "code_version": "0.1.0 (g1234567)",
    "started": "2025-01-01T10:00:00Z",
    "finished": "2025-01-01T10:01:00Z",
    "status": "ok",
    "kernel": "probation-analysis",
}


def _display(bundle_and_meta, kind="display_data"):
    bundle, metadata = bundle_and_meta
    return new_output(
        kind,
        data=bundle,
        metadata=metadata,
        **({"execution_count": 1} if kind == "execute_result" else {}),
    )


def _ratings_frame():
    return pd.DataFrame(
        {
            "standard": ["assessment"] * 3 + ["planning"] * 3,
            "rating": ["Inadequate", "Inadequate", "Good", "Requires improvement", "Good", "Good"],
            "pct": [12.3456, 20.0, 70.0, 55.5, 66.0, 80.0],
        }
    )


def _notebook(*, synthetic=True, error=False):
    frame = _ratings_frame()
    cells = [
        new_markdown_cell("# Rating distributions\n\nWhat this report shows."),
        new_code_cell("region = None", metadata={"tags": ["parameters"]}),
        new_code_cell(
            SECRET_CODE,
            metadata={"tags": ["injected-parameters"]},
            outputs=[new_output("stream", name="stdout", text="injected\n")],
        ),
        new_markdown_cell("## Ratings by standard\n\nText.\n\n### Detail"),
        new_code_cell(
            SECRET_CODE,
            outputs=[
                new_output("stream", name="stderr", text="DeprecationWarning: noise\n"),
                _display(report.figure_bundle(plots.rating_bars(frame))),
                _display(report.table_bundle(frame, "ratings_by_standard", "Ratings by standard")),
                _display(
                    ({"text/html": frame.to_html(), "text/plain": "repr"}, {}), "execute_result"
                ),
            ],
        ),
        new_markdown_cell("## Ratings by standard\n\nSame heading twice gets its own id."),
        new_code_cell(
            SECRET_CODE,
            outputs=[
                _display(
                    (
                        {"text/html": "<p>h</p>", "text/plain": "h"},
                        {"analysis/headline": "Two in three PDUs were rated Inadequate."},
                    )
                ),
                _display(
                    (
                        {"text/html": "<ul><li>One.</li></ul>", "text/plain": "- One."},
                        {"analysis/findings": ["One."]},
                    )
                ),
            ],
        ),
    ]
    if synthetic:
        cells.insert(
            2,
            new_code_cell(
                SECRET_CODE,
                outputs=[
                    _display(
                        (
                            {"text/html": "<p>synthetic</p>", "text/plain": "synthetic"},
                            {"analysis/synthetic": True},
                        )
                    )
                ],
            ),
        )
    if error:
        cells.append(
            new_code_cell(
                SECRET_CODE,
                outputs=[
                    new_output(
                        "error",
                        ename="InputDataError",
                        evalue="cases.parquet: column 'pdu' missing",
                        traceback=["Traceback (most recent call last)", f"  {SECRET_CODE}"],
                    )
                ],
            )
        )
    nb = new_notebook(cells=cells)
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_synthetic_detection_reads_attrs_and_source():
    real = pd.DataFrame({"source": ["published: York PDU 2024"]})
    flagged = pd.DataFrame({"x": [1]})
    flagged.attrs["synthetic"] = True
    assert is_synthetic(flagged)
    assert is_synthetic(pd.DataFrame({"source": ["synthetic"]}))
    assert not is_synthetic(real)


def test_render_html_meets_the_reader_bar():
    html = report.render_html(_notebook(), provenance=PROVENANCE)
    facts = report.audit_html(html)
    assert facts["lang"] == "en" and facts["viewport"]
    assert facts["h1"] == 1
    assert '<h1 id="title">Rating distributions: Ynys Môn test region</h1>' in html
    # no code, no injected parameters, no streams, no developer reprs
    assert SECRET_CODE not in html and "secret_variable_name" not in html
    assert "injected" not in html and "DeprecationWarning" not in html
    assert facts["code_blocks"] == 0
    assert html.count("<table") == 1 + 2  # the reader table + two provenance tables
    # table of contents: every link resolves; duplicate headings get distinct ids
    assert facts["fragment_links"], "no table of contents"
    assert set(facts["fragment_links"]) <= facts["ids"]
    assert {"ratings-by-standard", "ratings-by-standard-2", "detail"} <= facts["ids"]
    # figures embedded with alt text, nothing loaded from the network
    assert facts["images"] and all(img["alt"] for img in facts["images"])
    assert all(img["src"].startswith("data:image/png;base64,") for img in facts["images"])
    assert facts["remote_loads"] == []
    assert "require.js" not in html and "mathjax" not in html.lower()
    # banner, headline, provenance footer
    assert 'id="synthetic-data-banner"' in html
    assert "Two in three PDUs were rated Inadequate." in html
    for value in ("ab" * 32, "0.1.0 (g1234567)", "1 January 2025, 10:01 UTC", "<code>pdu-2023<"):
        assert value in html.replace("&#x27;", "'")


def test_a_heading_inside_a_code_fence_is_not_a_heading():
    nb = new_notebook(cells=[new_markdown_cell("# T\n\n## Real\n\n```\n# not a heading\n```")])
    facts = report.audit_html(report.render_html(nb, provenance=PROVENANCE))
    assert "real" in facts["ids"] and "not-a-heading" not in facts["ids"]
    assert facts["h1"] == 1


def test_no_banner_without_synthetic_data():
    html = report.render_html(_notebook(synthetic=False), provenance=PROVENANCE)
    assert 'id="synthetic-data-banner"' not in html


def test_provenance_can_force_the_banner():
    html = report.render_html(
        _notebook(synthetic=False), provenance={**PROVENANCE, "synthetic": True}
    )
    assert 'id="synthetic-data-banner"' in html


def test_failed_run_is_readable_without_a_traceback():
    html = report.render_html(_notebook(error=True), provenance={**PROVENANCE, "status": "failed"})
    assert 'id="run-failed-banner"' in html
    assert "InputDataError: cases.parquet: column 'pdu' missing" in html.replace("&#x27;", "'")
    assert "Traceback" not in html and SECRET_CODE not in html


def test_export_writes_html_and_linked_csvs_atomically(tmp_path):
    out = tmp_path / "reports" / "ynys-mon" / "01-rating-distributions.html"
    stale = out.with_name("01-rating-distributions_tables") / "old_table.csv"
    stale.parent.mkdir(parents=True)
    stale.write_text("x\n", encoding="utf-8")
    notebook_path = tmp_path / "executed.ipynb"
    nbformat.write(_notebook(), notebook_path)

    result = report.export_html(notebook_path, out, provenance=PROVENANCE)

    assert result.html == out and result.synthetic and result.size_bytes == out.stat().st_size
    assert result.headline == "Two in three PDUs were rated Inadequate."
    assert result.title == "Rating distributions: Ynys Môn test region"
    assert [p.name for p in result.tables] == ["ratings_by_standard.csv"]
    assert not stale.exists()
    html = out.read_text(encoding="utf-8")
    assert "Ynys Môn" in html
    for link in report.audit_html(html)["links"]:
        assert (out.parent / link).is_file(), link
    csv = pd.read_csv(result.tables[0])
    # every row names its dataset and kind (nothing marks this frame: it is treated as real)
    assert csv["dataset"].eq("not stated").all() and csv["data_kind"].eq("real").all()
    pd.testing.assert_frame_equal(csv.drop(columns=["dataset", "data_kind"]), _ratings_frame())
    assert not list(out.parent.glob(".*.tmp")) and result.size_bytes < 3_000_000
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # readable like any other file


def test_base_css_has_rating_classes_and_no_remote_resources():
    css = base_css()
    for rating, colour in plots.RATING_COLOURS.items():
        assert f".rating-{rating.lower().replace(' ', '-')} {{ background: {colour}" in css
    assert "http" not in css and "@import" not in css
