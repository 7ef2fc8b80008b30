"""The export's own disclosure control: a real run's page is safe whatever the kernel did."""

from __future__ import annotations

import csv

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbformat  # noqa: E402
import pandas as pd  # noqa: E402
from nbformat.v4 import new_code_cell, new_notebook, new_output  # noqa: E402

from analysis import report  # noqa: E402
from analysis.report.export_guard import guard_notebook  # noqa: E402

SMALL = pd.DataFrame({"pdu": ["York", "Selby"], "n": [20, 3], "n_yes": [10, 2]})


def _kernel_outputs(monkeypatch):
    """Outputs as a kernel that believed it was in a synthetic run would make them."""
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "synthetic")
    table = report.table_bundle(SMALL, "counts", "Counts")
    fig, ax = plt.subplots()
    ax.bar(["York", "Selby"], [20, 3])
    ax.text(1, 3, "n=3")
    figure = report.figure_bundle(fig, alt="Selby: n=3, 67% yes.")
    note = ({"text/plain": "Selby: 2 of 3 cases yes (n=3)."}, {"analysis/note": "Selby: n=3"})
    monkeypatch.delenv("ANALYSIS_RUN_KIND")
    cells = [
        new_code_cell("", outputs=[new_output("display_data", data=b, metadata=m)])
        for b, m in (table, figure, note)
    ]
    return new_notebook(cells=cells)


def test_the_export_protects_a_real_run_whatever_the_kernel_did(tmp_path, monkeypatch):
    nb = _kernel_outputs(monkeypatch)
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    result = report.export_html(
        path, tmp_path / "out" / "run.html", provenance={"dataset_kind": "real"}
    )
    rows = list(csv.DictReader(result.tables[0].open(encoding="utf-8")))
    assert [r["n"] for r in rows] == ["[c]", "[c]"]  # Selby, and York beside it
    assert {r["data_kind"] for r in rows} == {"real"}
    html = result.html.read_text(encoding="utf-8")
    assert "n=3" not in html and "2 of 3" not in html and "67%" not in html
    assert "Figure withheld" in html and "<img" not in html
    assert result.disclosure == {
        "threshold": 5,
        "tables_reprotected": 1,
        "figures_withheld": 1,
        "texts_scrubbed": 1,
    }


def test_a_synthetic_run_is_left_as_the_kernel_made_it(tmp_path, monkeypatch):
    nb = _kernel_outputs(monkeypatch)
    path = tmp_path / "run.ipynb"
    nbformat.write(nb, path)
    result = report.export_html(
        path, tmp_path / "out" / "run.html", provenance={"dataset_kind": "synthetic"}
    )
    rows = list(csv.DictReader(result.tables[0].open(encoding="utf-8")))
    assert [r["n"] for r in rows] == ["20", "3"]
    assert {r["data_kind"] for r in rows} == {"SYNTHETIC (simulated data, not real results)"}
    assert result.disclosure == {}


def test_a_guarded_notebook_needs_no_second_pass(monkeypatch):
    nb = _kernel_outputs(monkeypatch)
    guard_notebook(nb)
    assert guard_notebook(nb) == {
        "threshold": 5,
        "tables_reprotected": 0,
        "figures_withheld": 0,
        "texts_scrubbed": 0,
    }


def test_a_controlled_figure_whose_drawn_text_gives_a_count_is_withheld():
    def figure(texts):
        meta = {"alt": "A heatmap.", "kind": "real", "disclosure": "controlled", "texts": texts}
        out = new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "x"})
        out["metadata"] = {"analysis/figure": meta}
        return new_code_cell("", outputs=[out])

    nb = new_notebook(cells=[figure(["70%\nn=20"]), figure(["67%\nn=3"])])
    assert guard_notebook(nb)["figures_withheld"] == 1
    assert "image/png" in nb.cells[0].outputs[0]["data"]
    assert "image/png" not in nb.cells[1].outputs[0]["data"]


