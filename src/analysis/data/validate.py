"""Read, parse and validate every raw file, without writing anything.

:func:`validate_raw` reads every raw file (CSV, XLSX or parquet) named in
:data:`analysis.data.tables.TABLES`, parses each column with the parser its schema field names
(:mod:`analysis.data.parsers`), normalises only what is safe
(:data:`analysis.data.normalise.NORMALISATIONS`), and validates every table lazily, returning
every failure at once. :func:`analysis.data.build.build` writes the result.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import config
from ..exceptions import InputDataError
from . import normalise as _n
from . import tables as _t
from ._pandera import pa
from .checks import cross_checks, pandera_failures
from .extracted import read_extracted
from .files import IGNORED_FILES, files_for, label_of, unclaimed
from .ingest import SPREADSHEET_ERRORS, failure, file_failure, read_raw
from .metadata import discover
from .parsers import ColumnInput, finish_column, parse_column
from .pooling import coverage, dataset_checks, legacy_files, shared_ids, usable

__all__ = ["validate_raw", "sha256_file", "IGNORED_FILES"]


def sha256_file(path: Path) -> str | None:
    """The file's sha256, or None when it cannot be read (reading reports why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _has_control(value) -> bool:
    return isinstance(value, str) and _CONTROL.search(value) is not None


_CLEAN_CACHE: dict = {}


def _clean_cached(value):
    if not isinstance(value, str):
        return value
    if value not in _CLEAN_CACHE:
        if len(_CLEAN_CACHE) > 100_000:
            _CLEAN_CACHE.clear()
        _CLEAN_CACHE[value] = _n.clean_text(value)
    return _CLEAN_CACHE[value]


def _cleaned(series: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Values with surplus spaces removed, and which of them hold a control character.

    Each distinct text is cleaned once; columns holding other types (from parquet or Excel) are
    cleaned value by value, since 1, 1.0 and True would be one key.
    """
    codes, uniques = pd.factorize(series.to_numpy(dtype=object))
    if not all(isinstance(u, str) for u in uniques):
        values = series.map(_clean_cached)
        return values, values.map(_has_control).to_numpy(dtype=bool)
    clean = np.empty(len(uniques) + 1, dtype=object)
    control = np.zeros(len(uniques) + 1, dtype=bool)
    for j, value in enumerate(uniques):
        clean[j] = _n.clean_text(value)
        control[j] = _has_control(clean[j])
    clean[-1] = None  # code -1: an empty cell
    return pd.Series(clean[codes], index=series.index, dtype=object), control[codes]


def _parse_file(raw, table: _t.Table, context: dict) -> tuple[pd.DataFrame | None, list]:
    """Parse one file's values into the table's dtypes, a chunk at a time.

    Every chunk of the file is read, even when nothing can be parsed, so that ``raw.failures``
    is complete afterwards. Returns the parsed rows (None if unusable) and the failures found
    in the order a file read whole would give them: the columns first, then each column's
    spreadsheet errors, control characters and values that cannot be read, row by row.
    """
    if raw.frame is None and raw.chunks is None:
        return None, []
    failures: list[dict] = []
    columns = list(dict.fromkeys(raw.names))
    derived = _t.DERIVED_COLUMNS.get(table.name, ())
    wanted = [c for c in table.columns if c not in derived]
    missing = [c for c in wanted if c not in columns]
    extra = [c for c in columns if c not in table.columns]
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
    found = {col: ([], [], []) for col in wanted}
    states: dict[str, dict] = {col: {} for col in wanted}
    parts = []
    for frame, rows in raw.frames():
        if missing or any(f["severity"] == "error" for f in raw.failures) or not rows:
            continue  # still read to the end: reading problems are reported whole
        parts.append(_parse_chunk(raw.label, frame, rows, wanted, table, context, found, states))
    if missing:
        return None, failures
    if any(f["severity"] == "error" for f in raw.failures):  # the caller reports why
        return None, failures
    if raw.n_rows == 0:
        failures.append(
            file_failure(
                raw.label,
                "has_rows",
                "at least one data row; the file has a header only",
            )
        )
        return None, failures
    out = pd.DataFrame(index=range(raw.n_rows))
    for col in wanted:
        spreadsheet, control, parsing = found[col]
        failures.extend([*spreadsheet, *control, *parsing])
        finish_column(states[col], failures)
        out[col] = _joined([part[col] for part in parts])
    out["file_"] = raw.label
    out["row_"] = np.concatenate([np.asarray(part["row_"], dtype=np.int64) for part in parts])
    return out, failures


def _joined(arrays: list):
    """One column's parsed chunks as one array, as if the column had been parsed whole (so that
    pandas infers the same dtype: a chunk of empty cells does not change it)."""
    if len(arrays) == 1:
        return arrays[0]
    if all(isinstance(a, np.ndarray) for a in arrays):
        return np.concatenate(arrays)
    return pd.concat([pd.Series(a, copy=False) for a in arrays], ignore_index=True).array


def _parse_chunk(label, frame, rows, wanted, table, context, found, states) -> dict:
    """Parse one chunk of a file's rows (column -> array); failures go to ``found`` by column."""
    out: dict = {}
    for col in wanted:
        spreadsheet, control, parsing = found[col]
        values, has_control = _cleaned(frame[col])
        bad = values.isin(SPREADSHEET_ERRORS).to_numpy()
        for i in np.flatnonzero(bad):
            spreadsheet.append(
                failure(
                    label,
                    rows[i],
                    col,
                    values.iloc[i],
                    "spreadsheet_error",
                    "a value; this is a spreadsheet error code. Fix the formula or enter the value",
                )
            )
        for i in np.flatnonzero(has_control):
            text = values.iloc[i]
            at = _CONTROL.search(text)
            control.append(
                failure(
                    label,
                    rows[i],
                    col,
                    repr(text),
                    "control_character",
                    f"text without control characters; U+{ord(at.group()):04X} at position "
                    f"{at.start() + 1} (a damaged file or an export from another system). "
                    "Remove it",
                )
            )
        values = values.mask(bad | has_control | values.isin([""]).to_numpy(), None)
        column = ColumnInput(values, col, label, rows, context, parsing, states[col])
        out[col] = parse_column(table.kinds[col], column)
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


