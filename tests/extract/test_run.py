"""analysis.extract.run: extract_reports, the public entry point: files and folders in, each
file read on its own (one bad file never stops the rest), the tables written as a whole, and
the ExtractionResult that reports on them.

Where the command may write, and under which lock, is tested in test_extract_output.py.
"""

from __future__ import annotations

import pytest

from analysis import config
from analysis.exceptions import InputDataError
from analysis.extract import extract_reports
from analysis.extract.run import DEFAULT_OUT, REPORT_NAME
from analysis.io.folders import MARK

from .conftest import FIXTURES, extract, write


def test_a_heading_word_is_never_a_unit_and_the_file_is_an_error_kept_apart(tmp_path):
    nameless = write(
        tmp_path / "nameless.txt",
        "An inspection of probation services in\n\nPublished:\n\nForeword (Back to top)\n\n"
        "The region will be disappointed to be rated as 'Inadequate' overall.\n",
    )
    good = FIXTURES / "pdu-press.txt"
    result = extract(nameless, good)
    files = result.files.set_index("file")
    assert files.loc["nameless.txt", "status"] == "error"
    assert (
        "nameless.txt: the report's identity cannot be read" in files.loc["nameless.txt", "message"]
    )
    assert files.loc["pdu-press.txt", "status"] == "ok"
    assert result.reports["unit"].tolist() == ["Testshire PDU"]
    assert result.exit_code == 1


def test_one_bad_file_never_stops_the_rest(seeds, tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "fake.pdf").write_bytes(b"not a pdf at all")
    (tmp_path / "notes.txt").write_text("Shopping list: eggs, milk.\n", encoding="utf-8")
    files = [
        tmp_path / "empty.txt",
        seeds / "003_f44d0456c80d8b57.txt",
        tmp_path / "fake.pdf",
        tmp_path / "notes.txt",
    ]
    result = extract_reports(files, out=tmp_path / "out", progress=False)
    status = result.files.set_index("file")["status"].to_dict()
    assert status == {
        "empty.txt": "error",
        "003_f44d0456c80d8b57.txt": "ok",
        "fake.pdf": "error",
        "notes.txt": "error",
    }
    assert result.n_failed == 3
    messages = result.files.set_index("file")["message"]
    assert "not a recognised inspection report layout" in messages["notes.txt"]
    assert len(result.ratings) == 8
    report = (tmp_path / "out" / "extraction-report.md").read_text()
    for name in ("empty.txt", "fake.pdf", "notes.txt"):
        assert name in report


def test_folder_input_and_atomic_output(tmp_path):
    out = tmp_path / "extracted"
    result = extract_reports([FIXTURES], out=out, progress=False)
    assert result.n_failed == 0 and len(result.reports) == 8
    written = sorted(p.name for p in out.iterdir())
    assert "extraction-report.md" in written and "prompts.csv" in written
    # no temporary files left; the one hidden file is the folder's mark of who made it
    assert [p for p in written if p.startswith(".")] == [MARK]
    assert "ExtractionResult: 8 file(s)" in repr(result)


def test_worker_processes_give_the_same_tables_in_input_order():
    one = extract_reports([FIXTURES], write=False, progress=False, jobs=1)
    two = extract_reports([FIXTURES], write=False, progress=False, jobs=2)
    for name, frame in one.tables.items():
        other = two.tables[name]
        if name == "files":
            frame, other = frame.drop(columns="seconds"), other.drop(columns="seconds")
        assert frame.equals(other), name


def test_text_that_reaches_a_table_is_formula_escaped_and_read_back_as_written(tmp_path):
    from analysis.data.extracted import read_extracted

    hostile = (
        (FIXTURES / "pdu-press.txt")
        .read_text(encoding="utf-8")
        .replace(
            "Testshire Probation Delivery Unit (PDU) has received",
            "=HYPERLINK(1) Testshire Probation Delivery Unit (PDU) has received",
        )
    )
    raw = tmp_path / "raw"
    result = extract_reports(
        [write(tmp_path / "hostile.txt", hostile)], out=raw / "extracted", progress=False
    )
    sentence = result.ratings["source_text"].iloc[0]
    assert sentence.startswith("=HYPERLINK(1)")
    written = (raw / "extracted" / "ratings.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in written and ",=HYPERLINK" not in written
    tables, _, problems = read_extracted(raw, set())
    assert problems == []
    assert tables["extracted_ratings"]["source_text"].iloc[0] == sentence


def test_no_report_files_is_an_error_naming_where_it_looked(tmp_path):
    (tmp_path / "notes.docx").write_bytes(b"PK")
    with pytest.raises(InputDataError, match=r"No report files found in .*; expected files"):
        extract_reports([tmp_path], write=False, progress=False)
    with pytest.raises(InputDataError, match=r"\(nothing given\)"):
        extract_reports([], write=False, progress=False)


def test_jobs_below_one_is_refused():
    with pytest.raises(InputDataError, match="jobs must be at least 1, got 0"):
        extract_reports([FIXTURES / "pdu-press.txt"], write=False, progress=False, jobs=0)


def test_a_folder_is_searched_for_report_files_only(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "release.TXT").write_bytes((FIXTURES / "pdu-press.txt").read_bytes())
    (tmp_path / "notes.docx").write_bytes(b"PK")
    result = extract(tmp_path)
    assert result.files["file"].tolist() == ["release.TXT"]
    assert result.files["path"].tolist() == [str(tmp_path / "sub" / "release.TXT")]


def test_the_result_reports_on_its_tables_and_is_not_written_when_asked(tmp_path):
    result = extract(FIXTURES / "pdu-press.txt")
    assert result.out_dir is None and result.exit_code == 0 and result.n_failed == 0
    assert result.n_conflicts == 0
    assert result.reports is result.tables["reports"]
    with pytest.raises(AttributeError):
        result.no_such_table  # noqa: B018
    text = repr(result)
    assert text.startswith("<ExtractionResult: 1 file(s) (1 ok); 1 report(s)>")
    assert "  ratings: 1 rows" in text and text.endswith("  not written")


def test_a_page_that_is_not_a_report_is_skipped_with_what_it_is(tmp_path):
    page = write(tmp_path / "annual.txt", "Skip to content\n\nOur annual report 2031\n")
    (row,) = extract(page).files.to_dict("records")
    assert (row["status"], row["layout"], row["kind"]) == ("skipped", "not-a-report", "txt")
    assert row["message"] == f"{page}: not an inspection report of a unit (an annual report)"


def test_an_unexpected_failure_in_a_reader_is_that_file_s_error(tmp_path, monkeypatch):
    from analysis.extract import layouts

    def broken(doc):
        raise RuntimeError("boom")

    monkeypatch.setitem(layouts.LAYOUTS, "pdu-press", broken)
    path = FIXTURES / "pdu-press.txt"
    result = extract(path, FIXTURES / "spotlight-web.html")
    files = result.files.set_index("file")
    assert files.loc["pdu-press.txt", "message"] == (
        f"{path}: could not be extracted (RuntimeError: boom)"
    )
    assert files.loc["spotlight-web.html", "status"] == "ok" and result.exit_code == 1


def test_nothing_is_written_when_every_file_failed(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    result = extract_reports([tmp_path / "empty.txt"], out=out, progress=False)
    assert result.out_dir is None and result.n_failed == 1
    assert not (out / REPORT_NAME).exists()


def test_the_default_folder_is_data_raw_extracted():
    assert DEFAULT_OUT == config.RAW_DIR / "extracted"
