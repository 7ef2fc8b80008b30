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


def test_synthetic_frames_are_unchanged_and_unmarked_ones_fail_closed(monkeypatch):
    from analysis.data import provenance

    synthetic = _frame("synthetic")
    assert protect(synthetic) is synthetic
    unmarked = _frame("real")
    unmarked.attrs.clear()
    # nothing says it is synthetic: treated as real
    assert list(protect(unmarked)["n_yes"]) == [5, SUPPRESSED, 0, SUPPRESSED]
    # only synthetic datasets loaded in this process: an unmarked table is synthetic
    monkeypatch.setattr(provenance, "_LOADED", {"synthetic"})
    assert protect(unmarked) is unmarked
    # a real dataset loaded too: every unmarked table is real again
    monkeypatch.setattr(provenance, "_LOADED", {"synthetic", "real"})
    assert protect(unmarked) is not unmarked


def test_the_run_decides_whatever_marks_a_frame_carries(monkeypatch):
    from analysis.data import provenance

    monkeypatch.setenv(provenance.RUN_KIND_ENV, "real")
    marked_synthetic = _frame("synthetic")
    assert list(protect(marked_synthetic)["n_yes"]) == [5, SUPPRESSED, 0, SUPPRESSED]
    monkeypatch.setenv(provenance.RUN_KIND_ENV, "something else")  # unknown kind: real
    assert protect(marked_synthetic) is not marked_synthetic
    monkeypatch.setenv(provenance.RUN_KIND_ENV, "synthetic")
    assert protect(marked_synthetic) is marked_synthetic
    assert protect(_frame("real")) is not None and is_real_frame(_frame("real"))


def is_real_frame(frame) -> bool:
    return disclosure.is_real(frame)


def test_what_pandas_drops_cannot_switch_suppression_off():
    """groupby, merge, concat, crosstab, value_counts and DataFrame(dict) lose attrs."""
    real = _frame("real")
    derived = [
        real.groupby("pdu", as_index=False).agg(n=("n_applicable", "sum")),
        real.groupby("pdu").size().rename("n").reset_index(),
        real[["pdu", "n_yes"]].merge(real[["pdu", "n_applicable"]], on="pdu"),
        pd.concat([real, real.iloc[:0]]),
        real["n_yes"].value_counts().rename("count").reset_index(),
        pd.DataFrame({"pdu": real["pdu"], "n": real["n_applicable"]}),
    ]
    for frame in derived:
        assert disclosure.small_counts(frame).shape[0] > 0 or "count" in frame.columns, frame
        assert small_counts(protect(frame)).empty, frame


def test_complements_and_2x2_cells_and_events_are_counts():
    frame = pd.DataFrame(
        {"pdu": ["A", "B"], "n_applicable": [20, 30], "n_yes": [18, 15], "pct_yes": [90.0, 50.0]}
    )
    out = protect(frame)  # A: 2 "no" answers
    assert list(out["n_yes"]) == [SUPPRESSED, SUPPRESSED]  # B hidden too: one group of two
    cells = pd.DataFrame(
        {"term": ["x"], "a": [12], "b": [2], "c": [20], "d": [30], "odds_ratio": [2.0]}
    )
    assert protect(cells).loc[0, "odds_ratio"] == SUPPRESSED
    rates = pd.DataFrame({"band": ["Good"], "n": [40], "events": [3], "rate_pct": [7.5]})
    assert protect(rates).loc[0, "rate_pct"] == SUPPRESSED


def test_a_count_small_only_as_its_complement_is_suppressed():
    # no percentage column: only the complement (20 - 17 = 3 cases without the outcome) tells
    frame = pd.DataFrame(
        {"term": ["x", "y"], "n": [20, 30], "events": [17, 15], "odds_ratio": [1.2, 0.9]}
    )
    out = protect(frame)
    assert list(out["events"]) == [SUPPRESSED, 15]
    assert list(out["odds_ratio"]) == [SUPPRESSED, 0.9]
    assert small_counts(frame)[["position", "column", "value"]].to_numpy().tolist() == [
        [0, "events", 17.0]
    ]


def test_a_percentage_of_the_rows_count_is_a_count():
    # no count of yes answers: 10% of 20 is 2 yes, 90% of 20 leaves 2 no (each term is its
    # own group, so no row is hidden only as the smallest beside another)
    frame = pd.DataFrame({"term": ["x", "y", "z"], "n": [20] * 3, "pct_yes": [10.0, 90.0, 50.0]})
    assert list(protect(frame)["pct_yes"]) == [SUPPRESSED, SUPPRESSED, 50.0]