def _combine(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack one table's per-dataset frames, keeping categorical columns categorical."""
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)
    for col in frame.columns:
        kinds = [p[col].dtype for p in parts]
        if all(isinstance(k, pd.CategoricalDtype) for k in kinds) and frame[col].dtype == object:
            frame[col] = frame[col].astype("category")
    return frame


def _build_table(name, table, base, raw_dir, context, problems, inputs, claimed):
    """Read, parse and validate one table from the files under ``base``; None if unusable."""
    paths, found_problems, seen = files_for(base, table.patterns, raw_dir, name)
    problems.extend(found_problems)
    claimed.update(seen)
    stems = [(p.parent, p.stem) for p in paths]
    for p in paths:
        if stems.count((p.parent, p.stem)) > 1:
            problems.append(
                file_failure(
                    label_of(p, raw_dir),
                    "one_file_per_table",
                    f"one file for table '{name}'; files with the same name and different types were found",
                )
            )
    if not paths:
        return None, False
    parts = []
    for path in paths:
        raw = read_raw(path, label_of(path, raw_dir), table.columns)
        part, found = _parse_file(raw, table, context)
        problems.extend(raw.failures)
        inputs.append(
            {
                "file": raw.label,
                "table": name,
                "rows": raw.n_rows,
                "sha256": sha256_file(path),
            }
        )
        if any(f["severity"] == "error" for f in raw.failures):
            continue
        problems.extend(found)
        if part is not None:
            parts.append(part)
    if not parts or len(parts) < len(paths):
        return None, True
    frame = _assemble(name, parts)
    problems.extend(cross_checks(name, frame, context))
    final = _finalise(name, frame)
    try:
        table.model.validate(final, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems.extend(pandera_failures(err.failure_cases, frame, problems))
    return (final, frame), True


def validate_raw(
    raw_dir: str | Path | None = None,
) -> tuple[dict[str, pd.DataFrame], list[dict], list[dict]]:
    """Read, parse and validate every raw table without writing anything.

    Shared tables (reference list, published figures) are read from their folders; case-level
    tables are read from each dataset's folder (:mod:`analysis.data.metadata`), checked within
    that dataset, and stacked with a last column ``dataset`` naming it. Datasets are never
    pooled: a case id used by two datasets, or case-level files outside any dataset, are errors.

    Returns
    -------
    (tables, inputs, problems)
        Validated tables by name, input file records (file, table, rows, sha256) and every
        failure record (errors and warnings). ``tables["datasets"]`` is not a table: it holds
        the list of :class:`analysis.data.metadata.DatasetInfo` that were read.

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
    datasets, found = discover(raw_dir)
    problems.extend(found)
    problems.extend(legacy_files(raw_dir, datasets, claimed))
    for name, table in _t.TABLES.items():
        if not table.per_dataset:
            built, present = _build_table(
                name, table, raw_dir, raw_dir, context, problems, inputs, claimed
            )
            if not present and table.required:
                where = " or ".join(f"data/raw/{p}.csv" for p in table.patterns)
                problems.append(
                    file_failure(
                        where,
                        "file_present",
                        f"the file for table '{name}' ({table.description})",
                    )
                )
            if built is not None:
                tables[name] = built[0]
                if name in ("reference", "pdu_aliases"):
                    context[name if name == "reference" else "aliases"] = usable(name, built[0])
                if name in ("published_ratings", "youth_justice_ratings"):
                    context[name] = built[0]
                if name == "youth_justice_corrections":
                    context[name] = built[1]  # with file and row, for warnings
            continue
        parts = []
        for info, folder in datasets:
            local = dict(context, dataset=info, cases=context.get(("cases", info.name)))
            built, present = _build_table(
                name, table, folder, raw_dir, local, problems, inputs, claimed
            )
            if built is None:
                continue
            final, frame = built
            problems.extend(dataset_checks(name, info, frame))
            if name == "cases":
                context[("cases", info.name)] = final
            parts.append(
                final.assign(
                    dataset=pd.Categorical([info.name] * len(final)),
                    file_=frame["file_"].to_numpy(),
                    row_=frame["row_"].to_numpy(),
                )
            )
        if parts:
            stacked = _combine(parts)
            problems.extend(shared_ids(name, stacked))
            tables[name] = stacked.drop(columns=["file_", "row_"])
    problems.extend(coverage(datasets, tables))
    extracted, extracted_inputs, extracted_problems = read_extracted(raw_dir, claimed)
    tables.update(extracted)
    inputs.extend(extracted_inputs)
    problems.extend(extracted_problems)
    problems.extend(unclaimed(raw_dir, claimed))
    tables["datasets"] = [info for info, _ in datasets]
    return tables, inputs, problems
