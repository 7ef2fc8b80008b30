"""Public entry point: extract a folder of reports into tidy, traceable tables.

``extract_reports(["downloads/"])`` reads every report file there and writes the tables to
``data/raw/extracted/``; see docs/extraction.md. The output folder is one extraction owns
(:func:`analysis.io.folders.claim`: never ``data/raw/published`` or any folder it did not make),
written under its lock as a whole: the tables go to a temporary sibling folder that replaces the
old one only when complete, so a full disk never leaves tables from two runs side by side.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import config
from ..data.csv_cells import safe_for_csv
from ..data.extracted import FILE_NAMES
from ..exceptions import InputDataError
from ..io.atomic import replace_folder, write_text_atomic
from ..io.folders import KEPT_FILES, Protected, claim, write_mark
from ..io.locks import FolderLock, lock_beside
from ._assemble import assemble
from ._collect import Collected
from ._report_md import extraction_report
from .errors import ExtractionError
from .layouts import LAYOUTS, NOT_REPORTS, detect_layout, not_a_report
from .readers import SUFFIXES, read_document

__all__ = ["extract_reports", "ExtractionResult", "DEFAULT_OUT", "REPORT_NAME"]

DEFAULT_OUT = config.RAW_DIR / "extracted"
"""Default output folder: ``data/raw/extracted/`` under the project root."""
REPORT_NAME = "extraction-report.md"
COMMAND = "analysis extract"
_DATA_TABLES = ("reports", "ratings", "key_questions", "prompts", "figures")


@dataclass(frozen=True)
class ExtractionResult:
    """Tables extracted from a set of report files, the status of each file and every warning.

    Attributes
    ----------
    tables : dict of str to DataFrame
        ``reports``, ``ratings``, ``key_questions``, ``prompts``, ``figures``, ``rating_check``,
        ``conflicts``, ``files`` and ``warnings``, each with the columns declared in
        :data:`analysis.data.extracted.TABLES`.
    out_dir : Path or None
        Where the tables were written, or None when not written.
    """

    tables: dict[str, pd.DataFrame]
    out_dir: Path | None

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = object.__getattribute__(self, "tables")
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def n_failed(self) -> int:
        """Files that could not be read (status ``error``)."""
        return int(self.tables["files"]["status"].eq("error").sum())

    @property
    def n_conflicts(self) -> int:
        """Values on which copies of one report, or a report's table and its text, disagree."""
        return len(self.tables["conflicts"])

    @property
    def exit_code(self) -> int:
        """0 when every file was read and nothing conflicts, else 1."""
        return 1 if self.n_failed or self.n_conflicts else 0

    def __repr__(self) -> str:
        files = self.tables["files"]
        counts = ", ".join(f"{n} {s}" for s, n in files["status"].value_counts().items())
        lines = [
            f"<ExtractionResult: {len(files)} file(s) ({counts or 'none'}); "
            f"{len(self.tables['reports'])} report(s)>",
            *(
                f"  {name}: {len(self.tables[name])} rows"
                for name in (*_DATA_TABLES, "rating_check", "conflicts")
            ),
            f"  warnings: {len(self.tables['warnings'])}",
        ]
        for row in files[files["status"].eq("error")].itertuples():
            lines.append(f"  error: {row.message}")
        for row in self.tables["conflicts"].itertuples():
            lines.append(
                f"  conflict: {row.report_id} {row.table} {row.item}: {row.value_kept!r} "
                f"({row.file_kept}) vs {row.value_other!r} ({row.file_other})"
            )
        if self.out_dir is not None:
            lines.append(f"  written to {self.out_dir}")
        else:
            lines.append("  not written")
        return "\n".join(lines)


def _expand(paths: Iterable[str | os.PathLike]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)
        else:
            out.append(p)
    return out


def _one(path: Path) -> tuple[dict, list[Collected]]:
    start = time.perf_counter()
    status = {
        "file": path.name,
        "path": str(path),
        "kind": None,
        "layout": None,
        "status": "error",
        "report_id": None,
        "message": None,
    }
    cols: list[Collected] = []
    try:
        doc = read_document(path)
        status["kind"] = doc.kind
        layout = detect_layout(doc)
        status["layout"] = layout
        reader = LAYOUTS[layout]
        if reader is None:
            why = not_a_report(doc, headline_only=False)
            status.update(
                status="skipped",
                message=f"{path}: {NOT_REPORTS[layout]}" + (f" ({why})" if why else ""),
            )
        else:
            got = reader(doc)
            cols = got if isinstance(got, list) else [got]
            nameless = [c for c in cols if not c.report.get("unit")]
            if nameless:
                raise ExtractionError(
                    f"{path}: the report's identity cannot be read: "
                    + "; ".join(nameless[0].warnings[:1] or ["no unit named"])
                    + ". The file is kept apart, not merged with any other."
                )
            for col in cols:
                col.warnings[:0] = list(doc.notes)
            status.update(status="ok", layout=cols[0].layout)
    except ExtractionError as err:
        status["message"] = str(err)
        cols = []
    except Exception as err:  # one bad file never stops the rest
        status["message"] = f"{path}: could not be extracted ({type(err).__name__}: {err})"
        cols = []
    status["seconds"] = time.perf_counter() - start
    return status, cols


