"""Read report files (.txt, .pdf, .html) into normalised lines that remember where they were.

PDF text comes from pypdfium2 (chosen over pypdf and pdfplumber on accuracy and speed, see
docs/extraction.md). Every reader checks the file first and raises
:class:`~analysis.extract.errors.UnreadableFileError` naming the file when it is empty,
encrypted, not what its name says, or a PDF without a text layer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser
from pathlib import Path

from ._text import normalise_lines, split_lines
from .errors import UnreadableFileError

__all__ = ["Document", "read_document", "SUFFIXES", "pdf_text"]

SUFFIXES = (".txt", ".pdf", ".html", ".htm")
"""File name endings that :func:`read_document` reads."""


@dataclass(frozen=True)
class Document:
    """A report's text as normalised lines, with each line's page (PDF) and the file's hash."""

    path: Path
    kind: str
    sha256: str
    lines: tuple[str, ...]
    pages: tuple[int | None, ...]
    addresses: tuple[str, ...] = ()
    """The page's own address where a saved web page keeps it (canonical link, ``og:url``)."""
    notes: tuple[str, ...] = ()
    """What reading had to repair (undecodable bytes, an unclosed ``<script>``); warnings."""

    @cached_property
    def text(self) -> str:
        """All lines joined with newlines (line ``i`` starts after ``i`` newlines)."""
        return "\n".join(self.lines)

    def location(self, index: int) -> str:
        """Human-readable location of line ``index`` (0-based): ``page 4, line 120`` or ``line 120``."""
        page = self.pages[index] if 0 <= index < len(self.pages) else None
        return f"page {page}, line {index + 1}" if page else f"line {index + 1}"

    def line_of(self, offset: int) -> int:
        """0-based line index of a character offset into :attr:`text`."""
        return self.text.count("\n", 0, offset)


_MAX_BAD_BYTES = 16
"""Undecodable bytes tolerated in an otherwise UTF-8 file (replaced, with a warning)."""


def _decode(data: bytes, path: Path) -> tuple[str, tuple[str, ...]]:
    if b"\x00" in data[:4096]:
        raise UnreadableFileError(
            f"{path}: looks like a binary file, not text (it holds NUL bytes); "
            "expected a report saved as plain text (.txt), a PDF or a web page (.html)."
        )
    try:
        return data.decode("utf-8-sig"), ()
    except UnicodeDecodeError as err:
        first = err.start
    # a UTF-8 file with a stray byte or two keeps its UTF-8 text (an en dash read as
    # Windows-1252 would become 'â€“' and lose the region); a Windows-1252 file has many
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8-sig", errors="ignore").count("\ufffd")
    multibyte = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]", data))
    if bad <= _MAX_BAD_BYTES and multibyte > bad:
        line = data.count(b"\n", 0, first) + 1
        return text, (
            f"{bad} byte(s) that are not UTF-8 (first at line {line}) were replaced by "
            "'\ufffd'; the rest of the file was read as UTF-8",
        )
    try:
        return data.decode("cp1252"), ()
    except UnicodeDecodeError:
        raise UnreadableFileError(f"{path}: not UTF-8 or Windows-1252 text.") from None


def pdf_text(path: Path, data: bytes) -> list[str]:
    """Text of each page of a PDF with pypdfium2; raises :class:`UnreadableFileError` with a reason."""
    import pypdfium2 as pdfium

    if not data.lstrip()[:5] == b"%PDF-":
        raise UnreadableFileError(
            f"{path}: the name ends in .pdf but the file is not a PDF (it does not start with "
            "'%PDF-'); expected a PDF report as downloaded from the Inspectorate."
        )
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise UnreadableFileError(
                f"{path}: the PDF is encrypted (password protected); save an unprotected copy "
                "or the report's text and extract that."
            ) from err
        raise UnreadableFileError(
            f"{path}: the PDF is damaged and cannot be read ({err})."
        ) from err
    try:
        pages = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    except pdfium.PdfiumError as err:
        raise UnreadableFileError(
            f"{path}: the PDF is damaged and cannot be read ({err})."
        ) from err
    finally:
        doc.close()
    if not any(p.strip() for p in pages):
        raise UnreadableFileError(
            f"{path}: the PDF has no text layer ({len(pages)} page(s) of images only); run it "
            "through OCR first, or use the report's web page (.html) instead."
        )
    return pages


