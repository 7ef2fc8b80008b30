"""Cells of a CSV (UTF-8) or Excel (.xlsx) file as text, with their spreadsheet row numbers.

Refuses, with a message naming the file, what cannot be read as such a table: a folder, a
missing file or broken link, a named pipe, an Office lock file, old Excel formats, a workbook
with a .csv name, non-UTF-8 text, NUL bytes, malformed CSV, an empty or header-only file.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from ..exceptions import InputDataError, InputDataWarning
from ..io.tables import CsvRecords, TableProblem, read_sheet

__all__ = ["read_cells", "too_wide"]


def read_cells(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the data rows (with their spreadsheet row numbers) of a CSV or .xlsx.

    A workbook's hidden sheets or hidden rows are an :class:`InputDataWarning`; its merged
    cells below the header, or a formula with no saved result, an error: the build's rules
    (:meth:`analysis.io.tables.Sheet.problems`), in its words.
    """
    if path.is_symlink() and not path.exists():
        raise InputDataError(f"{path}: a symbolic link whose target is missing or loops.")
    if path.is_dir():
        raise InputDataError(f"{path}: is a folder, not a file; give a CSV or .xlsx file.")
    if not path.exists():
        raise InputDataError(f"{path}: no such file.")
    if not path.is_file():
        raise InputDataError(
            f"{path}: not a regular file (a named pipe, socket or device); give a CSV or .xlsx file."
        )
    suffix = path.suffix.lower()
    if path.name.startswith("~$"):
        raise InputDataError(
            f"{path}: an Office lock file (the workbook is open in Excel); give the workbook itself."
        )
    if suffix in (".xls", ".ods", ".numbers"):
        raise InputDataError(f"{path}: {suffix} files are not read; save it as .xlsx or CSV UTF-8.")
    try:
        with path.open("rb") as stream:
            head = stream.read(4)
        if suffix in (".xlsx", ".xlsm"):
            numbered = _xlsx_rows(path)
        else:
            if head == b"PK\x03\x04":
                raise InputDataError(
                    f"{path}: looks like an Excel workbook with a {suffix or 'missing'} "
                    "extension; rename it to .xlsx."
                )
            numbered = _csv_rows(path)
    except OSError as err:
        raise InputDataError(f"{path}: cannot be read ({err.strerror or err}).") from None
    if not numbered:
        raise InputDataError(f"{path}: the file is empty; it needs a header row and data rows.")
    (_, header), body = numbered[0], numbered[1:]
    if not any(_holds_a_value(cells) for _, cells in body):
        raise InputDataError(f"{path}: the file has a header only; add one row per key question.")
    return header, body


def _refuse(path: Path, problem: TableProblem) -> InputDataError:
    """The same words as the build's failure table: FILE[, line N]: expected EXPECTED."""
    where = f"{path}, line {problem.line}" if problem.line else str(path)
    return InputDataError(f"{where}: expected {problem.expected}.")


def too_wide(found: int, width: int) -> str:
    """What is wrong with a row of ``found`` values, some beyond the header's ``width`` columns."""
    return (
        f"{found} values but the header has {width} columns (a stray comma? a decimal comma "
        "such as 12,9 must be written 12.9)"
    )


def _from_header(rows: list[list[str]]) -> list[tuple[int, list[str]]]:
    """The rows with their spreadsheet row numbers, from the first holding a value (the header)."""
    numbered = list(enumerate(rows, start=1))
    start = next((i for i, (_, cells) in enumerate(numbered) if _holds_a_value(cells)), None)
    return [] if start is None else numbered[start:]


def _holds_a_value(cells: list[str]) -> bool:
    return any(c.strip() for c in cells)


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The numbered rows holding a value, header first, read as the build reads a CSV
    (:class:`~analysis.io.tables.CsvRecords`); a row with a value beyond the header's columns
    is refused (empty cells beyond them, as Excel may save, are not)."""
    try:
        with CsvRecords(path) as records:
            header_line, header = records.header()
            rows = [(header_line, header), *records]
    except TableProblem as problem:
        raise _refuse(path, problem) from None
    width = len(header)
    for line, cells in rows[1:]:
        if _holds_a_value(cells[width:]):
            raise InputDataError(f"{path}, row {line}: {too_wide(len(cells), width)}.")
    return rows


def _xlsx_rows(path: Path) -> list[tuple[int, list[str]]]:
    try:
        sheet = read_sheet(path)
    except TableProblem as problem:
        raise _refuse(path, problem) from None
    numbered = _from_header([[_text(v) for v in row] for row in sheet.rows])
    if not numbered:
        return numbered
    header_line, header = numbered[0]
    for problem in sheet.problems(header_row=header_line):
        where = f"{path}, row {problem.line}" if problem.line else str(path)
        if problem.column is not None:
            where += f", column {header[problem.column] or problem.column + 1}"
        message = f"{where}: expected {problem.expected}" + (
            f" (found {problem.value})." if problem.value else "."
        )
        if problem.severity == "warning":
            warnings.warn(message, InputDataWarning, stacklevel=4)
        else:
            raise InputDataError(message)
    return numbered


def _text(value) -> str:
    """A cell as text: percent-formatted numbers as shown (:func:`~analysis.io.tables.read_sheet`),
    other numbers as stored."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return f"{value:.15g}"
    return str(value)