_PARALLEL_FROM = 8
"""Files from which extraction uses worker processes by default (below, start-up costs more)."""


def _run(files: list[Path], *, jobs: int, progress: bool) -> list[tuple[dict, list[Collected]]]:
    """Extract each file, in input order; in ``jobs`` worker processes when above 1."""
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(files), desc="extract", unit="file")
    try:
        if jobs == 1:
            results = []
            for path in files:
                results.append(_one(path))
                if bar is not None:
                    bar.update()
            return results
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(_one, path): i for i, path in enumerate(files)}
            out: list = [None] * len(files)
            for future in as_completed(futures):
                out[futures[future]] = future.result()
                if bar is not None:
                    bar.update()
            return out
    finally:
        if bar is not None:
            bar.close()


def _claim(out: Path):
    return claim(
        out,
        command=COMMAND,
        what="the extracted tables",
        advice=(
            "Give --out a new or empty folder, or one an earlier `analysis extract` wrote (the "
            "default is data/raw/extracted); data/raw/published and your own folders are never "
            "written."
        ),
        writes_in=(config.RAW_DIR,),
        protected=(Protected("the processed data folder", config.PROCESSED_DIR),),
        whole=True,
        legacy=_earlier_extraction,
    )


def _earlier_extraction(folder: Path) -> set[str] | None:
    """An unmarked folder holding only extraction files was made by an earlier version."""
    ours = {*FILE_NAMES.values(), REPORT_NAME}
    names = {p.name for p in folder.iterdir()} - KEPT_FILES
    return names if names <= ours and "reports.csv" in names else None


def _write(tables: dict[str, pd.DataFrame], out: Path) -> Path:
    """Replace ``out`` with the tables and the report, as a whole, under the folder's lock."""
    target = _claim(out).folder
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with FolderLock(
            lock_beside(target), COMMAND, busy=f"Another `analysis extract` is writing {target}"
        ):
            target = _claim(out).folder
            with replace_folder(target, keep=KEPT_FILES) as temp:
                for name, frame in tables.items():
                    write_text_atomic(
                        temp / FILE_NAMES[name],
                        safe_for_csv(frame).to_csv(index=False, lineterminator="\n"),
                    )
                write_text_atomic(temp / REPORT_NAME, extraction_report(tables))
                write_mark(temp, COMMAND, [*(FILE_NAMES[n] for n in tables), REPORT_NAME])
    except OSError as err:
        raise InputDataError(
            f"Could not write the extracted tables to {target}: {err.strerror or err} "
            f"({err.filename or target.parent}). Nothing was replaced; the previous tables are "
            "kept. Free some disk space or choose a writable folder, then run again."
        ) from None
    return target


def extract_reports(
    paths: Iterable[str | os.PathLike],
    *,
    out: str | os.PathLike | None = None,
    write: bool = True,
    progress: bool = True,
    jobs: int | None = None,
) -> ExtractionResult:
    """Extract inspection reports (.txt, .pdf, .html) into tidy tables with provenance.

    Each file is read on its own: a file that cannot be read, or whose layout is not
    recognised, is listed with the reason and never stops the others. The same report given
    twice (by unit and date), for example as text and as PDF, is kept once and every value on
    which the files disagree is listed in ``conflicts``.

    Parameters
    ----------
    paths : iterable of path-like
        Files, or folders searched recursively for ``.txt``, ``.pdf``, ``.html`` and ``.htm``.
    out : path-like, optional
        Output folder (default ``data/raw/extracted/``): new, empty or written by an earlier
        extraction. It is replaced as a whole (every table as CSV, ``extraction-report.md`` and
        the folder's mark), under its lock.
    write : bool, default True
        Write the tables; False only returns them.
    progress : bool, default True
        Show a progress bar when there is more than one file.
    jobs : int, optional
        Worker processes. Default: one per core (at most 4) from 8 files up, else 1. Each file
        is extracted on its own either way, and results keep the input order.

    Returns
    -------
    ExtractionResult

    Raises
    ------
    InputDataError
        When no files are given or found, or ``jobs`` is below 1; when ``out`` is a folder
        extraction may not write (:class:`~analysis.exceptions.OutputFolderError`, checked
        before any file is read) or another extraction is writing it; when writing failed (the
        previous tables are kept).
    """
    given = list(paths)
    files = _expand(given)
    if not files:
        raise InputDataError(
            f"No report files found in {', '.join(map(str, given)) or '(nothing given)'}; "
            f"expected files ending in {', '.join(SUFFIXES)} or folders holding them."
        )
    if jobs is None:
        jobs = min(os.cpu_count() or 1, 4) if len(files) >= _PARALLEL_FROM else 1
    if jobs < 1:
        raise InputDataError(f"jobs must be at least 1, got {jobs}.")
    if write:
        _claim(Path(out) if out is not None else DEFAULT_OUT)
    results = _run(files, jobs=min(jobs, len(files)), progress=progress and len(files) > 1)
    tables = assemble(results)
    out_dir = None
    if write and tables["files"]["status"].isin(["ok", "duplicate", "skipped"]).any():
        out_dir = _write(tables, Path(out) if out is not None else DEFAULT_OUT)
    return ExtractionResult(tables, out_dir)