def test_figure_bundle_keeps_the_figures_drawn_text(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    from analysis.report import plots

    data = pd.DataFrame(
        {
            "pdu": ["York", "Leeds"],
            "key_question": "k",
            "pct_yes": [70.0, 66.7],
            "n_applicable": [20, 3],
        }
    )
    _, metadata = report.figure_bundle(plots.kq_heatmap(data))
    texts = metadata["analysis/figure"]["texts"]
    assert "–" in texts and not any("n=3" in t or "n=20" in t for t in texts)
    assert metadata["analysis/figure"]["disclosure"] == "controlled"
    assert "based on fewer than 5 cases" in metadata["analysis/figure"]["alt"]  # Leeds undrawn
    _, given = report.figure_bundle(plots.kq_heatmap(data), alt="Leeds: 67% yes, n=3.")
    assert given["analysis/figure"]["alt"] == "Leeds: [c]% yes, n=[c]."


def test_every_plot_function_declares_its_figure_drawn_under_control(monkeypatch):
    from analysis.report import plots

    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    ratings = pd.DataFrame({"standard": ["assessment"] * 2, "rating": ["Good", "Inadequate"]})
    _, metadata = report.figure_bundle(plots.rating_bars(ratings))
    assert metadata["analysis/figure"]["disclosure"] == "controlled"
    fig, _ = plt.subplots()
    _, metadata = report.figure_bundle(fig, alt="A hand-drawn figure.")
    assert metadata["analysis/figure"]["disclosure"] == "not declared"


def test_main_points_of_a_real_run_are_scrubbed_in_the_kernel_and_at_export(monkeypatch):
    sentences = ["In 2 of 4 PDUs the overall rating was Inadequate.", "Most cases: 70%."]
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    shown = []
    monkeypatch.setattr(report.display, "_display", lambda data, meta: shown.append(meta))
    report.display.main_points(sentences)
    assert shown[0]["analysis/main_points"][0] == (
        "In [c] of [c] PDUs the overall rating was Inadequate."
    )
    # a kernel that did not know the run was real left them as they were: the export scrubs
    output = new_output(
        "display_data",
        data={"text/plain": "\n".join(sentences)},
        metadata={"analysis/main_points": list(sentences)},
    )
    nb = new_notebook(cells=[new_code_cell("", outputs=[output])])
    assert guard_notebook(nb)["texts_scrubbed"] == 1
    kept = nb.cells[0].outputs[0]
    assert kept.metadata["analysis/main_points"] == [
        "In [c] of [c] PDUs the overall rating was Inadequate.",
        "Most cases: 70%.",
    ]
    assert "2 of 4" not in kept.data["text/plain"]


def test_every_sentence_an_output_carries_is_scrubbed_at_export():
    """Each text a reader can get from an output, whichever mime type or metadata holds it."""
    outputs = [
        new_output(
            "execute_result", data={"text/plain": "Selby: 2 of 3 cases."}, execution_count=1
        ),
        new_output("display_data", data={"text/markdown": "York: n = 4."}),
        new_output("display_data", data={"text/html": "<p>Leeds: 86% yes, n=7.</p>"}),
        new_output("display_data", data={}, metadata={"analysis/note": "Hull: 1 case."}),
        new_output("display_data", data={}, metadata={"analysis/headline": "Hull: n=2."}),
        new_output("display_data", data={}, metadata={"analysis/findings": ["3 of 9 PDUs."]}),
        new_output("display_data", data={}, metadata={"analysis/main_points": ["8 of 9 PDUs."]}),
    ]
    nb = new_notebook(cells=[new_code_cell("", outputs=outputs)])
    assert guard_notebook(nb)["texts_scrubbed"] == len(outputs)
    out = nb.cells[0].outputs
    assert out[0].data["text/plain"] == "Selby: [c] of [c] cases."
    assert out[1].data["text/markdown"] == "York: n = [c]."
    assert out[2].data["text/html"] == "<p>Leeds: [c]% yes, n=7.</p>"  # 6 of 7: 1 no
    assert out[3].metadata["analysis/note"] == "Hull: [c] case."
    assert out[4].metadata["analysis/headline"] == "Hull: n=[c]."
    assert out[5].metadata["analysis/findings"] == ["[c] of [c] PDUs."]
    assert out[6].metadata["analysis/main_points"] == ["[c] of [c] PDUs."]  # 1 is not


def _controlled_figure(alt: str, kind: str = "real"):
    meta = {"alt": alt, "kind": kind, "disclosure": "controlled", "texts": ["Good", "70%"]}
    out = new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": alt})
    out["metadata"] = {"analysis/figure": meta}
    return new_code_cell("", outputs=[out])


def test_a_controlled_figures_alt_text_is_scrubbed_and_one_drawn_as_synthetic_withheld():
    nb = new_notebook(
        cells=[_controlled_figure("Selby: 67% yes, n=3."), _controlled_figure("York.", "synthetic")]
    )
    assert guard_notebook(nb) == {
        "threshold": 5,
        "tables_reprotected": 0,
        "figures_withheld": 1,
        "texts_scrubbed": 1,
    }
    kept = nb.cells[0].outputs[0]
    assert kept.metadata["analysis/figure"]["alt"] == "Selby: [c]% yes, n=[c]."
    assert kept.data["text/plain"] == "Selby: [c]% yes, n=[c]." and "image/png" in kept.data
    # drawn by a kernel that believed the run synthetic: withheld, even if declared controlled
    assert "image/png" not in nb.cells[1].outputs[0]["data"]


def test_a_real_figure_not_declared_drawn_under_control_is_withheld():
    cell = _controlled_figure("Good: 70%.")
    cell.outputs[0]["metadata"]["analysis/figure"]["disclosure"] = "not declared"
    nb = new_notebook(cells=[cell])
    assert guard_notebook(nb)["figures_withheld"] == 1
    assert "image/png" not in nb.cells[0].outputs[0]["data"]


def test_an_interactive_table_of_a_real_run_shows_its_small_counts_as_c(monkeypatch):
    from analysis.report import display

    shown = []
    monkeypatch.setattr(display, "_display", lambda bundle, meta: shown.append(bundle))
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    report.interactive_table(SMALL, "counts", "Counts")
    assert "[c]" in shown[0]["text/html"]
