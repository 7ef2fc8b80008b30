"""Build validated, tidy parquet tables in ``data/processed`` from the files in ``data/raw``.

``build()`` reads every raw file (CSV, XLSX or parquet) named in :data:`analysis.data.tables.TABLES`,
normalises only what is safe (:data:`analysis.data.normalise.NORMALISATIONS`), validates every table
lazily and, only if nothing failed, writes the tables and ``manifest.json`` to a temporary
folder that then replaces ``data/processed``. A failed build raises :class:`ValidationFailed`
with every problem at once and leaves ``data/processed`` exactly as it was. ``data/raw`` is
only ever read.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .. import config
from ..exceptions import InputDataError, ValidationFailed
from . import schemas as _s
from .ingest import FAILURE_COLUMNS
from .validate import sha256_file, validate_raw

__all__ = ["BuildReport", "build"]


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
            outputs[name] = {
                "file": path.name,
                "rows": len(frame),
                "columns": list(frame.columns),
                "synthetic": name in synthetic,
                "sha256": sha256_file(path),
            }
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
