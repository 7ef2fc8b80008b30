"""Reading files: PDFs made here from text, web pages, and every kind of broken input."""

from __future__ import annotations

import pytest

from analysis.extract import UnreadableFileError, extract_reports, read_document

_VALUE_COLUMNS = {
    "ratings": ["report_id", "standard", "rating", "score", "max_score", "rule_rating"],
    "key_questions": ["report_id", "key_question", "pct_yes", "n"],
    "figures": ["report_id", "measure_id", "value", "denominator", "approximate"],
    "prompts": ["report_id", "standard", "area", "quantity_text", "n", "n_relevant", "direction"],
}


def test_pdf_made_from_the_york_text_gives_the_same_values(seeds, york_pdf):
    text = extract_reports([seeds / "003_f44d0456c80d8b57.txt"], write=False, progress=False)
    pdf = extract_reports([york_pdf], write=False, progress=False)
    assert pdf.files["kind"].tolist() == ["pdf"]
    for table, columns in _VALUE_COLUMNS.items():
        a = text.tables[table][columns].reset_index(drop=True)
        b = pdf.tables[table][columns].reset_index(drop=True)
        assert len(a) > 0
        assert a.equals(b), table
    assert pdf.figures["location"].str.match(r"page \d+, line \d+").all()
    assert pdf.reports["sha256"].iloc[0] != text.reports["sha256"].iloc[0]


def test_text_and_pdf_of_one_report_are_one_report_without_conflicts(seeds, york_pdf):
    both = extract_reports(
        [seeds / "003_f44d0456c80d8b57.txt", york_pdf], write=False, progress=False
    )
    assert len(both.reports) == 1
    assert both.reports["other_sources"].iloc[0] == york_pdf.name
    assert both.files["status"].tolist() == ["ok", "duplicate"]
    assert len(both.conflicts) == 0


def test_conflicting_values_between_two_copies_are_listed_not_merged(seeds, tmp_path):
    text = (seeds / "003_f44d0456c80d8b57.txt").read_text(encoding="utf-8")
    changed = text.replace(
        "Does planning focus sufficiently on keeping other people safe?\t35%",
        "Does planning focus sufficiently on keeping other people safe?\t45%",
    )
    assert changed != text
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(changed, encoding="utf-8")
    result = extract_reports([tmp_path / "a.txt", tmp_path / "b.txt"], write=False, progress=False)
    kq = result.conflicts[result.conflicts["table"] == "key_questions"]
    assert kq["item"].tolist() == ["planning_keeping_safe"]
    assert kq["value_kept"].iloc[0].startswith("(35.0") and kq["file_other"].iloc[0] == "b.txt"
    kept = result.key_questions.set_index("key_question").loc["planning_keeping_safe", "pct_yes"]
    assert kept == 35


def test_encrypted_pdf_is_a_clear_error(tmp_path, make_pdf):
    path = make_pdf(
        "An inspection of probation services in:\nYork PDU", tmp_path / "locked.pdf", encrypt=True
    )
    with pytest.raises(UnreadableFileError, match=r"locked\.pdf: the PDF is encrypted"):
        read_document(path)


def test_pdf_without_text_layer_is_a_clear_error(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a page that is only a picture
    pdf.output(str(tmp_path / "scan.pdf"))
    with pytest.raises(UnreadableFileError, match=r"scan\.pdf: the PDF has no text layer"):
        read_document(tmp_path / "scan.pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", r"empty\.txt: the file is empty"),
        ("blank.pdf", b"  \n", r"blank\.pdf: the file is empty"),
        ("picture.pdf", b"\x89PNG\r\n\x1a\n\x00\x00\x00", r"picture\.pdf: the name ends in \.pdf"),
        ("binary.txt", b"abc\x00\x01\x02", r"binary\.txt: looks like a binary file"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog", r"broken\.pdf: the PDF"),
        ("report.docx", b"PK\x03\x04", r"report\.docx: unsupported file type"),
    ],
)
def test_broken_inputs_are_clear_errors_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=message):
        read_document(path)


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


def test_crlf_and_windows_1252_text_is_read(tmp_path):
    text = "An inspection of probation services in:\r\n\r\nTest PDU\r\nCaf\xe9 \u2013 note\r\n"
    path = tmp_path / "w.txt"
    path.write_bytes(text.encode("cp1252"))
    doc = read_document(path)
    assert doc.lines[:4] == (
        "An inspection of probation services in:",
        "",
        "Test PDU",
        "Café – note",
    )
