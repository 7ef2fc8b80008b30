"""Tests for analysis.report: notebook helpers and the reader-grade HTML export.

Notebooks here are built by hand with nbformat (outputs made by the same helpers a kernel would
run), so the export is tested without starting a kernel; tests/test_notebooks.py covers real runs.
"""

from __future__ import annotations

import base64
import io
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
from analysis.exceptions import InputDataError  # noqa: E402
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


def test_table_bundle_keeps_full_precision_in_csv_and_escapes_html():
    frame = pd.DataFrame({"pdu": ["<York>"], "pct_yes": [12.3456], "rating": ["Inadequate"]})
    bundle, metadata = report.table_bundle(frame, "kq", "Key <questions>")
    table = metadata["analysis/table"]
    assert pd.read_csv(io.StringIO(table["csv"]))["pct_yes"].iloc[0] == 12.3456
    assert "&lt;York&gt;" in bundle["text/html"] and "<York>" not in bundle["text/html"]
    assert "<caption>Key &lt;questions&gt;</caption>" in bundle["text/html"]
    assert "12.3" in bundle["text/html"] and "12.3456" not in bundle["text/html"]
    # the rating keeps its words beside the colour: never colour alone
    assert '<span class="rating rating-inadequate">Inadequate</span>' in bundle["text/html"]


@pytest.mark.parametrize("name", ["", "has space", "../escape", "a/b"])
def test_table_name_must_be_a_safe_file_name(name):
    with pytest.raises(InputDataError, match="file name"):
        report.table_bundle(pd.DataFrame({"a": [1]}), name, "caption")


def test_figure_bundle_embeds_png_uses_plot_alt_text_and_closes_the_figure(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "synthetic")  # a real run's alt text is scrubbed
    ax = plots.rating_bars(_ratings_frame())
    bundle, metadata = report.figure_bundle(ax, name="ratings")
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG")
    assert metadata["analysis/figure"]["alt"] == plots.alt_text(ax)
    assert "Assessment (3 units): 1 Good, 2 Inadequate" in metadata["analysis/figure"]["alt"]
    assert plt.get_fignums() == []


def test_figure_without_alt_text_is_refused():
    _, ax = plt.subplots()
    with pytest.raises(InputDataError, match="alt text"):
        report.figure_bundle(ax)


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


def test_reader_table_has_human_headings_formatted_values_and_row_headers():
    frame = pd.DataFrame(
        {
            "pdu": ["York", "Leeds"],
            "lowest_key_question": [
                "implementation_and_delivery_keeping_safe",
                "planning_desistance",
            ],
            "n_applicable": [24, 19],
            "pct_yes": [41.66666, 52.631578],
            "p_inadequate": [0.9351994, 0.00001],
            "p_value": [0.0004, 0.2],
            "borderline": [False, True],
        }
    )
    bundle, metadata = report.table_bundle(frame, "uncertainty", "Uncertainty")
    html = bundle["text/html"]
    for machine in ("n_applicable", "pct_yes", "implementation_and_delivery_keeping_safe", "False"):
        assert machine not in html
    assert "e-01" not in html and "9.35" not in html
    for heading in ("Applicable cases", "% answered yes", "Chance of Inadequate (%)", "p-value"):
        assert f">{heading}</th>" in html
    assert '<th scope="col">PDU</th>' in html
    assert '<th scope="row">York</th>' in html and '<th scope="row">Leeds</th>' in html
    assert "Implementation and delivery: keeping safe" in html and "Planning: desistance" in html
    for shown in (">93.5<", "><0.1<", "><0.001<", ">0.200<", ">No<", ">Yes<", ">41.7<", ">24<"):
        assert shown in html.replace("&lt;", "<"), shown
    # the CSV keeps machine names and full precision
    csv = pd.read_csv(io.StringIO(metadata["analysis/table"]["csv"]))
    assert list(csv.columns) == [*frame.columns, "dataset", "data_kind"]
    assert csv["p_inadequate"].iloc[0] == 0.9351994 and csv["borderline"].tolist() == [False, True]


def test_row_header_can_be_chosen_and_must_be_a_column():
    frame = pd.DataFrame({"n": [3], "region": ["North East"]})
    html = report.table_bundle(frame, "t", "T", row_header="region")[0]["text/html"]
    assert '<th scope="row">North East</th>' in html
    assert "<th scope" in report.table_bundle(frame, "t", "T")[0]["text/html"]
    assert 'scope="row"' not in report.table_bundle(frame, "t", "T")[0]["text/html"]
    published = pd.DataFrame({"region": ["Wales"], "unit": ["Gwent PDU"], "report_year": [2022]})
    html = report.table_bundle(published, "p", "P")[0]["text/html"]
    assert '<th scope="row">Gwent PDU</th>' in html and ">2022<" in html  # no "2,022"
    with pytest.raises(InputDataError, match="row_header 'pdu'"):
        report.table_bundle(frame, "t", "T", row_header="pdu")


def test_interactive_table_keeps_numbers_sortable_with_reader_headings():
    from analysis.report._interactive import datatable_html
    from analysis.report._labels import numeric_for_sorting

    frame = pd.DataFrame(
        {
            "pdu": ["York", "Leeds"],
            "standard": ["planning", "assessment"],
            "standard_name": ["Planning", "Assessment"],
            "p_good": [0.123456, 0.9],
            "n_applicable": [24, 19],
            "borderline": [True, False],
        }
    )
    shown = numeric_for_sorting(frame)
    assert list(shown.columns) == [
        "PDU",
        "Standard",
        "Standard name",
        "Chance of Good (%)",
        "Applicable cases",
        "Borderline",
    ]
    assert shown["Chance of Good (%)"].tolist() == [12.3, 90.0]  # numbers, so they sort by value
    assert shown["Applicable cases"].tolist() == [24, 19]
    assert shown["Borderline"].tolist() == ["Yes", "No"]
    html = datatable_html(frame, "Ratings by PDU: York", max_bytes=2**20)
    assert "n_applicable" not in html and "Applicable cases" in html
    assert '"Pages of the table: " + label' in html.replace("'", '"')
    assert '"Ratings by PDU: York"' in html and "event.key === ' '" in html
