"""Reading table files' bytes and workbooks: the rules every command applies the same way.

The build (``data/ingest.py``) and ``analysis rate`` (``ratings/_cells.py``) read CSV and
Excel files through these functions, so the same bad file gives the same words from both:

- :func:`decode_csv` — UTF-8 (with or without a byte-order mark) only; a UTF-16 file (Excel's
  "Unicode text", with either byte-order mark) is named as such; other bytes name the byte and
  line and the likely Windows-1252 export; a NUL byte names its line.
- :func:`separator_problem` — a header that is one cell holding semicolons or tabs (a regional
  Excel export).
- :func:`open_workbook` — a password-protected (encrypted) workbook, an old ``.xls`` saved as
  ``.xlsx`` and a damaged file are named; :func:`visible_sheets` skips hidden sheets, so a
  hidden first sheet is never read in place of the visible data; and
  :func:`second_sheet_problem` refuses a workbook where another visible sheet also holds data
  (which table is meant cannot be known; hiding the other sheet is enough).

Each problem is a :class:`TableProblem` holding a check name, the line and value where known,
and the sentence saying what was expected; each caller turns it into its own output (a row of
the build's failure table, an :class:`~analysis.exceptions.InputDataError` for ``rate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "TableProblem",
    "decode_csv",
    "separator_problem",
    "open_workbook",
    "visible_sheets",
    "second_sheet_problem",
]

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""The signature of an OLE2 compound file: an encrypted .xlsx, or an Excel 97-2003 workbook."""


@dataclass
class TableProblem(Exception):
    """A table file that cannot be read as it is: the check, where, and what was expected."""

    check: str
    expected: str
    line: int | None = None
    value: str | None = None

    def __str__(self) -> str:
        return self.expected


def decode_csv(data: bytes) -> str:
    """The text of a CSV file's bytes; raise :class:`TableProblem` if it is not UTF-8 text."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TableProblem(
            "utf8_encoding",
            "UTF-8 text; the file is UTF-16 (Excel's 'Unicode text'). Save it again as 'CSV UTF-8'",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise TableProblem(
            "utf8_encoding",
            f"UTF-8 text; byte {data[err.start]:#04x} at line {line} is not UTF-8 (the file was "
            "probably saved as Windows-1252 or Latin-1). Save it again as 'CSV UTF-8'",
            line,
            repr(data[err.start : err.start + 1]),
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise TableProblem(
            "control_character",
            f"text without control characters; a NUL byte (U+0000) on line {line} (a damaged "
            "file or an export from another system). Remove it",
            line,
            repr(text.splitlines()[line - 1][:60]),
        )
    return text


def separator_problem(header: list[str], line: int = 1) -> TableProblem | None:
    """A problem when the header is one cell separated by semicolons or tabs, else None."""
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        sep = "semicolons" if ";" in header[0] else "tabs"
        return TableProblem(
            "csv_separator",
            f"values separated by commas; this file separates them with {sep} (a regional "
            "Excel export). Save it again as 'CSV UTF-8 (Comma delimited)'",
            line,
            header[0][:60],
        )
    return None


def open_workbook(path: Path, *, data_only: bool = True):
    """Open an .xlsx workbook with openpyxl; raise :class:`TableProblem` saying why it cannot."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with open(path, "rb") as stream:
            head = stream.read(8)
    except OSError as err:
        raise TableProblem(
            "file_readable", f"a file that can be read; reading it failed: {err.strerror}"
        ) from None
    if head == _OLE2:
        raise TableProblem(
            "xlsx_readable",
            "an .xlsx workbook without a password; this file is password-protected (encrypted), "
            "or an Excel 97-2003 workbook renamed .xlsx. Open it in Excel, remove the password "
            "(File > Info > Protect Workbook > Encrypt with Password) and save it as .xlsx",
        )
    try:
        return load_workbook(path, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as err:
        raise TableProblem(
            "xlsx_readable", f"a readable .xlsx workbook; opening failed: {err}"
        ) from None


def visible_sheets(book) -> tuple[list, list[str]]:
    """The visible worksheets of ``book`` in order, and the titles of the hidden ones."""
    shown = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    hidden = [ws.title for ws in book.worksheets if ws.sheet_state != "visible"]
    return shown, hidden


def second_sheet_problem(shown: list) -> TableProblem | None:
    """A problem when a visible sheet after the first also holds data, else None."""
    others = [
        ws.title
        for ws in shown[1:]
        if any(c.value is not None for row in ws.iter_rows() for c in row)
    ]
    if not others:
        return None
    return TableProblem(
        "first_sheet_only",
        f"one visible sheet holding data; sheet(s) {', '.join(repr(t) for t in others)} also "
        f"hold data besides {shown[0].title!r}, and only one table can be read. Keep the table "
        "on one sheet (hide or delete the others), or save it as 'CSV UTF-8'",
    )