class _HTMLText(HTMLParser):
    _BLOCK = frozenset(
        "p div h1 h2 h3 h4 h5 h6 li tr br section article header footer table ul ol "
        "main nav aside figure figcaption caption dt dd blockquote".split()
    )
    _SKIP = frozenset("script style noscript svg head template".split())

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.addresses: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v for k, v in attrs if v}
        if tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self.addresses.append(a["href"].strip())
        elif tag == "meta" and a.get("property", a.get("name", "")).lower() == "og:url":
            if a.get("content"):
                self.addresses.append(a["content"].strip())
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("  \u2022 ")
        elif tag in ("td", "th"):
            self.parts.append("\t")

    def handle_endtag(self, tag):
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(re.sub(r"\s+", " ", data))


_UNCLOSED = re.compile(r"<(script|style)\b[^>]*>", re.I)


def _unclosed(text: str) -> tuple[str, str] | None:
    """The first ``<script>``/``<style>`` with no closing tag, as (tag, text after it), else None."""
    lower = text.lower()
    for m in _UNCLOSED.finditer(text):
        if lower.find(f"</{m[1].lower()}", m.end()) < 0:
            return m[1].lower(), text[: m.start()] + text[m.end() :]
    return None


def _html_lines(text: str) -> tuple[list[str], list[str], list[str]]:
    notes = []
    broken = _unclosed(text)
    if broken:
        # an unclosed <script> would swallow the rest of the page (tables included) as code
        line = text.count("\n", 0, text.lower().find(f"<{broken[0]}")) + 1
        notes.append(
            f"an unclosed <{broken[0]}> at line {line}: the text after it was read as page "
            "text, not dropped"
        )
        text = broken[1]
    parser = _HTMLText()
    parser.feed(text)
    parser.close()
    lines = [re.sub(r" *\t *", "\t", line).strip(" ") for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:  # collapse runs of blank lines
        if line.strip() or (out and out[-1].strip()):
            out.append(line.lstrip("\t") if not line.strip("\t ") == "" else "")
    return out, parser.addresses, notes


def read_document(path: str | Path) -> Document:
    """Read one report file into a :class:`Document`.

    Parameters
    ----------
    path : str or Path
        A ``.txt``, ``.pdf`` or ``.html``/``.htm`` file.

    Raises
    ------
    UnreadableFileError
        Missing, empty, binary where text is expected, not a PDF, encrypted PDF, PDF without
        text, or an unsupported file type; the message names the file.
    """
    path = Path(path)
    if not path.exists():
        raise UnreadableFileError(f"{path}: no such file.")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UnreadableFileError(
            f"{path}: unsupported file type {suffix or '(none)'!r}; expected one of "
            f"{', '.join(SUFFIXES)}."
        )
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UnreadableFileError(f"{path}: cannot be read ({err.strerror or err}).") from err
    if not data.strip():
        raise UnreadableFileError(f"{path}: the file is empty; expected the text of a report.")
    sha = hashlib.sha256(data).hexdigest()
    pages: list[int | None]
    addresses: list[str] = []
    notes: tuple[str, ...] = ()
    if suffix == ".pdf":
        lines, pages = [], []
        for number, page in enumerate(pdf_text(path, data), start=1):
            page_lines = split_lines(page)
            lines += page_lines
            pages += [number] * len(page_lines)
        kind = "pdf"
    else:
        text, notes = _decode(data, path)
        if suffix == ".txt":
            lines = split_lines(text.replace("\f", "\n"))
            kind = "txt"
        else:
            lines, addresses, html_notes = _html_lines(text)
            notes = (*notes, *html_notes)
            kind = "html"
        pages = [None] * len(lines)
    clean = normalise_lines(lines)
    if not any(line.strip() for line in clean):
        raise UnreadableFileError(f"{path}: holds no text once read; expected a report.")
    return Document(path, kind, sha, tuple(clean), tuple(pages), tuple(addresses), notes)
