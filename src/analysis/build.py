"""Build validated, tidy parquet tables in ``data/processed`` from the files in ``data/raw``.

``build()`` reads every raw file (CSV, XLSX or parquet) named in :data:`analysis.tables.TABLES`,
normalises only what is safe (:data:`analysis.normalise.NORMALISATIONS`), validates every table
lazily and, only if nothing failed, writes the tables and ``manifest.json`` to a temporary
folder that then replaces ``data/processed``. A failed build raises :class:`ValidationFailed`
with every problem at once and leaves ``data/processed`` exactly as it was. ``data/raw`` is
only ever read.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from . import config
from . import normalise as _n
from . import schemas as _s
from . import tables as _t
from .checks import cross_checks, pandera_failures, parse_column
from .exceptions import InputDataError, ValidationFailed
from .ingest import FAILURE_COLUMNS, SPREADSHEET_ERRORS, SUFFIXES, failure, read_raw

__all__ = ["BuildReport", "build", "validate_raw"]

IGNORED_FILES = {"README.md", "metadata.json", ".gitkeep"}


@dataclass
class BuildReport:
    """What a build read and wrote; ``warnings`` is a tidy table (see :data:`FAILURE_COLUMNS`)."""

    raw_dir: Path
    processed_dir: Path
    files: pd.DataFrame
    rows: dict[str, int]
    warnings: pd.DataFrame
    seconds: float = 0.0
    synthetic_tables: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        lines = [
            f"<BuildReport: {len(self.files)} files read from {self.raw_dir}, "
            f"{len(self.rows)} tables written to {self.processed_dir} in {self.seconds:.2f} s>"
        ]
        for name, n in self.rows.items():
            flag = "  (SYNTHETIC)" if name in self.synthetic_tables else ""
            lines.append(f"  {name:<26} {n:>6} rows{flag}")
        lines.append(f"  warnings: {len(self.warnings)}")
        for w in self.warnings.head(10).itertuples():
            lines.append(f"    {w.file} row {w.row} {w.column}: {w.expected}")
        return "\n".join(lines)


def _sha256(path: Path) -> str:
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
            )  # fmt: skip
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
                )  # fmt: skip
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
                )  # fmt: skip
            )
        values = values.mask(bad | values.isin([""]), None)
        out[col] = parse_column(values, table.kinds[col], col, raw.label, rows, context, failures)
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
                problems.append(failure(_label(p, raw_dir), None, None, None, "one_file_per_table",
                                        f"one file for table '{name}'; files with the same name and different types were found"))  # fmt: skip
        if not paths:
            if table.required:
                where = " or ".join(f"data/raw/{p}.csv" for p in table.patterns)
                problems.append(failure(where, None, None, None, "file_present", f"the file for table '{name}' ({table.description})"))  # fmt: skip
            continue
        parts = []
        for path in paths:
            raw = read_raw(path, _label(path, raw_dir), table.columns)
            problems.extend(raw.failures)
            inputs.append(
                {"file": raw.label, "table": name, "rows": len(raw.rows), "sha256": _sha256(path)}
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
    for path in sorted(p for p in raw_dir.rglob("*") if p.is_file()):
        if path not in claimed and path.name not in IGNORED_FILES and not path.name.startswith("."):
            problems.append(failure(_label(path, raw_dir), None, None, None, "file_known",
                                    "a file that belongs to a table (see docs/data-dictionary.md); this file was not read", severity="warning"))  # fmt: skip
    return tables, inputs, problems


def _table(problems: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(problems, columns=FAILURE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame.drop_duplicates(ignore_index=True)


def build(
    raw_dir: str | Path | None = None, processed_dir: str | Path | None = None
) -> BuildReport:
    """Validate ``raw_dir`` and, if nothing fails, replace ``processed_dir`` atomically.

    Parameters
    ----------
    raw_dir, processed_dir : path, optional
        Default ``config.RAW_DIR`` and ``config.PROCESSED_DIR``.

    Returns
    -------
    BuildReport
        Files read (with sha256), rows per table and warnings as a tidy table. Warnings (for
        example published figures that do not add up) keep the published value.

    Raises
    ------
    ValidationFailed
        With every error at once in ``failures`` (file, row, column, value, check, expected,
        severity); ``processed_dir`` is left unchanged.
    InputDataError
        If ``raw_dir`` is missing, or ``processed_dir`` lies inside ``raw_dir``.
    """
    start = time.perf_counter()
    raw_dir = Path(raw_dir) if raw_dir is not None else config.RAW_DIR
    processed_dir = Path(processed_dir) if processed_dir is not None else config.PROCESSED_DIR
    if processed_dir.resolve().is_relative_to(raw_dir.resolve()):
        raise InputDataError(
            f"processed_dir {processed_dir} is inside raw_dir {raw_dir}; data/raw is never written."
        )
    tables, inputs, problems = validate_raw(raw_dir)
    report = _table(problems)
    errors = report[report["severity"] == "error"].reset_index(drop=True)
    warnings = report[report["severity"] == "warning"].reset_index(drop=True)
    if len(errors):
        n_files = errors["file"].nunique()
        raise ValidationFailed(
            f"Build stopped: {len(errors)} problem(s) in {n_files} file(s) under {raw_dir}. "
            f"Nothing was written; {processed_dir} is unchanged.",
            report.sort_values("severity", kind="stable").reset_index(drop=True),
        )
    synthetic = [
        n
        for n, t in tables.items()
        if n == "truth" or ("source" in t and (t["source"].astype(str) == "synthetic").any())
    ]
    _write(tables, inputs, warnings, processed_dir, synthetic)
    return BuildReport(
        raw_dir=raw_dir,
        processed_dir=processed_dir,
        files=pd.DataFrame(inputs, columns=["file", "table", "rows", "sha256"]),
        rows={n: len(t) for n, t in tables.items()},
        warnings=warnings,
        seconds=time.perf_counter() - start,
        synthetic_tables=synthetic,
    )


def _write(tables, inputs, warnings, processed_dir: Path, synthetic: list[str]) -> None:
    parent = processed_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = parent / f".{processed_dir.name}.tmp-{uuid.uuid4().hex[:8]}"
    old = parent / f".{processed_dir.name}.old-{uuid.uuid4().hex[:8]}"
    tmp.mkdir()
    try:
        outputs = {}
        for name, frame in tables.items():
            path = tmp / f"{name}.parquet"
            frame.to_parquet(path, index=False)
            outputs[name] = {"file": path.name, "rows": len(frame), "columns": list(frame.columns),
                             "synthetic": name in synthetic, "sha256": _sha256(path)}  # fmt: skip
        warnings.to_parquet(tmp / "build_warnings.parquet", index=False)
        manifest = {
            "schema_version": _s.SCHEMA_VERSION,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "synthetic": bool(synthetic),
            "synthetic_tables": sorted(synthetic),
            "inputs": inputs,
            "tables": outputs,
            "n_warnings": len(warnings),
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        readme = processed_dir / "README.md"
        if readme.is_file():
            shutil.copy2(readme, tmp / "README.md")
        if processed_dir.exists():
            processed_dir.rename(old)
        tmp.rename(processed_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not processed_dir.exists():
            old.rename(processed_dir)
        raise
    shutil.rmtree(old, ignore_errors=True)
