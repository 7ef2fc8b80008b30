"""Disclosure control: no reader table, CSV or page of a real dataset shows a count of 1-4.

The scan test builds a small report the way a kernel would (outputs made by the report
helpers, exported by :func:`analysis.report.export_html`), then reads every generated HTML
table and CSV back and looks for small counts. A synthetic report is built beside it and must
keep its small counts, so the scan can tell suppression from absence.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import report
from analysis.exceptions import ParameterError
from analysis.report import disclosure
from analysis.report.disclosure import SUPPRESSED, protect, small_counts
from tests.conftest import tree_digest


def _frame(kind: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "pdu": ["York", "Leeds", "Hull", "Selby"],
            "key_question": "assessment_keeping_safe",
            "n_applicable": [20, 3, 12, 9],
            "n_yes": [5, 1, 0, 4],
            "pct_yes": [25.0, 33.3, 0.0, 44.4],
            "ci_low": [11.2, 6.1, 0.0, 18.9],
            "rating": ["Inadequate"] * 4,
        }
    )
    frame.attrs["dataset_kind"] = kind
    return frame


def test_small_counts_and_what_reveals_them_are_suppressed_in_real_frames():
    out = protect(_frame("real"))
    assert list(out["n_applicable"]) == [20, SUPPRESSED, 12, SUPPRESSED]
    assert list(out["n_yes"]) == [5, SUPPRESSED, 0, SUPPRESSED]  # 0 is not disclosive
    assert list(out["pct_yes"]) == [25.0, SUPPRESSED, 0.0, SUPPRESSED]
    assert list(out["ci_low"]) == [11.2, SUPPRESSED, 0.0, SUPPRESSED]
    assert list(out["rating"]) == ["Inadequate"] * 4 and list(out["pdu"])[1] == "Leeds"
    assert out.attrs["disclosure"]["suppressed_cells"] == 8
    assert out.attrs["dataset_kind"] == "real"
    assert small_counts(out).empty


def test_a_repeated_index_label_is_handled():
    frame = _frame("real").set_index(pd.Index(["a", "a", "b", "b"]))
    assert list(protect(frame)["n_yes"]) == [5, SUPPRESSED, 0, SUPPRESSED]


def test_synthetic_and_unmarked_frames_are_unchanged():
    synthetic = _frame("synthetic")
    assert protect(synthetic) is synthetic
    unmarked = _frame("real")
    unmarked.attrs.clear()
    assert protect(unmarked) is unmarked


def test_a_dataset_kind_column_protects_its_real_rows_only():
    frame = _frame("x")
    frame.attrs.clear()
    frame["dataset_kind"] = ["real", "real", "synthetic", "synthetic"]
    out = protect(frame)
    assert list(out["n_yes"]) == [5, SUPPRESSED, 0, 4]


def test_threshold_is_configurable_and_checked(monkeypatch):
    # with 10, York's 5 yes answers are suppressed too; Hull's 12 cases and 0 yes are not
    assert list(protect(_frame("real"), threshold=10)["n_applicable"]) == [
        SUPPRESSED,
        SUPPRESSED,
        12,
        SUPPRESSED,
    ]
    assert list(protect(_frame("real"), threshold=2)["n_yes"]) == [5, SUPPRESSED, 0, 4]
    monkeypatch.setenv("ANALYSIS_DISCLOSURE_THRESHOLD", "4")  # Selby's 4 of 9 is shown
    assert list(protect(_frame("real"))["n_applicable"]) == [20, SUPPRESSED, 12, 9]
    monkeypatch.setenv("ANALYSIS_DISCLOSURE_THRESHOLD", "five")
    with pytest.raises(ParameterError, match="ANALYSIS_DISCLOSURE_THRESHOLD"):
        protect(_frame("real"))
    with pytest.raises(ParameterError, match="at least 1, got 0"):
        disclosure.disclosure_threshold(0)


def test_caption_explains_the_symbol_only_when_used():
    assert disclosure.caption_note("Scores", protect(_frame("real"))).startswith(
        "Scores [c]: suppressed, as a count below 5 cases"
    )
    assert disclosure.caption_note("Scores", _frame("synthetic")) == "Scores"


class _Tables(HTMLParser):
    """Every data table of a page as a list of rows (header first)."""

    def __init__(self):
        super().__init__()
        self.tables, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1][-1].append(self._cell.strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


_COUNT = re.compile(r"^(n|count|cases|n[ _].+|.+[ _]n|.+[ _]count)$")


def _is_count(name: str) -> bool:
    """A count column by its machine name, or by the reader heading the report gives it."""
    from analysis.report._labels import COLUMN_LABELS

    readers = {label.lower() for column, label in COLUMN_LABELS.items() if _COUNT.match(column)}
    return bool(_COUNT.match(name.strip().lower())) or name.strip().lower() in readers


def _small_counts_in(rows: list[list[str]]) -> list[tuple[str, str]]:
    header, found = rows[0], []
    for row in rows[1:]:
        for name, value in zip(header, row, strict=False):
            if _is_count(name) and re.fullmatch(r"[1-4](\.0+)?", value.strip()):
                found.append((name, value))
    return found


def _export(tmp_path, kind: str):
    frame = _frame(kind)
    cells = [
        new_markdown_cell("# Key questions\n\nScores by PDU."),
        new_code_cell(
            "show_table(frame)",
            outputs=[
                new_output("display_data", data=bundle, metadata=meta)
                for bundle, meta in (
                    report.table_bundle(frame, "scores", "Key-question scores"),
                    report.table_bundle(frame.set_index("pdu"), "by_pdu", "By PDU", index=True),
                )
            ],
        ),
    ]
    path = tmp_path / f"{kind}.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return report.export_html(path, tmp_path / kind / "report.html")


def test_no_generated_html_or_csv_of_a_real_dataset_shows_a_small_count(tmp_path):
    real = _export(tmp_path, "real")
    synthetic = _export(tmp_path, "synthetic")
    before = tree_digest(tmp_path)
    scanned = 0
    for result, expect_small in ((real, False), (synthetic, True)):
        parser = _Tables()
        parser.feed(result.html.read_text(encoding="utf-8"))
        tables = [t for t in parser.tables if t]
        tables += [list(csv.reader(p.open(encoding="utf-8"))) for p in result.tables]
        assert len(tables) == 4
        for rows in tables:
            scanned += 1
            assert bool(_small_counts_in(rows)) is expect_small, rows
    assert scanned == 8
    html = real.html.read_text(encoding="utf-8")
    assert "[c]: suppressed, as a count below 5 cases" in html
    assert tree_digest(tmp_path) == before  # reading the reports changed nothing
