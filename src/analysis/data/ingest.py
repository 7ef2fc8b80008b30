"""Read raw files (CSV, XLSX, parquet) into frames of raw values, reporting problems for people.

Nothing here converts types: every cell comes back as read, with the file's own row numbers, so
that :mod:`analysis.data.build` can parse and validate it and point at the exact cell. Problems that
stop a file being read (empty, not UTF-8, truncated, merged cells, formulas without values) are
returned as failure records, never raised as tracebacks.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..io.tables import CsvRecords, TableProblem, read_sheet
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
    """A raw file read as values: ``frame`` (header cleaned) with ``rows`` (file row numbers).

    A CSV file is streamed instead: ``chunks`` yields its rows a chunk at a time (:meth:`frames`
    gives either), and ``n_rows`` counts the data rows read."""

    path: Path
    label: str
    frame: pd.DataFrame | None = None
    rows: list[int] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    chunks: Iterator[tuple[pd.DataFrame, list[int]]] | None = None
    """A CSV file's data rows in frames of at most :data:`CHUNK_ROWS` rows, read as iterated;
    problems found while reading join ``failures`` (complete once the iterator is exhausted)."""
    n_rows: int = 0
    names: list[str] = field(default_factory=list)
    keep: list[int] = field(default_factory=list)
    width: int = 0
    first_row: int | None = None
    failures_at_first_row: list[dict] = field(default_factory=list)

    def frames(self) -> Iterator[tuple[pd.DataFrame, list[int]]]:
        """(frame, rows) of the file's data rows: the chunks of a CSV file, else one frame."""
        if self.chunks is not None:
            yield from self.chunks
        elif self.frame is not None:
            yield self.frame, self.rows


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


CHUNK_ROWS = 50_000
"""Data rows of a CSV file parsed at a time: a large file is read and parsed in chunks of this
many rows, so memory holds one chunk of raw text at once (tests set it small)."""

PROGRESS_BYTES = 20_000_000
"""CSV files from this size show a progress bar while read (tqdm; on a terminal only)."""


def _read_csv(raw: RawFile) -> None:
    """Read a CSV file's header now and its rows as :attr:`RawFile.chunks` (see :func:`_csv_rows`).

    The file is read by :class:`analysis.io.tables.CsvRecords`, as ``analysis rate`` reads one,
    so a file that is empty, blank, separated by semicolons or not clean UTF-8 CSV is worded
    alike by both.
    """
    records = CsvRecords(raw.path)
    try:
        _, header = records.header()
    except TableProblem as problem:
        records.close()
        _problem(raw, problem)
        return
    _header(raw, header)
    raw.chunks = _csv_rows(raw, records, len(header))


def _csv_rows(raw: RawFile, reader: CsvRecords, width: int):
    """Yield (frame, rows) of at most :data:`CHUNK_ROWS` data rows; problems go to ``raw``.

    Rows of the wrong length are reported (the last one as truncated when the file stops
    part-way); a file found not to be clean UTF-8 CSV part-way is one problem, which replaces
    what was found so far (the caller discards the chunks of a file with errors).
    """
    size = raw.path.stat().st_size
    bar = None
    if size >= PROGRESS_BYTES:
        from tqdm.auto import tqdm

        bar = tqdm(
            total=size,
            desc=f"read {raw.label}",
            unit="B",
            unit_scale=True,
            leave=False,
            disable=None,
        )
    records, rows, pending = [], [], None
    header_failures, raw.failures = raw.failures, []
    try:
        for line, record in reader:
            if pending is not None:
                raw.failures.append(_row_length(raw, *pending, width, truncated=False))
                pending = None
            record = _fitted(record, width)
            if len(record) != width:
                pending = (line, len(record))
                continue
            records.append(record)
            rows.append(line)
            if len(records) >= CHUNK_ROWS:
                yield _chunk(raw, records, rows)
                records, rows = [], []
                if bar is not None:
                    bar.update(reader.tell() - bar.n)
        if pending is not None:
            ends = reader.ends_with_newline
            raw.failures.append(
                _row_length(raw, *pending, width, truncated=pending[1] < width and not ends)
            )
        if records or not raw.n_rows:
            yield _chunk(raw, records, rows)
        raw.failures.extend(header_failures)
    except TableProblem as problem:
        raw.failures, raw.n_rows, raw.first_row, raw.failures_at_first_row = [], 0, None, []
        _problem(raw, problem)
    except OSError as err:  # the disk or the network share failed part-way
        raw.failures.append(
            file_failure(
                raw.label,
                "file_readable",
                f"a file the build can read; reading it failed: {err.strerror or err}",
            )
        )
    finally:
        reader.close()
        if bar is not None:
            bar.close()


