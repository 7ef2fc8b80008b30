"""Read, parse and validate every raw file, without writing anything.

:func:`validate_raw` reads every raw file (CSV, XLSX or parquet) named in
:data:`analysis.data.tables.TABLES`, parses each column with the parser its schema field names
(:mod:`analysis.data.parsers`), normalises only what is safe
(:data:`analysis.data.normalise.NORMALISATIONS`), and validates every table lazily, returning
every failure at once. :func:`analysis.data.build.build` writes the result.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from .. import config
from ..exceptions import InputDataError
from . import normalise as _n
from . import tables as _t
from .checks import cross_checks, pandera_failures
from .ingest import SPREADSHEET_ERRORS, SUFFIXES, failure, read_raw
from .parsers import ColumnInput, parse_column

__all__ = ["validate_raw", "sha256_file", "IGNORED_FILES"]

IGNORED_FILES = {"README.md", "metadata.json", ".gitkeep"}


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files_for(raw_dir: Path, table: _t.Table) -> list[Path]:
    found = []
    for pattern in table.patterns:
        folder, stem = pattern.split("/")
        base = raw_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.iterdir()):
            if path.suffix.lower() in SUFFIXES and (stem == "*" or path.stem == stem):
                found.append(path)
    return found


def _label(path: Path, raw_dir: Path) -> str:
    try:
        return str(path.relative_to(raw_dir))
    except ValueError:
        return str(path)


_CLEAN_CACHE: dict = {}


def _clean_cached(value):
    if not isinstance(value, str):
        return value
    if value not in _CLEAN_CACHE:
        if len(_CLEAN_CACHE) > 100_000:
            _CLEAN_CACHE.clear()
        _CLEAN_CACHE[value] = _n.clean_text(value)
    return _CLEAN_CACHE[value]


def _parse_file(raw, table: _t.Table, context: dict, failures: list) -> pd.DataFrame | None:
    """Parse one file's values into the table's dtypes, recording every failure."""
    frame = raw.frame
    derived = _t.DERIVED_COLUMNS.get(table.name, ())
    wanted = [c for c in table.columns if c not in derived]
    missing = [c for c in wanted if c not in frame.columns]
    extra = [c for c in frame.columns if c not in table.columns]
    for col in missing:
        hint = _n.suggest(col, extra) if extra else None
        failures.append(
            failure(
                raw.label,
                None,
                col,
                None,
                "column_present",
                f"a column named '{col}'"
                + (f"; did you mean '{hint}'? Rename it" if hint else "; add it"),
            )
        )
    for col in extra:
        if _n.suggest(col, missing) is None:
            failures.append(
                failure(
                    raw.label,
                    None,
                    col,
                    None,
                    "column_known",
                    f"only the columns of table '{table.name}'; this column was ignored",
                    severity="warning",
                )
            )
    if missing:
        return None
    if len(frame) == 0:
        failures.append(
            failure(
                raw.label,
                None,
                None,
                None,
                "has_rows",
                "at least one data row; the file has a header only",
            )
        )
        return None
    out = pd.DataFrame(index=range(len(frame)))
    rows = raw.rows
    for col in wanted:
        values = frame[col].map(_clean_cached)
        bad = values.isin(SPREADSHEET_ERRORS)
        for i in np.flatnonzero(bad.to_numpy()):
            failures.append(
                failure(
                    raw.label,
                    rows[i],
                    col,
                    values.iloc[i],
                    "spreadsheet_error",
                    "a value; this is a spreadsheet error code. Fix the formula or enter the value",
                )
            )
        values = values.mask(bad | values.isin([""]), None)
        column = ColumnInput(values, col, raw.label, rows, context, failures)
        out[col] = parse_column(table.kinds[col], column)
    out["file_"] = raw.label
    out["row_"] = rows
    return out


def _assemble(name: str, parts: list[pd.DataFrame]) -> pd.DataFrame:
    table = _t.TABLES[name]
    frame = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    for col in _t.DERIVED_COLUMNS.get(name, ()):
        if col not in frame:
            frame[col] = None
    ordered = [*table.columns, "file_", "row_"]
    return frame[ordered]


def _finalise(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Dtypes of the processed contract (categories for free-text categories, strings)."""
    model_cols = _t.TABLES[name].model.to_schema().columns
    out = frame.drop(columns=["file_", "row_"]).copy()
    for col, spec in model_cols.items():
        dtype = str(spec.dtype)
        if dtype == "category" and not isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("category")
        elif dtype == "str" and out[col].dtype == object:
            out[col] = out[col].astype("str")
    return out


def validate_raw(
    raw_dir: str | Path | None = None,
) -> tuple[dict[str, pd.DataFrame], list[dict], list[dict]]:
    """Read, parse and validate every raw table without writing anything.

    Returns
    -------
    (tables, inputs, problems)
        Validated tables by name, input file records (file, table, rows, sha256) and every
        failure record (errors and warnings).

    Raises
    ------
    InputDataError
        If ``raw_dir`` does not exist.
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else config.RAW_DIR
    if not raw_dir.is_dir():
        raise InputDataError(
            f"Raw data folder {raw_dir} does not exist. Run `analysis simulate` or restore data/raw."
        )
    problems: list[dict] = []
    inputs: list[dict] = []
    tables: dict[str, pd.DataFrame] = {}
    context: dict = {}
    claimed: set[Path] = set()
    for name, table in _t.TABLES.items():
        paths = _files_for(raw_dir, table)
        claimed.update(paths)
        stems = [(p.parent, p.stem) for p in paths]
        for p in paths:
            if stems.count((p.parent, p.stem)) > 1:
                problems.append(
                    failure(
                        _label(p, raw_dir),
                        None,
                        None,
                        None,
                        "one_file_per_table",
                        f"one file for table '{name}'; files with the same name and different types were found",
                    )
                )
        if not paths:
            if table.required:
                where = " or ".join(f"data/raw/{p}.csv" for p in table.patterns)
                problems.append(
                    failure(
                        where,
                        None,
                        None,
                        None,
                        "file_present",
                        f"the file for table '{name}' ({table.description})",
                    )
                )
            continue
        parts = []
        for path in paths:
            raw = read_raw(path, _label(path, raw_dir), table.columns)
            problems.extend(raw.failures)
            inputs.append(
                {
                    "file": raw.label,
                    "table": name,
                    "rows": len(raw.rows),
                    "sha256": sha256_file(path),
                }
            )
            if raw.frame is None or any(f["severity"] == "error" for f in raw.failures):
                continue
            part = _parse_file(raw, table, context, problems)
            if part is not None:
                parts.append(part)
        if not parts or len(parts) < len(paths):
            continue
        frame = _assemble(name, parts)
        problems.extend(cross_checks(name, frame, context))
        final = _finalise(name, frame)
        try:
            table.model.validate(final, lazy=True)
        except pa.errors.SchemaErrors as err:
            problems.extend(pandera_failures(err.failure_cases, frame, problems))
        tables[name] = final
        if name == "reference":
            context["reference"] = final
        if name == "cases":
            context["cases"] = final
        if name == "pdu_aliases":
            context["aliases"] = final
        if name == "published_ratings":
            context["published_ratings"] = final
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        ignored = path.name in IGNORED_FILES or path.suffix == ".md" or path.name.startswith(".")
        if path not in claimed and not ignored:
            problems.append(
                failure(
                    _label(path, raw_dir),
                    None,
                    None,
                    None,
                    "file_known",
                    "a file that belongs to a table (see docs/data-dictionary.md); this file was not read",
                    severity="warning",
                )
            )
    return tables, inputs, problems