def test_one_hidden_row_in_a_group_takes_the_smallest_other_with_it():
    frame = pd.DataFrame(
        {
            "pdu": ["A", "B", "C", "A", "B", "C"],
            "key_question": ["k"] * 3 + ["j"] * 3,
            "n": [20, 4, 30, 20, 10, 30],
            "n_yes": [10, 0, 15, 10, 5, 15],
        }
    )
    out = protect(frame)
    assert list(out["n"]) == [SUPPRESSED, SUPPRESSED, 30, 20, 10, 30]


def test_sentences_lose_small_counts_and_the_percentages_that_reveal_them():
    scrub = disclosure.scrub_text
    assert scrub("75% yes (n=4).", real=True) == "[c]% yes (n=[c])."
    assert scrub("Leeds: 57% yes, n=7.", real=True) == "Leeds: [c]% yes, n=7."  # 4 of 7
    assert scrub("Leeds: 86% yes, n=7.", real=True) == "Leeds: [c]% yes, n=7."  # 1 no
    assert scrub("Hull: 15% yes, n=20.", real=True) == "Hull: [c]% yes, n=20."  # 3 yes
    assert scrub("Up 300% (n=2).", real=True) == "Up [c]% (n=[c])."  # every % of a hidden n
    assert scrub("Hull: 50% yes, n=20.", real=True) == "Hull: 50% yes, n=20."
    assert scrub("3 of 20 cases; 17 of 20; 10 of 20.", real=True) == (
        "[c] of [c] cases; [c] of [c]; 10 of 20."
    )
    assert scrub("2 people", real=True) == "[c] people"
    assert scrub("75% yes (n=4).", real=False) == "75% yes (n=4)."


def test_a_dataset_kind_column_protects_its_real_rows_only():
    frame = _frame("x")
    frame.attrs.clear()
    frame["dataset_kind"] = ["real", "real", "synthetic", "synthetic"]
    out = protect(frame)  # York goes with Leeds: the only other real row of the group
    assert list(out["n_yes"]) == [SUPPRESSED, SUPPRESSED, 0, 4]


def test_threshold_is_configurable_and_checked(monkeypatch):
    # with 10, York's 5 yes answers are suppressed too; Hull's 12 cases and 0 yes are not
    assert list(protect(_frame("real"), threshold=10)["n_applicable"]) == [
        SUPPRESSED,
        SUPPRESSED,
        12,
        SUPPRESSED,
    ]
    # with 3, only Leeds's 1 yes is below it; Selby (the smallest other PDU) goes with it
    assert list(protect(_frame("real"), threshold=3)["n_yes"]) == [5, SUPPRESSED, 0, SUPPRESSED]
    monkeypatch.setenv("ANALYSIS_DISCLOSURE_THRESHOLD", "4")  # Selby's 4 of 9 is not small,
    out = protect(_frame("real"))  # but hidden beside Leeds, the group's one small row
    assert list(out["n_applicable"]) == [20, SUPPRESSED, 12, SUPPRESSED]
    assert out.attrs["disclosure"]["threshold"] == 4
    monkeypatch.setenv("ANALYSIS_DISCLOSURE_THRESHOLD", "five")
    with pytest.raises(ParameterError, match="ANALYSIS_DISCLOSURE_THRESHOLD"):
        protect(_frame("real"))
    with pytest.raises(ParameterError, match="at least 3, got 2"):
        disclosure.disclosure_threshold(2)


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


def _export(tmp_path, kind: str, provenance=None, name=None):
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
    path = tmp_path / f"{name or kind}.ipynb"
    nbformat.write(new_notebook(cells=cells), path)
    return report.export_html(
        path, tmp_path / (name or kind) / "report.html", provenance=provenance
    )


def test_no_generated_html_or_csv_of_a_real_dataset_shows_a_small_count(tmp_path):
    real = _export(tmp_path, "real", {"dataset_kind": "real"})
    synthetic = _export(tmp_path, "synthetic", {"dataset_kind": "synthetic"})
    # no provenance: the run's kind is not known, so the export treats it as real
    unsaid = _export(tmp_path, "synthetic", None, name="unsaid")
    before = tree_digest(tmp_path)
    scanned = 0
    for result, expect_small in ((real, False), (synthetic, True), (unsaid, False)):
        parser = _Tables()
        parser.feed(result.html.read_text(encoding="utf-8"))
        tables = [t for t in parser.tables if t]
        tables += [list(csv.reader(p.open(encoding="utf-8"))) for p in result.tables]
        assert len(tables) == 4
        for rows in tables:
            scanned += 1
            assert bool(_small_counts_in(rows)) is expect_small, rows
    assert scanned == 12
    html = real.html.read_text(encoding="utf-8")
    assert "[c]: suppressed, as a count below 5 cases" in html
    assert tree_digest(tmp_path) == before  # reading the reports changed nothing


