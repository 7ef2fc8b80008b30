"""Read raw files (CSV, XLSX, parquet) into frames of raw values, reporting problems for people.

Nothing here converts types: every cell comes back as read, with the file's own row numbers, so
that :mod:`analysis.data.build` can parse and validate it and point at the exact cell. Problems that
stop a file being read (empty, not UTF-8, truncated, merged cells, formulas without values) are
returned as failure records, never raised as tracebacks.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..io.numbers import percent_cell_text
from ..io.tables import (
    TableProblem,
    decode_csv,
    open_workbook,
    second_sheet_problem,
    separator_problem,
    visible_sheets,
)
from . import normalise as _n

__all__ = ["RawFile", "read_raw", "SPREADSHEET_ERRORS", "failure", "FAILURE_COLUMNS"]

SUFFIXES = (".csv", ".xlsx", ".parquet")
SPREADSHEET_ERRORS = frozenset(
    {"#N/A", "#N/A N/A", "#NA", "#VALUE!", "#REF!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"}
)
FAILURE_COLUMNS = ["file", "row", "column", "value", "check", "expected", "severity"]


def failure(file, row, column, value, check, expected, severity="error") -> dict:
    """One failure record (a row of the failures table)."""
    return {
        "file": str(file),
        "row": row,
        "column": column,
        "value": None if value is None else str(value),
        "check": check,
        "expected": expected,
        "severity": severity,
    }


@dataclass
class RawFile:
    """A raw file read as values: ``frame`` (header cleaned) with ``rows`` (file row numbers)."""

    path: Path
    label: str
    frame: pd.DataFrame | None = None
    rows: list[int] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)


def read_raw(path: Path, label: str, expected_columns: tuple[str, ...]) -> RawFile:
    """Read one raw file; ``label`` is how it is named in messages (its path under data/raw)."""
    raw = RawFile(path=path, label=label)
    try:
        _read_any(raw, expected_columns)
    except OSError as err:
        raw.frame = None
        raw.failures.append(
            file_failure(
                label,
                "file_readable",
                f"a file the build can read; reading it failed: {err.strerror or err}",
            )
        )
    return raw


def _read_any(raw: RawFile, expected_columns: tuple[str, ...]) -> None:
    path, label = raw.path, raw.label
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raw.failures.append(
            file_failure(
                label,
                "file_not_empty",
                "a header row and data rows; the file is empty (0 bytes)",
            )
        )
        return
    if suffix == ".csv":
        _read_csv(raw)
    elif suffix == ".xlsx":
        _read_xlsx(raw, expected_columns)
    elif suffix == ".parquet":
        _read_parquet(raw)


def file_failure(file, check, expected, severity="error") -> dict:
    """A failure about a whole file: no row, column or value."""
    return failure(file, None, None, None, check, expected, severity)


def _problem(raw: RawFile, problem: TableProblem, severity: str = "error") -> None:
    raw.failures.append(
        failure(
            raw.label,
            problem.line,
            None,
            problem.value,
            problem.check,
            problem.expected,
            severity,
        )
    )


def _read_csv(raw: RawFile) -> None:
    try:
        text = decode_csv(raw.path.read_bytes())
    except TableProblem as problem:
        _problem(raw, problem)
        return
    empty = "a header row and data rows; the file holds only"
    if not text.strip():
        _problem(raw, TableProblem("file_not_empty", f"{empty} blank space"))
        return
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as err:
        _problem(
            raw,
            TableProblem(
                "csv_syntax",
                f"well-formed CSV; the reader stopped with '{err}' (a quote is not closed: the "
                "file may be truncated)",
            ),
        )
        return
    lines = [(i + 1, r) for i, r in enumerate(records) if any(cell.strip() for cell in r)]
    if not lines:
        _problem(raw, TableProblem("file_not_empty", f"{empty} separators and no values"))
        return
    header_line, header = lines[0]
    problem = separator_problem(header, header_line)
    if problem is not None:
        _problem(raw, problem)
        return
    width = len(header)
    body = []
    for line, record in lines[1:]:
        if len(record) != width:
            truncated = line == lines[-1][0] and len(record) < width and not text.endswith("\n")
            raw.failures.append(
                failure(
                    raw.label,
                    line,
                    None,
                    f"{len(record)} values",
                    "row_length",
                    f"{width} values, one per header column"
                    + (
                        "; the last line stops part-way, so the file looks truncated"
                        if truncated
                        else "; check for an unquoted comma or a missing value"
                    ),
                )
            )
            continue
        body.append((line, record))
    _finish(raw, header, [r for _, r in body], [line for line, _ in body])


def _finish(raw: RawFile, header: list, records: list[list], rows: list[int]) -> None:
    names = [_n.clean_header(h) if h is not None else "" for h in header]
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            raw.failures.append(
                failure(
                    raw.label,
                    rows[0] - 1 if rows else 1,
                    name,
                    name,
                    "duplicate_column",
                    "each column name once",
                )
            )
        seen.add(name)
    keep = [i for i, nme in enumerate(names) if nme]
    frame = pd.DataFrame(
        [[rec[i] for i in keep] for rec in records], columns=[names[i] for i in keep], dtype=object
    )
    frame = frame.loc[:, ~frame.columns.duplicated()]
    raw.frame = frame
    raw.rows = rows


def _read_parquet(raw: RawFile) -> None:
    try:
        frame = pd.read_parquet(raw.path)
    except Exception as err:  # pyarrow raises several types for damaged files
        _problem(
            raw,
            TableProblem(
                "parquet_readable",
                f"a readable parquet file; reading failed: {err}",
            ),
        )
        return
    frame = frame.reset_index(drop=True).astype(object).where(frame.notna(), None)
    _finish(raw, list(frame.columns), frame.to_numpy().tolist(), list(range(1, len(frame) + 1)))


def _read_xlsx(raw: RawFile, expected: tuple[str, ...]) -> None:
    try:
        values = open_workbook(raw.path, data_only=True)
        formulas = open_workbook(raw.path, data_only=False)
    except TableProblem as problem:
        _problem(raw, problem)
        return
    shown, hidden = visible_sheets(values)
    if hidden:
        _problem(
            raw,
            TableProblem(
                "hidden_sheet",
                f"visible sheets only; hidden sheet(s) {', '.join(repr(h) for h in hidden)} "
                "were not read",
            ),
            "warning",
        )
    if not shown:
        _problem(raw, TableProblem("xlsx_readable", "a workbook with a visible sheet; none is"))
        return
    ws, wf = shown[0], formulas[shown[0].title]
    problem = second_sheet_problem(shown)
    if problem is not None:
        _problem(raw, problem)
        return
    grid = [[_cell_value(c) for c in r] for r in ws.iter_rows()]
    header_at = _find_header(grid, expected)
    if header_at is None:
        _problem(
            raw,
            TableProblem(
                "header_row",
                f"a header row naming the columns ({', '.join(expected[:4])}, ...) within the first 20 rows of sheet '{ws.title}'",
            ),
        )
        return
    if header_at > 0:
        raw.failures.append(
            failure(
                raw.label,
                header_at + 1,
                None,
                None,
                "title_rows",
                f"the header in row 1; {header_at} title row(s) above the header in row {header_at + 1} were skipped",
                severity="warning",
            )
        )
    for merged in ws.merged_cells.ranges:
        if merged.max_row > header_at + 1:
            raw.failures.append(
                failure(
                    raw.label,
                    merged.min_row,
                    None,
                    str(merged),
                    "merged_cells",
                    f"one value per cell; cells {merged} are merged. Unmerge them and fill every cell",
                )
            )
    header = grid[header_at]
    records, rows = [], []
    for offset, record in enumerate(grid[header_at + 1 :]):
        excel_row = header_at + 2 + offset
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in record):
            continue
        for col, value in enumerate(record):
            cell = wf.cell(row=excel_row, column=col + 1).value
            if value is None and isinstance(cell, str) and cell.startswith("="):
                raw.failures.append(
                    failure(
                        raw.label,
                        excel_row,
                        _n.clean_header(header[col]),
                        cell,
                        "formula_value",
                        "a value; the cell holds a formula with no saved result. Open and save the workbook in Excel, or paste values",
                    )
                )
        records.append(list(record) + [None] * (len(header) - len(record)))
        rows.append(excel_row)
    _finish(raw, header, records, rows)


def _cell_value(cell):
    """A cell's value as Excel shows it where the format changes the meaning.

    A number formatted as a percentage (stored 0.7, shown 70%) becomes the text ``'70.0%'``,
    so that a percentage column reads 70 and any other column reports it.
    """
    value = cell.value
    fmt = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in fmt:
        return percent_cell_text(value)
    return value


def _find_header(grid: list[list], expected: tuple[str, ...]) -> int | None:
    wanted = set(expected)
    for i, record in enumerate(grid[:20]):
        names = {_n.clean_header(v) for v in record if v is not None}
        if len(names & wanted) >= max(1, len(wanted) // 2):
            return i
    return None
