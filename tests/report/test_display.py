"""analysis.report.display: the notebook display functions, and the metadata each output carries for the export.

The outputs are caught where the functions hand them to IPython, so nothing is displayed; the
expected HTML, CSV and metadata are written out by hand.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis import report  # noqa: E402
from analysis.exceptions import InputDataError  # noqa: E402
from analysis.report import display, plots  # noqa: E402
from tests.report.test_report import _ratings_frame  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def shown(monkeypatch):
    """What would be displayed: (bundle, metadata) pairs."""
    outputs = []
    monkeypatch.setattr(
        display, "_display", lambda bundle, metadata: outputs.append((bundle, metadata))
    )
    return outputs


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


def test_main_points_drop_blanks_and_are_shown_as_a_list_with_their_metadata(shown):
    assert display.check_main_points(["  One.  ", "", None, "Two."]) == ["One.", "Two."]
    display.main_points(["One <b>.", "Two."])
    ((bundle, metadata),) = shown
    assert (
        bundle["text/html"] == '<ul class="main-points"><li>One &lt;b&gt;.</li><li>Two.</li></ul>'
    )
    assert bundle["text/plain"] == "- One <b>.\n- Two."
    assert metadata == {"analysis/main_points": ["One <b>.", "Two."]}


def test_notes_headlines_and_findings_are_escaped_and_tagged(shown):
    display.note("Fewer than <5> cases.")
    display.headline("Two in three.")
    display.findings(["First.", "", "Second & last."])
    note, headline, findings = shown
    assert note == (
        {
            "text/html": '<p class="note">Fewer than &lt;5&gt; cases.</p>',
            "text/plain": "Fewer than <5> cases.",
        },
        {"analysis/note": "Fewer than <5> cases."},
    )
    assert headline[0]["text/html"] == '<p class="headline-figure">Two in three.</p>'
    assert headline[1] == {"analysis/headline": "Two in three."}
    assert (
        findings[0]["text/html"]
        == '<ul class="findings"><li>First.</li><li>Second &amp; last.</li></ul>'
    )
    assert findings[1] == {"analysis/findings": ["First.", "Second & last."]}


def test_the_synthetic_notice_follows_the_declared_kind(shown):
    declared = pd.DataFrame({"x": [1]})
    declared.attrs["synthetic"] = True
    assert display.synthetic_notice(declared) is True
    assert shown[0][1] == {"analysis/synthetic": True}
    assert "not real results" in shown[0][0]["text/plain"]
    assert display.synthetic_notice(pd.DataFrame({"source": ["synthetic"]})) is False  # a guess
    assert len(shown) == 1


def test_every_csv_row_names_its_dataset_and_kind(monkeypatch):
    plain = pd.DataFrame({"a": [1]})
    assert display.dataset_columns(plain) == {"dataset": "not stated", "data_kind": "real"}
    assert display.dataset_columns(plain.assign(dataset="york")) == {"data_kind": "real"}
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "synthetic")
    monkeypatch.setenv("ANALYSIS_RUN_DATASET", "synthetic-2024")
    assert display.dataset_columns(plain) == {
        "dataset": "synthetic-2024",
        "data_kind": "SYNTHETIC (simulated data, not real results)",
    }


def test_a_long_table_is_folded_under_a_summary():
    frame = pd.DataFrame({"pdu": [f"PDU {i}" for i in range(16)], "n": range(20, 36)})
    html = report.table_bundle(frame, "long", "Cases per PDU")[0]["text/html"]
    assert html.startswith(
        '<details class="long-table"><summary>Show the table: Cases per PDU (16 rows; also as '
        "CSV below)</summary>"
    )
    short = report.table_bundle(frame.head(15), "short", "Cases per PDU")[0]["text/html"]
    assert not short.startswith("<details")


def test_a_figures_drawn_text_is_kept_with_it():
    fig, ax = plt.subplots()
    ax.set_title("Rates by band")
    ax.set_xlabel("Quality band")
    ax.text(0.5, 0.5, " ")  # blank: left out
    texts = display.figure_texts(fig)
    assert "Rates by band" in texts and "Quality band" in texts and " " not in texts


def test_a_methods_section_is_read_up_to_the_next_heading_of_its_level(tmp_path):
    doc = tmp_path / "methods.md"
    doc.write_text(
        "# Methods\n\n## Caveats to quote\n\nFirst.\n\n### Detail\n\nMore.\n\n## Next\n\nNot this.\n",
        encoding="utf-8",
    )
    assert display.methods_section("caveat", doc) == "First.\n\n### Detail\n\nMore."
    assert display.methods_section("nowhere", doc) is None
    assert display.methods_section("caveat", tmp_path / "missing.md") is None


def test_show_methods_section_bolds_headings_or_says_the_section_is_missing(shown, tmp_path):
    doc = tmp_path / "methods.md"
    doc.write_text("## Caveats\n\nFirst.\n\n### Detail\n\nMore.\n", encoding="utf-8")
    display.show_methods_section("caveat", doc)
    display.show_methods_section("nowhere", doc)
    (found, found_meta), (missing, _) = shown
    assert found["text/markdown"] == "First.\n\n**Detail**\n\nMore." and found_meta == {
        "analysis/methods": "caveat"
    }
    assert missing["text/plain"] == (
        "The methods document (docs/methods.md) has no section about 'nowhere' yet."
    )