def test_the_report_helpers_scrub_their_sentences_in_a_real_run(monkeypatch):
    from analysis.report import display

    shown = []
    monkeypatch.setattr(display, "_display", lambda bundle, meta: shown.append((bundle, meta)))
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    report.note("Selby: 75% yes (n=4).")
    report.findings(["Leeds: 3 of 20 cases.", "Hull: 50% of 20 cases, n=20."])
    report.headline("York: 2 cases.")
    texts = [b["text/plain"] for b, _ in shown]
    assert texts == [
        "Selby: [c]% yes (n=[c]).",
        "- Leeds: [c] of [c] cases.\n- Hull: 50% of 20 cases, n=20.",
        "York: [c] cases.",
    ]
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "synthetic")
    report.note("Selby: 75% yes (n=4).")
    assert shown[-1][0]["text/plain"] == "Selby: 75% yes (n=4)."


def test_nullable_counts_with_missing_values_are_handled():
    frame = pd.DataFrame(
        {
            "term": ["x", "y", "z"],
            "n": pd.array([20, 3, None], dtype="Int64"),
            "n_yes": pd.array([10, 1, None], dtype="Int64"),
        }
    )
    frame.attrs["dataset_kind"] = "real"
    shown = protect(frame)["n"]
    assert list(shown[:2]) == [20, SUPPRESSED] and pd.isna(shown[2])
    assert small_counts(frame)["column"].tolist() == ["n", "n_yes"]


def test_an_interval_in_brackets_goes_with_the_percentage_it_bounds():
    scrub = disclosure.scrub_text
    band = "The rate was 83% in the inadequate band (n = 6; 95% interval 44% to 97%)."
    # 83% of 6 is 5 (1 without): the bounds would give the count back, so they go too;
    # the confidence level is not a count and stays
    assert scrub(band, real=True) == (
        "The rate was [c]% in the inadequate band (n = 6; 95% interval [c]% to [c]%)."
    )
    # a safe figure keeps its interval, and a bracket does not join two separate sentences
    safe = "York: 50% (n = 20; 95% interval 30% to 70%); Leeds: 57% yes, n=7."
    assert scrub(safe, real=True) == (
        "York: 50% (n = 20; 95% interval 30% to 70%); Leeds: [c]% yes, n=7."
    )


def test_a_percentage_of_a_k_of_n_count_goes_with_the_count():
    scrub = disclosure.scrub_text
    # "1 of 36" is suppressed; its 3% would give the 1 back from the 36 stated elsewhere
    assert scrub("2023: 1 of 36 (3%) Good; 18 of 36 (50%) fair.", real=True) == (
        "2023: [c] of [c] ([c]%) Good; 18 of 36 (50%) fair."
    )
    assert scrub("In 2 of 6 PDUs (33%) it was Inadequate.", real=True) == (
        "In [c] of [c] PDUs ([c]%) it was Inadequate."
    )


def test_a_run_on_the_public_record_alone_keeps_published_counts(monkeypatch):
    from analysis.data import provenance

    reports = pd.DataFrame({"round": ["a", "b"], "n": [1, 36], "pct": [3.0, 100.0]})
    sentence = "2023: 1 of 36 (3%) Good."
    monkeypatch.setenv(provenance.RUN_KIND_ENV, "real")
    monkeypatch.setenv(provenance.RUN_PUBLIC_ENV, "1")
    assert provenance.public_record_run()
    pd.testing.assert_frame_equal(disclosure.protect(reports), reports)
    assert disclosure.scrub_text(sentence) == sentence
    # once case-level data are loaded in the same process, every figure is protected again
    provenance.mark_dataset(pd.DataFrame({"case_id": [1]}), "tiny", "real")
    assert not provenance.public_record_run()
    assert disclosure.scrub_text(sentence) == "2023: [c] of [c] ([c]%) Good."
    assert disclosure.protect(reports)["n"].tolist() == ["[c]", "[c]"]


def test_the_public_record_flag_alone_never_opens_a_synthetic_or_unknown_run(monkeypatch):
    from analysis.data import provenance

    monkeypatch.setenv(provenance.RUN_PUBLIC_ENV, "1")
    monkeypatch.delenv(provenance.RUN_KIND_ENV, raising=False)
    assert not provenance.public_record_run()  # outside a run the flag means nothing
    assert disclosure.scrub_text("1 of 36 (3%).", real=None) == "[c] of [c] ([c]%)."
