"""The runner's reports folder: which folder it may write, and its lock (rules in analysis.io).

The rules every command shares (never raw data, the project, a git work tree, someone else's
folder; one mark; one lock) live in :mod:`analysis.io.folders` and :mod:`analysis.io.locks`.
This module only says where the runner writes: its ``reports/`` inside the project, or a new,
empty or runner-made folder outside it, never inside the raw or processed data. A folder
written by an earlier runner (an index, ``_runs/`` with manifests, report folders, or the old
``.analysis-reports`` marker) is adopted with a note.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import config
from ..exceptions import OutputFolderError, RunnerGone
from ..io.folders import MARK, Protected, claim, write_mark
from ..io.locks import FolderLock
from .parameters import known_regions, region_slug

__all__ = [
    "MARK",
    "LOCK_NAME",
    "COMMAND",
    "prepare_reports_dir",
    "check_reports_dir",
    "reports_lock",
    "check_fence",
]

COMMAND = "analysis reports"
LOCK_NAME = ".analysis-reports.lock"
_EARLIER = {".analysis-reports", LOCK_NAME, "index.html", "_runs", "README.md", ".gitkeep"}


def _earlier_runner(folder: Path) -> set[str] | None:
    """What an earlier runner wrote in an unmarked ``folder``, or None if it did not make it."""
    names = {p.name for p in folder.iterdir()}
    slugs = {region_slug(r) for r in [None, *known_regions()]}
    runs = folder / "_runs"
    if (folder / ".analysis-reports").is_file() or (
        runs.is_dir()
        and any(runs.glob("*.json"))
        and all(n in _EARLIER or (n in slugs and (folder / n).is_dir()) for n in names)
    ):
        return names
    return None


def _claim(reports_dir, processed_dirs):
    protected = [Protected("the raw data folder", config.RAW_DIR)]
    protected += [
        Protected("the processed data folder", Path(p), refuse_containing=False)
        for p in (*processed_dirs, config.PROCESSED_DIR)
        if p
    ]
    own = config.REPORTS_DIR.resolve()
    return claim(
        reports_dir,
        command=COMMAND,
        what="reports",
        advice=(
            "Give --reports a new or empty folder outside the data folders and any git work "
            f"tree (or leave it out to use {config.REPORTS_DIR})."
        ),
        writes_in=(config.REPORTS_DIR,),
        protected=protected,
        legacy=lambda folder: set() if folder == own else _earlier_runner(folder),
    )


def check_reports_dir(
    reports_dir: str | os.PathLike[str],
    processed_dirs: tuple[str | os.PathLike[str] | None, ...] = (),
) -> Path:
    """The resolved reports folder if the runner may write it; raise OutputFolderError if not."""
    return _claim(reports_dir, processed_dirs).folder


def prepare_reports_dir(
    reports_dir: str | os.PathLike[str],
    processed_dirs: tuple[str | os.PathLike[str] | None, ...] = (),
) -> tuple[Path, str | None]:
    """Check ``reports_dir``, create it if needed and mark it; return it and a note, if any.

    Raises
    ------
    OutputFolderError
        When the folder is refused, or cannot be created or marked.
    """
    found = _claim(reports_dir, processed_dirs)
    folder = found.folder
    if found.mark is not None and found.note is None:
        return folder, None
    note = found.note
    if folder == config.REPORTS_DIR.resolve() and note is not None:
        note = f"Marked the project's reports folder {folder} as the runner's own."
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_mark(folder, COMMAND, ())
    except OSError as exc:
        raise OutputFolderError(
            f"Cannot create or mark the reports folder {folder}: {exc.strerror or exc}"
            f"{f' ({exc.filename})' if exc.filename else ''}. Nothing was written."
        ) from None
    return folder, note


def reports_lock(folder: Path, wait: bool = False) -> FolderLock:
    """The exclusive lock of a reports folder: one runner writes it at a time."""
    return FolderLock(
        Path(folder) / LOCK_NAME,
        COMMAND,
        wait=wait,
        busy=f"Another `analysis reports` is writing to {folder}",
        advice="Nothing was run. Wait for it to finish, or add --wait to wait for it.",
    )


def check_fence(reports_dir: Path, token: str | None) -> None:
    """Refuse a worker's write once the runner that sent the run no longer holds its lock.

    ``token`` is the fencing token of the runner's lock (:attr:`FolderLock.token`), carried by
    each run. The lock's holder record carries it while the runner holds the lock; a runner
    that released the lock (it ended or was stopped) removed the record, and one that died left
    it to be taken over with a new token. Either way the worker's write is refused. (A spec
    without a token, run outside the runner, is not fenced.)
    """
    if token is None:
        return
    record = reports_lock(Path(reports_dir)).holder()
    if record.get("token") != token:
        raise RunnerGone(
            f"The runner that started this run no longer holds the lock on {reports_dir}, so "
            "this worker writes nothing more for it; the next batch runs it again."
        )
