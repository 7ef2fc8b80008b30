"""analysis.extract.readers: report files (.txt, .pdf, .html) read into normalised lines that
remember where they were; every kind of broken input a clear error naming the file."""

from __future__ import annotations

import hashlib

import pytest

from analysis.extract import UnreadableFileError, extract_reports, read_document
from analysis.extract.readers import SUFFIXES, Document

from .conftest import FIXTURES, extract

WEB = (FIXTURES / "pdu-web.html").read_text(encoding="utf-8")
PRESS = (FIXTURES / "pdu-press.txt").read_text(encoding="utf-8")

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
        ("README", b"text", r"README: unsupported file type '\(none\)'"),
        ("code.html", b"<script>var x = 1;</script>", r"code\.html: holds no text once read"),
    ],
)
def test_broken_inputs_are_clear_errors_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFileError, match=message):
        read_document(path)


def test_the_suffixes_read():
    assert SUFFIXES == (".txt", ".pdf", ".html", ".htm")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(UnreadableFileError, match=r"gone\.txt: no such file\."):
        read_document(tmp_path / "gone.txt")


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


def test_a_text_file_keeps_its_hash_kind_and_a_line_per_line(tmp_path):
    data = "\ufeffTitle\fSecond page\nlast\n".encode()
    path = tmp_path / "r.txt"
    path.write_bytes(data)
    doc = read_document(path)
    assert (doc.kind, doc.sha256) == ("txt", hashlib.sha256(data).hexdigest())
    # the byte-order mark is dropped and a form feed starts a line
    assert doc.lines == ("Title", "Second page", "last", "")
    assert doc.pages == (None,) * 4 and doc.addresses == () and doc.notes == ()


def test_a_web_page_becomes_lines_cells_and_bullets_without_code(tmp_path):
    page = (
        '<html><head><link rel="canonical" href=" https://a.example/doc/x-2025/ ">'
        '<meta property="og:url" content="https://b.example/y"><style>p { }</style></head>'
        "<body><h1>Title</h1><p>One &amp; two</p><script>var s = 1;</script>"
        "<ul><li>first</li></ul><table><tr><td>a</td><td> b </td></tr></table></body></html>"
    )
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    doc = read_document(path)
    assert doc.kind == "html"
    assert doc.lines == ("Title", "", "One & two", "", "\u2022 first", "", "a\tb", "")
    assert doc.addresses == ("https://a.example/doc/x-2025/", "https://b.example/y")


def test_location_and_line_of_point_at_the_source():
    doc = Document(
        path=FIXTURES / "x.pdf",
        kind="pdf",
        sha256="0" * 64,
        lines=("first", "second", "third"),
        pages=(1, 1, 2),
    )
    assert [doc.location(i) for i in range(3)] == [
        "page 1, line 1",
        "page 1, line 2",
        "page 2, line 3",
    ]
    assert doc.location(7) == "line 8"  # beyond the pages known: the line alone
    assert doc.text == "first\nsecond\nthird"
    assert [doc.line_of(doc.text.index(w)) for w in ("first", "second", "third")] == [0, 1, 2]


def test_an_unclosed_script_does_not_drop_the_tables(tmp_path):
    page = WEB.replace('<script>var x = "Score 9/21";</script>', '<script>var x = "Score 9/21";')
    path = tmp_path / "unclosed.html"
    path.write_text(page, encoding="utf-8")
    result = extract(path)
    assert len(result.ratings) == 8 and len(result.key_questions) == 6
    assert result.warnings["warning"].str.contains("unclosed <script>").any()


def test_one_stray_byte_does_not_lose_the_region(tmp_path):
    data = PRESS.encode("utf-8").replace(b"Leaders in Testshire", b"Leaders \xff in Testshire", 1)
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    result = extract(path)
    assert result.reports["region"].tolist() == ["North East"]
    assert result.warnings["warning"].str.contains("not UTF-8").any()


def test_a_stray_byte_is_replaced_and_noted_with_its_line(tmp_path):
    path = tmp_path / "stray.txt"
    # two en dashes in UTF-8 outnumber the one stray byte: the file is UTF-8 with a flaw
    path.write_bytes("Title – one – two\nsecond ".encode() + b"\xff" + b" line\n")
    doc = read_document(path)
    assert doc.lines[:2] == ("Title – one – two", "second \ufffd line")
    assert doc.notes == (
        "1 byte(s) that are not UTF-8 (first at line 2) were replaced by '\ufffd'; the rest of "
        "the file was read as UTF-8",
    )


def test_as_many_stray_bytes_as_utf_8_characters_is_read_as_windows_1252(tmp_path):
    path = tmp_path / "w.txt"
    path.write_bytes("Title – one\n".encode() + b"caf\xe9\n")
    doc = read_document(path)
    assert doc.lines[:2] == ("Title \u00e2\u20ac\u201c one", "café") and doc.notes == ()
