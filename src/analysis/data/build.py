"""Build validated, tidy parquet tables in ``data/processed`` from the files in ``data/raw``.

``build()`` reads every raw file (CSV, XLSX or parquet) named in :data:`analysis.data.tables.TABLES`,
normalises only what is safe (:data:`analysis.data.normalise.NORMALISATIONS`), validates every table
lazily and, only if nothing failed, writes the tables and ``manifest.json`` to a temporary
folder that then replaces ``data/processed`` (only a folder a build made itself, see
:func:`analysis.io.folders.claim`, and under the write side of the processed data's read/write
lock, :class:`analysis.io.locks.FolderLock`, so a build waits for or refuses during a batch of
reports reading the data). A failed build raises :class:`ValidationFailed`
with every problem at once and leaves ``data/processed`` exactly as it was. ``data/raw`` is
only ever read.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..exceptions import InputDataError, ValidationFailed
from ..io.atomic import replace_folder, write_json_atomic
from ..io.folders import KEPT_FILES, Claim, Protected, claim, write_mark
from ..io.locks import data_lock
from . import schemas as _s
from .ingest import FAILURE_COLUMNS, failure
from .tables import DATASET_COLUMN
from .validate import sha256_file, validate_raw

__all__ = ["BuildReport", "build", "COMMAND"]

COMMAND = "analysis build"


def _legacy_files(folder: Path) -> set[str] | None:
    """Files an earlier build wrote in ``folder`` (from its manifest); None if not a build."""
    try:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or "schema_version" not in data or "tables" not in data:
        return None
    files = data.get("files")
    if isinstance(files, list):
        return {str(f) for f in files} | {"manifest.json"}
    tables = data["tables"] if isinstance(data["tables"], dict) else {}
    legacy = {str(t.get("file")) for t in tables.values() if isinstance(t, dict)}
    return legacy | {"manifest.json", "build_warnings.parquet"}


def _claim(processed_dir: Path, raw_dir: Path) -> Claim:
    return claim(
        processed_dir,
        command=COMMAND,
        what="the processed data",
        advice=(
            "Choose a new or empty folder for --processed (the default is data/processed); "
            "data/raw is never written by the build."
        ),
        writes_in=(config.DATA_DIR,),
        protected=(Protected("the raw data folder", raw_dir),),
        whole=True,
        legacy=_legacy_files,
    )


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
    datasets: dict[str, str] = field(default_factory=dict)
    """Dataset name -> declared kind ("real" or "synthetic")."""
    table_kinds: dict[str, dict[str, int]] = field(default_factory=dict)
    """Table name -> rows per declared kind of their dataset, for tables with a dataset column
    (``{"real": 10, "synthetic": 12}``); a row whose dataset's kind is not declared counts as
    real."""

    def __repr__(self) -> str:
        lines = [
            f"<BuildReport: {len(self.files)} files read from {self.raw_dir}, "
            f"{len(self.rows)} tables written to {self.processed_dir} in {self.seconds:.2f} s>"
        ]
        for name, kind in self.datasets.items():
            lines.append(f"  dataset {name!r}: {kind.upper()}")
        for name, n in self.rows.items():
            flag = _kind_flag(self.table_kinds.get(name))
            lines.append(f"  {name:<26} {n:>6} rows{flag}")
        lines.append(f"  warnings: {len(self.warnings)}")
        for w in self.warnings.head(SHOWN_WARNINGS).itertuples():
            lines.append(
                f"    {w.file} row {w.row} {w.column}: {_found(w.value)}; expected {w.expected}"
            )
        hidden = len(self.warnings) - SHOWN_WARNINGS
        if hidden > 0:
            lines.append(
                f"    and {hidden} more; all {len(self.warnings)} are in "
                f"{self.processed_dir / 'build_warnings.parquet'} (pandas.read_parquet)"
            )
        return "\n".join(lines)


def _kind_flag(kinds: dict[str, int] | None) -> str:
    """What a table's line in the build summary says its rows are, by their datasets' kinds.

    Only a table whose rows all come from synthetic datasets is called SYNTHETIC; a table
    holding real rows says how many are real (rows of a dataset of undeclared kind count as
    real). A table without a dataset column (published tables) has no flag.

    >>> _kind_flag({"synthetic": 12}), _kind_flag({"real": 10}), _kind_flag(None)
    ('  (SYNTHETIC)', '  (real)', '')
    >>> _kind_flag({"real": 10, "synthetic": 12})
    '  (10 real, 12 SYNTHETIC)'
    """
    if not kinds:
        return ""
    real, synthetic = kinds.get("real", 0), kinds.get("synthetic", 0)
    if synthetic and not real:
        return "  (SYNTHETIC)"
    if real and not synthetic:
        return "  (real)"
    return f"  ({real} real, {synthetic} SYNTHETIC)"


def table_kinds(tables: dict, kinds: dict[str, str]) -> dict[str, dict[str, int]]:
    """Rows per declared kind in each table with a dataset column; undeclared counts as real."""
    out = {}
    for name, frame in tables.items():
        if DATASET_COLUMN not in frame:
            continue
        kind = (
            frame[DATASET_COLUMN]
            .astype(str)
            .map(lambda d: "synthetic" if kinds.get(d) == "synthetic" else "real")
        )
        out[name] = {k: int(n) for k, n in kind.value_counts().sort_index().items()}
    return out


SHOWN_WARNINGS = 10
"""Warnings printed by a build; the rest are counted and all are in build_warnings.parquet."""


def _found(value) -> str:
    """The value a warning is about, as found in the file."""
    if value is None or (isinstance(value, float) and value != value) or str(value) == "":
        return "found a blank"
    return f"found {str(value)!r}"


def _table(problems: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(problems, columns=FAILURE_COLUMNS)
    frame["row"] = frame["row"].astype("Int64")
    return frame.drop_duplicates(ignore_index=True)


def build(
    raw_dir: str | Path | None = None,
    processed_dir: str | Path | None = None,
    wait: float = 0.0,
) -> BuildReport:
    """Validate ``raw_dir`` and, if nothing fails, replace ``processed_dir`` atomically.

    Parameters
    ----------
    raw_dir, processed_dir : path, optional
        Default ``config.RAW_DIR`` and ``config.PROCESSED_DIR``. ``processed_dir`` must be new,
        empty (a README.md alone is fine) or a folder an earlier build wrote and nobody else
        added files to (see :func:`analysis.io.folders.claim`).
    wait : float
        Seconds to wait for another build of the same folder to finish (default 0: refuse).

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
        If ``raw_dir`` is missing; if ``processed_dir`` is a folder the build may not replace
        (raw data, the project, a git work tree, a folder with files it did not write); if
        another build holds its lock; or if writing failed (the previous folder is kept).
    """
    start = time.perf_counter()
    raw_dir = Path(raw_dir) if raw_dir is not None else config.RAW_DIR
    processed_dir = Path(processed_dir) if processed_dir is not None else config.PROCESSED_DIR
    target = _claim(processed_dir, raw_dir).folder
    if not raw_dir.is_dir():
        raise InputDataError(
            f"Raw data folder {raw_dir} does not exist. Run `analysis simulate` or restore data/raw."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise InputDataError(f"Cannot create {target.parent}: {err.strerror}.") from None
    with data_lock(target, COMMAND, "write", wait=wait) as lock:
        target = _claim(processed_dir, raw_dir).folder
        tables, inputs, problems = validate_raw(raw_dir)
        datasets = tables.pop("datasets")
        if lock.note:
            problems.append(failure(str(lock.path), None, None, None, "lock", lock.note, "warning"))
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
        kinds = {info.name: info.kind for info in datasets}
        synthetic = [
            n
            for n, t in tables.items()
            if DATASET_COLUMN in t
            and any(kinds.get(str(d)) == "synthetic" for d in t[DATASET_COLUMN].unique())
        ]
        _write(tables, inputs, warnings, target, synthetic, datasets)
    return BuildReport(
        raw_dir=raw_dir,
        processed_dir=processed_dir,
        files=pd.DataFrame(inputs, columns=["file", "table", "rows", "sha256"]),
        rows={n: len(t) for n, t in tables.items()},
        warnings=warnings,
        seconds=time.perf_counter() - start,
        synthetic_tables=synthetic,
        datasets={info.name: info.kind for info in datasets},
        table_kinds=table_kinds(tables, kinds),
    )


def _manifest(tables, inputs, warnings, outputs, synthetic, datasets) -> dict:
    described = {}
    for info in datasets:
        rows = {
            name: int((frame[DATASET_COLUMN] == info.name).sum())
            for name, frame in tables.items()
            if DATASET_COLUMN in frame
        }
        cases = tables.get("cases")
        regions = (
            sorted(cases.loc[cases[DATASET_COLUMN] == info.name, "region"].astype(str).unique())
            if cases is not None and DATASET_COLUMN in cases
            else []
        )
        described[info.name] = {**info.as_dict(), "rows": rows, "regions": regions}
    return {
        "schema_version": _s.SCHEMA_VERSION,
        "written_by": "analysis build",
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "synthetic": bool(synthetic),
        "synthetic_tables": sorted(synthetic),
        "datasets": described,
        "inputs": inputs,
        "tables": outputs,
        "files": sorted([o["file"] for o in outputs.values()] + ["build_warnings.parquet"]),
        "n_warnings": len(warnings),
    }


def _write(tables, inputs, warnings, processed_dir: Path, synthetic, datasets) -> None:
    try:
        with replace_folder(processed_dir, keep=KEPT_FILES) as tmp:
            outputs = {}
            for name, frame in tables.items():
                path = tmp / f"{name}.parquet"
                frame.to_parquet(path, index=False)
                outputs[name] = {
                    "file": path.name,
                    "rows": len(frame),
                    "columns": list(frame.columns),
                    "synthetic": name in synthetic,
                    "sha256": sha256_file(path),
                }
            warnings.to_parquet(tmp / "build_warnings.parquet", index=False)
            manifest = _manifest(tables, inputs, warnings, outputs, synthetic, datasets)
            write_json_atomic(tmp / "manifest.json", manifest)
            write_mark(tmp, COMMAND, [*manifest["files"], "manifest.json"])
    except OSError as err:
        raise InputDataError(
            f"Could not write the processed data to {processed_dir}: {err.strerror or err} "
            f"({err.filename or processed_dir.parent}). Nothing was replaced; the previous "
            "contents are kept. Free some disk space or choose a writable folder, then run the "
            "build again."
        ) from None
