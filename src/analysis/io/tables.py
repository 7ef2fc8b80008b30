"""Reading table files' bytes and workbooks: the rules every command applies the same way.

The build (``data/ingest.py``) and ``analysis rate`` (``ratings/_cells.py``) read CSV and
Excel files through these functions, so the same bad file gives the same words from both:

- :func:`decode_csv` — UTF-8 (with or without a byte-order mark) only; a UTF-16 file (Excel's
  "Unicode text", with either byte-order mark) is named as such; other bytes name the byte and
  line and the likely Windows-1252 export; a NUL byte names its line.
- :func:`separator_problem` — a header that is one cell holding semicolons or tabs (a regional
  Excel export).
- :class:`CsvRecords` — the one CSV reader: a file's records that hold a value, numbered,
  streamed a line at a time (a large file is never held whole); its :meth:`~CsvRecords.header`
  names an empty, blank or separators-only file, and a file that is not clean UTF-8 CSV is
  named, wherever reading stops, in :func:`decode_csv`'s words (or where a quote is left open).
- :func:`open_workbook` — a password-protected (encrypted) workbook, an old ``.xls`` saved as
  ``.xlsx`` and a damaged file are named; :func:`visible_sheets` skips hidden sheets, so a
  hidden first sheet is never read in place of the visible data; and
  :func:`second_sheet_problem` refuses a workbook where another visible sheet also holds data
  (which table is meant cannot be known; hiding the other sheet is enough).
- :func:`read_sheet` — the one sheet that is read, its cells as Excel shows them (a number
  formatted as a percentage, stored 0.7, is the text ``'70.0%'``), and one policy for what
  the grid hides: a hidden sheet or hidden rows are a warning, merged cells below the header
  and a formula without a saved result are errors (:meth:`Sheet.problems`).

Each problem is a :class:`TableProblem` holding a check name, the line and value where known,
and the sentence saying what was expected; each caller turns it into its own output (a row of
the build's failure table, an :class:`~analysis.exceptions.InputDataError` for ``rate``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .numbers import percent_cell_text

__all__ = [
    "TableProblem",
    "decode_csv",
    "separator_problem",
    "CsvRecords",
    "csv_file_problem",
    "open_workbook",
    "visible_sheets",
    "second_sheet_problem",
    "Sheet",
    "read_sheet",
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
    column: int | None = None
    """0-based column of the cell, where the problem is one cell's."""
    severity: str = "error"
    """``error`` (the table is not used) or ``warning`` (it is used; the user should check)."""

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


EMPTY = "a header row and data rows; the file"


class _NotClean(Exception):
    """Streaming stopped: the file is not clean UTF-8 CSV (its problem is worded from it whole)."""


