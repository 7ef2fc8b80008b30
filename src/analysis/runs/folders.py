"""Which folders the runner may write reports into, and the marker of a folder it made.

The runner writes (and replaces) files in its reports folder, so the folder must be its own.
:func:`prepare_reports_dir` refuses, before anything is written, a folder that

- is, contains or lies inside the raw data folder, or is or lies inside a processed data
  folder (a build would replace reports kept there, and reports must never overwrite inputs);
- is or contains the project root, or lies inside the project without being its ``reports/``;
- is or lies inside a git work tree (other than the project's own ``reports/``);
- is not empty and was not made by the runner (it has no marker file :data:`MARKER`).

A folder it accepts gets the marker (a small JSON file). The project's own ``reports/`` is
always the runner's, and a folder written by an earlier version of the runner (only an index,
``_runs/`` and report folders) is adopted with the marker.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import __version__, config
from ..io.atomic import now_utc, write_json_atomic
from ..exceptions import RunSetupError
from .parameters import known_regions, region_slug

__all__ = ["MARKER", "prepare_reports_dir", "check_reports_dir"]

MARKER = ".analysis-reports"
"""File that marks a folder made by the runner (JSON: what made it, when, which version)."""

_OWN_FILES = {MARKER, ".analysis-reports.lock", "index.html", "_runs", "README.md", ".gitkeep"}


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _git_root(path: Path) -> Path | None:
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _looks_like_earlier_reports(folder: Path) -> bool:
    """Only an index, ``_runs/`` with manifests and report folders: made by an earlier runner."""
    names = {p.name for p in folder.iterdir()}
    slugs = {region_slug(r) for r in [None, *known_regions()]}
    runs = folder / "_runs"
    return (
        runs.is_dir()
        and any(runs.glob("*.json"))
        and all(n in _OWN_FILES or (n in slugs and (folder / n).is_dir()) for n in names)
    )


def _refuse(folder: Path, why: str) -> RunSetupError:
    return RunSetupError(
        f"Refusing to write reports to {folder}: {why}. Nothing was written. Give --reports "
        "a new or empty folder outside the data folders and any git work tree (or leave it out "
        f"to use {config.REPORTS_DIR})."
    )


def check_reports_dir(
    reports_dir: str | os.PathLike[str],
    processed_dirs: tuple[str | os.PathLike[str] | None, ...] = (),
) -> Path:
    """Check that ``reports_dir`` is safe for the runner; return it resolved.

    Raises
    ------
    RunSetupError
        Naming the folder and the reason, when it is refused (see the module's docstring).
    """
    folder = Path(reports_dir).expanduser().resolve()
    own_reports = config.REPORTS_DIR.resolve()
    if folder.exists() and not folder.is_dir():
        raise _refuse(folder, "it is a file, not a folder")
    root = config.PROJECT_ROOT.resolve()
    if _within(root, folder):
        raise _refuse(folder, f"it is or contains the project root ({root})")
    protected = [("the raw data folder", config.RAW_DIR)]
    protected += [("the processed data folder", Path(p)) for p in processed_dirs if p]
    protected.append(("the processed data folder", config.PROCESSED_DIR))
    for name, other in protected:
        other = other.expanduser().resolve()
        if _within(folder, other):
            raise _refuse(folder, f"it is or lies inside {name} ({other})")
        if name == "the raw data folder" and _within(other, folder):
            raise _refuse(folder, f"it contains {name} ({other})")
    if _within(folder, root) and not _within(folder, own_reports):
        raise _refuse(folder, f"it lies inside the project ({root}) but not in its reports/ folder")
    git = _git_root(folder)
    if git is not None and not (_within(folder, own_reports) and git == root):
        raise _refuse(folder, f"it is or lies inside the git work tree {git}")
    return folder


def prepare_reports_dir(
    reports_dir: str | os.PathLike[str],
    processed_dirs: tuple[str | os.PathLike[str] | None, ...] = (),
) -> tuple[Path, str | None]:
    """Check ``reports_dir`` (:func:`check_reports_dir`), create it if needed and mark it.

    Returns
    -------
    (Path, str or None)
        The resolved folder, and a note for the user when an unmarked folder was adopted (the
        project's own ``reports/`` or an earlier runner's folder).

    Raises
    ------
    RunSetupError
        When the folder is refused, or cannot be created or marked.
    """
    folder = check_reports_dir(reports_dir, processed_dirs)
    if (folder / MARKER).is_file():
        return folder, None
    note = None
    if folder.is_dir() and any(folder.iterdir()):
        if folder == config.REPORTS_DIR.resolve():
            note = f"Marked the project's reports folder {folder} as the runner's own."
        elif _looks_like_earlier_reports(folder):
            note = f"Adopted {folder}, written by an earlier version of the runner."
        else:
            raise _refuse(
                folder,
                f"it is not empty and was not made by `analysis reports` (no {MARKER} marker)",
            )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_json_atomic(
            folder / MARKER,
            {"made_by": "analysis reports", "created": now_utc(), "version": __version__},
        )
    except OSError as exc:
        raise RunSetupError(
            f"Cannot create or mark the reports folder {folder}: {exc.strerror or exc}"
            f"{f' ({exc.filename})' if exc.filename else ''}. Nothing was written."
        ) from None
    return folder, note
