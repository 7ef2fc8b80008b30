"""Which folders a build may replace: only one it made itself, never raw data, a checkout or yours.

A build replaces its output folder as a whole, so the folder must be one the build wrote: its
``manifest.json`` lists every file the build put there. :func:`check_output_folder` refuses, with
a message naming the reason, a folder that

* is, contains or lies inside the raw data folder;
* is or contains the project root, or is a git work tree (holds ``.git``);
* is a file, or a non-empty folder without a build manifest (a ``README.md`` alone is allowed);
* was made by a build but now also holds files the build did not write (reports saved there,
  for example), which the next build would otherwise delete.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import config
from ..exceptions import InputDataError

__all__ = ["check_output_folder", "build_files", "KEPT_FILES"]

KEPT_FILES = frozenset({"README.md", ".gitkeep"})
"""Files a build keeps (copies into the new folder) rather than treating as foreign."""
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files an operating system leaves in folders it shows; not the user's work, not kept."""


def build_files(folder: Path) -> set[str] | None:
    """Names of the files a build wrote in ``folder`` (from its manifest); None if not a build."""
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


def _names(paths) -> str:
    paths = sorted(paths)
    shown = ", ".join(paths[:8])
    return shown + (f" and {len(paths) - 8} more" if len(paths) > 8 else "")


def _related(a: Path, b: Path) -> str | None:
    if a == b:
        return "is"
    if a.is_relative_to(b):
        return "lies inside"
    if b.is_relative_to(a):
        return "contains"
    return None


def check_output_folder(folder: Path, raw_dir: Path, option: str = "--processed") -> Path:
    """The resolved folder a build may replace; raise InputDataError saying why not otherwise.

    Parameters
    ----------
    folder : Path
        The output folder asked for.
    raw_dir : Path
        The raw data folder (never written).
    option : str
        How the user named the folder, for messages.
    """
    target = folder.expanduser().resolve()
    advice = f"Choose a new or empty folder for {option} (the default is data/processed)."
    root = config.PROJECT_ROOT.resolve()
    if _related(target, root) in ("is", "contains"):
        raise InputDataError(
            f"{option} {folder} {_related(target, root)} the project folder {root}; the build "
            f"replaces its output folder as a whole and would delete your work. {advice}"
        )
    relation = _related(target, raw_dir.expanduser().resolve())
    if relation:
        raise InputDataError(
            f"{option} {folder} {relation} the raw data folder {raw_dir}; data/raw is never "
            f"written or replaced. {advice}"
        )
    if not target.exists():
        return target
    if not target.is_dir():
        raise InputDataError(f"{option} {folder} is a file, not a folder. {advice}")
    if (target / ".git").exists():
        raise InputDataError(
            f"{option} {folder} is a git work tree (it holds .git); the build replaces its "
            f"output folder as a whole and would delete it. {advice}"
        )
    try:
        present = {p.name for p in target.iterdir()}
    except OSError as err:
        raise InputDataError(f"{option} {folder} cannot be read: {err.strerror}.") from None
    present -= SYSTEM_FILES
    ours = build_files(target)
    if ours is None:
        if present - KEPT_FILES:
            raise InputDataError(
                f"{option} {folder} is a folder the build did not make (it has no build "
                f"manifest.json) and it is not empty: it holds {_names(present - KEPT_FILES)}. "
                f"The build replaces its output folder as a whole, so it never takes over a "
                f"folder with your files in it. {advice}"
            )
        return target
    foreign = present - ours - KEPT_FILES
    if foreign:
        raise InputDataError(
            f"{option} {folder} holds files the build did not write: {_names(foreign)}. The "
            f"next build replaces the folder as a whole and would delete them, so it stopped. "
            f"Move them elsewhere (reports belong in reports/), then run the build again."
        )
    return target