class CsvRecords:
    r"""The records of a CSV file that hold a value, as ``(record number, cells)``, streamed.

    Records are numbered from 1 as a spreadsheet numbers rows (a quoted cell spanning lines is
    one record); a record whose cells are all blank is skipped, keeping the numbers of the
    others. Iterating raises :class:`TableProblem` when the file turns out not to be clean
    UTF-8 CSV, at whatever point (:func:`csv_file_problem`). Close it, or use it in ``with``.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = path.write_text("unit,n\n\nYork,20\n", encoding="utf-8")
    >>> with CsvRecords(path) as records:
    ...     records.header(), list(records)
    ((1, ['unit', 'n']), [(3, ['York', '20'])])
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._binary = self.path.open("rb")  # noqa: SIM115 - closed by close()
        self._text = io.TextIOWrapper(self._binary, encoding="utf-8-sig", newline="")
        self.ends_with_newline = True
        """Whether the last line read ends with a line break (a file cut short does not)."""
        self._holds_text = False
        self._records = self._numbered()

    def _lines(self):
        for line in self._text:
            if "\x00" in line:
                raise _NotClean
            self._holds_text = self._holds_text or bool(line.strip())
            self.ends_with_newline = line.endswith("\n")
            yield line

    def _numbered(self):
        try:
            for number, record in enumerate(csv.reader(self._lines(), strict=True), start=1):
                if any(cell.strip() for cell in record):
                    yield number, record
        except (UnicodeDecodeError, csv.Error, _NotClean):
            raise csv_file_problem(self.path) from None

    def __iter__(self):
        return self._records

    def header(self) -> tuple[int, list[str]]:
        """The first record holding a value, checked for another separator; raise
        :class:`TableProblem` for a file with none (empty, blank, only separators)."""
        for line, header in self._records:
            problem = separator_problem(header, line)
            if problem is not None:
                raise problem
            return line, header
        if self._binary.tell() == 0 and not self._holds_text:
            raise TableProblem("file_not_empty", f"{EMPTY} is empty (0 bytes)")
        what = "separators and no values" if self._holds_text else "blank space"
        raise TableProblem("file_not_empty", f"{EMPTY} holds only {what}")

    def tell(self) -> int:
        """Bytes read so far (for a progress bar)."""
        return self._binary.tell()

    def close(self) -> None:
        self._text.close()

    def __enter__(self) -> CsvRecords:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def csv_file_problem(path: Path) -> TableProblem:
    """Why a CSV file cannot be read, from its whole bytes: :func:`decode_csv`'s words for the
    encoding or a NUL byte (byte and line), else where the CSV syntax breaks."""
    try:
        text = decode_csv(Path(path).read_bytes())
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except TableProblem as problem:
        return problem
    except csv.Error as err:
        return TableProblem(
            "csv_syntax",
            f"well-formed CSV; the reader stopped with '{err}' (a quote is not closed: the "
            "file may be truncated)",
        )
    return TableProblem("csv_syntax", "well-formed CSV; the file changed while it was read")


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


@dataclass(frozen=True)
class Sheet:
    """The one sheet of a workbook that is read, as the user sees it in Excel.

    ``rows[i]`` is spreadsheet row ``i + 1``. A cell holds its saved value (None when empty), a
    number formatted as a percentage is the text Excel shows (``'70.0%'``). What the grid
    hides is kept for :meth:`problems`: hidden sheets, hidden rows, merged ranges, and
    formulas with no saved result (``formulas[(row, column)]``, row 1-based, column 0-based).
    """

    title: str
    rows: list[list[object]]
    hidden_sheets: tuple[str, ...] = ()
    hidden_rows: tuple[int, ...] = ()
    merged: tuple[tuple[int, str], ...] = ()
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)

    def problems(self, header_row: int) -> list[TableProblem]:
        """What the user should know about the table whose header is spreadsheet row
        ``header_row``: warnings first, then errors in row order."""
        found = []
        if self.hidden_sheets:
            names = ", ".join(repr(h) for h in self.hidden_sheets)
            found.append(
                TableProblem(
                    "hidden_sheet",
                    f"visible sheets only; hidden sheet(s) {names} were not read",
                    severity="warning",
                )
            )
        below = [r for r in self.hidden_rows if r > header_row]
        if below:
            shown = ", ".join(str(r) for r in below[:10]) + (", ..." if len(below) > 10 else "")
            found.append(
                TableProblem(
                    "hidden_rows",
                    f"every row shown; row(s) {shown} are hidden in Excel and were read as data. "
                    "Unhide them to check them, and delete any that are not data",
                    below[0],
                    severity="warning",
                )
            )
        for first_row, cells in self.merged:
            if first_row > header_row or _last_row(cells) > header_row:
                found.append(
                    TableProblem(
                        "merged_cells",
                        f"one value per cell; cells {cells} are merged. Unmerge them and fill "
                        "every cell",
                        first_row,
                        cells,
                    )
                )
        for (row, column), formula in sorted(self.formulas.items()):
            if row > header_row:
                found.append(
                    TableProblem(
                        "formula_value",
                        "a value; the cell holds a formula with no saved result. Open and save "
                        "the workbook in Excel, or paste values",
                        row,
                        formula,
                        column,
                    )
                )
        warnings = [p for p in found if p.severity == "warning"]
        errors = [p for p in found if p.severity != "warning"]
        return warnings + sorted(errors, key=lambda p: p.line)  # every error names its row


def _last_row(cells: str) -> int:
    from openpyxl.utils.cell import range_boundaries

    return range_boundaries(cells)[3]


def read_sheet(path: Path) -> Sheet:
    """The one visible sheet of an .xlsx workbook holding data, with what its grid hides.

    Raises :class:`TableProblem` when the workbook cannot be opened, has no visible sheet, has
    a second visible sheet holding data, or has an empty visible sheet beside hidden ones (the
    table was hidden: reading it as empty would lose it).
    """
    values = open_workbook(path, data_only=True)
    shown, hidden = visible_sheets(values)
    if not shown:
        raise TableProblem("xlsx_readable", "a workbook with a visible sheet; none is")
    problem = second_sheet_problem(shown)
    if problem is not None:
        raise problem
    ws = shown[0]
    rows = [[_shown_value(c) for c in r] for r in ws.iter_rows()]
    if hidden and not any(v is not None for row in rows for v in row):
        names = ", ".join(repr(h) for h in hidden)
        raise TableProblem(
            "hidden_sheet",
            f"the table on a visible sheet; sheet {ws.title!r} is empty and hidden sheet(s) "
            f"{names} were not read. Unhide the sheet that holds the table",
        )
    empty_formulas = [
        (i, j) for i, row in enumerate(rows, start=1) for j, v in enumerate(row) if v is None
    ]
    formulas = {}
    if empty_formulas:  # an empty cell may be a formula whose result was never saved
        wf = open_workbook(path, data_only=False)[ws.title]
        for i, j in empty_formulas:
            text = wf.cell(row=i, column=j + 1).value
            if isinstance(text, str) and text.startswith("="):
                formulas[(i, j)] = text
    merged = sorted((m.min_row, str(m)) for m in ws.merged_cells.ranges)
    hidden_rows = tuple(
        sorted(r for r, d in ws.row_dimensions.items() if d.hidden and r <= len(rows))
    )
    return Sheet(ws.title, rows, tuple(hidden), hidden_rows, tuple(merged), formulas)


def _shown_value(cell):
    """A cell's value as Excel shows it where the format changes the meaning.

    A number formatted as a percentage (stored 0.7, shown 70%) becomes the text ``'70.0%'``,
    so that a percentage column reads 70 and any other column reports it.
    """
    value = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in fmt:
        return percent_cell_text(value)
    return value