def _fitted(record: list[str], width: int) -> list[str]:
    """``record`` without empty cells beyond the header's columns (as Excel may save a CSV).

    A cell beyond the header that holds a value keeps the row too long, so it is refused.
    """
    if len(record) > width and not any(cell.strip() for cell in record[width:]):
        return record[:width]
    return record


def _row_length(raw: RawFile, line: int, found: int, width: int, truncated: bool) -> dict:
    return failure(
        raw.label,
        line,
        None,
        f"{found} values",
        "row_length",
        f"{width} values, one per header column"
        + (
            "; the last line stops part-way, so the file looks truncated"
            if truncated
            else "; check for an unquoted comma or a missing value"
        ),
    )


def _chunk(raw: RawFile, records: list[list], rows: list[int]) -> tuple[pd.DataFrame, list[int]]:
    """A frame of raw values (columns without a name dropped, a repeated name kept once)."""
    if rows and raw.first_row is None:
        raw.first_row = rows[0]
        for f in raw.failures_at_first_row:
            f["row"] = rows[0] - 1
    raw.n_rows += len(rows)
    width = raw.width
    if len(raw.keep) < width or any(len(rec) != width for rec in records):
        records = [[rec[i] for i in raw.keep] for rec in records]
    frame = pd.DataFrame(records, columns=raw.names, dtype=object)
    return frame.loc[:, ~frame.columns.duplicated()], rows


def _header(raw: RawFile, header: list) -> None:
    """Clean the header's names, report names given twice (at the row above the first data row)."""
    names = [_n.clean_header(h) if h is not None else "" for h in header]
    seen: set[str] = set()
    for name in names:
        if name in seen and name:
            found = failure(raw.label, 1, name, name, "duplicate_column", "each column name once")
            raw.failures.append(found)
            raw.failures_at_first_row.append(found)
        seen.add(name)
    raw.keep = [i for i, nme in enumerate(names) if nme]
    raw.width = len(names)
    raw.names = [names[i] for i in raw.keep]


def _finish(raw: RawFile, header: list, records: list[list], rows: list[int]) -> None:
    """A file read whole: its frame and rows as one chunk."""
    _header(raw, header)
    raw.frame, raw.rows = _chunk(raw, records, rows)


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
        sheet = read_sheet(raw.path)
    except TableProblem as problem:
        _problem(raw, problem)
        return
    grid = sheet.rows
    header_at = _find_header(grid, expected)
    if header_at is None:
        _problem(
            raw,
            TableProblem(
                "header_row",
                f"a header row naming the columns ({', '.join(expected[:4])}, ...) within the first 20 rows of sheet '{sheet.title}'",
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
    header = grid[header_at]
    for problem in sheet.problems(header_row=header_at + 1):
        column = None if problem.column is None else _n.clean_header(header[problem.column])
        raw.failures.append(
            failure(
                raw.label,
                problem.line,
                column,
                problem.value,
                problem.check,
                problem.expected,
                severity=problem.severity,
            )
        )
    records, rows = [], []
    for offset, record in enumerate(grid[header_at + 1 :]):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in record):
            continue
        records.append(list(record) + [None] * (len(header) - len(record)))
        rows.append(header_at + 2 + offset)
    _finish(raw, header, records, rows)


def _find_header(grid: list[list], expected: tuple[str, ...]) -> int | None:
    wanted = set(expected)
    for i, record in enumerate(grid[:20]):
        names = {_n.clean_header(v) for v in record if v is not None}
        if len(names & wanted) >= max(1, len(wanted) // 2):
            return i
    return None
