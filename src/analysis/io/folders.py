"""Owned output folders: the one mark of a folder a command made, and the one set of refusals.

Every command that writes a folder (``analysis build``, ``extract``, ``simulate``, ``reports``)
claims it with :func:`claim` before writing anything, and marks it with :func:`write_mark`. The
mark is one small JSON file, :data:`MARK`, naming the command that made the folder, when, the
package version and the files it wrote. :func:`claim` refuses, with one message shape for every
command (``Refusing to write WHAT to FOLDER: WHY. Nothing was written. ADVICE``), a folder that

- is a file;
- is or contains the project root, or lies inside the project outside the places the command
  writes (``data/processed`` for the build, ``data/raw`` for extraction and the generator,
  ``reports/`` for the runner);
- is, lies inside or contains a folder the command must never write (the raw data for the
  build and the runner, the processed data for the others);
- is or lies inside a git work tree other than the project's own;
- is not empty and has no mark of this command (a README and the files an operating system
  leaves are allowed), unless an earlier version's record shows the command made it (adopted,
  with a note);
- is replaced as a whole and holds files the command did not write (they would be deleted).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import config
from ..exceptions import OutputFolderError
from .atomic import now_utc, write_json_atomic

__all__ = [
    "MARK",
    "KEPT_FILES",
    "SYSTEM_FILES",
    "Mark",
    "Protected",
    "Claim",
    "claim",
    "read_mark",
    "write_mark",
    "name_list",
]

MARK = ".analysis-owned.json"
"""The file that marks a folder a command made (JSON: made_by, created, version, files)."""
KEPT_FILES = frozenset({"README.md", ".gitkeep"})
"""Files any owned folder may hold besides its command's own; a folder replaced whole keeps them."""
SYSTEM_FILES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
"""Files an operating system leaves in folders it shows; not the user's work, not kept."""


@dataclass(frozen=True)
class Mark:
    """What a folder's mark says: which command made it and which files it wrote there."""

    made_by: str
    files: frozenset[str]
    created: str = ""
    version: str = ""


@dataclass(frozen=True)
class Protected:
    """A folder a command must never write: refused when the target is, lies in or contains it."""

    name: str
    path: Path
    refuse_containing: bool = True


@dataclass
class Claim:
    """A folder a command may write: resolved, with what its mark says and any note."""

    folder: Path
    mark: Mark | None
    note: str | None = None
    exists: bool = False
    extra: set[str] = field(default_factory=set)
    """Files present that the command did not write but may leave (README, system files)."""


def name_list(names: Iterable[str]) -> str:
    """Names sorted and joined, the first eight shown: ``a, b and 3 more``."""
    names = sorted(names)
    shown = ", ".join(names[:8])
    return shown + (f" and {len(names) - 8} more" if len(names) > 8 else "")


def read_mark(folder: Path) -> Mark | None:
    """The mark of ``folder``; None when there is none or it is unreadable."""
    try:
        data = json.loads((Path(folder) / MARK).read_text(encoding="utf-8"))
        files = data.get("files", [])
        return Mark(
            made_by=str(data["made_by"]),
            files=frozenset(str(f) for f in files),
            created=str(data.get("created", "")),
            version=str(data.get("version", "")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def write_mark(folder: Path, made_by: str, files: Iterable[str]) -> Path:
    """Mark ``folder`` as made by ``made_by``, listing the files it wrote (atomically)."""
    return write_json_atomic(
        Path(folder) / MARK,
        {
            "made_by": made_by,
            "created": now_utc(),
            "version": config.VERSION,
            "files": sorted(set(files) - {MARK}),
        },
    )


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _git_root(path: Path) -> Path | None:
    for folder in (path, *path.parents):
        if (folder / ".git").exists():
            return folder
    return None


def claim(
    folder: str | os.PathLike[str],
    *,
    command: str,
    what: str,
    advice: str,
    writes_in: Sequence[Path],
    protected: Sequence[Protected] = (),
    whole: bool = False,
    replaces: Iterable[str] = (),
    legacy: Callable[[Path], set[str] | None] | None = None,
) -> Claim:
    """Check that ``command`` may write ``folder``; return the claim or raise saying why not.

    Parameters
    ----------
    folder : path-like
        The folder asked for (a link is followed).
    command : str
        The command, as the mark records it (``analysis build``).
    what : str
        What is written, for messages (``the processed data``).
    advice : str
        The last sentence of a refusal: what to do instead.
    writes_in : sequence of Path
        Folders inside the project where the command may write; elsewhere in the project is
        refused.
    protected : sequence of Protected
        Folders the command never writes.
    whole : bool
        The folder is replaced as a whole, so any file the command did not write is refused.
    replaces : iterable of str
        For a folder written file by file, the names about to be written: an existing one the
        command did not write is refused.
    legacy : callable, optional
        Given an unmarked, non-empty folder, the set of files an earlier version of the command
        wrote there (the folder is adopted), or None.

    Raises
    ------
    OutputFolderError
        Naming the folder and the reason.
    """
    target = Path(folder).expanduser().resolve()

    def refuse(why: str) -> OutputFolderError:
        return OutputFolderError(
            f"Refusing to write {what} to {target}: {why}. Nothing was written. {advice}"
        )

    if target.exists() and not target.is_dir():
        raise refuse("it is a file, not a folder")
    root = config.PROJECT_ROOT.resolve()
    if _within(root, target):
        raise refuse(f"it is or contains the project root ({root})")
    for item in protected:
        other = item.path.expanduser().resolve()
        if _within(target, other):
            raise refuse(f"it is or lies inside {item.name} ({other})")
        if item.refuse_containing and _within(other, target):
            raise refuse(f"it contains {item.name} ({other})")
    places = [p.expanduser().resolve() for p in writes_in]
    if _within(target, root) and not any(_within(target, p) for p in places):
        where = " or ".join(f"{p.relative_to(root)}/" for p in places if _within(p, root))
        raise refuse(f"it lies inside the project ({root}) but not in its {where} folder")
    git = _git_root(target)
    if git is not None and git != root:
        raise refuse(f"it is or lies inside the git work tree {git}")
    if not target.exists():
        return Claim(target, None)
    try:
        present = {p.name for p in target.iterdir()} - SYSTEM_FILES
    except OSError as err:
        raise refuse(f"it cannot be read ({err.strerror})") from None
    mark = read_mark(target)
    note = None
    if mark is not None and mark.made_by != command:
        raise refuse(f"it was made by `{mark.made_by}`, not `{command}`")
    if mark is None and present - KEPT_FILES:
        adopted = legacy(target) if legacy is not None else None
        if adopted is None:
            raise refuse(
                f"it is not empty and was not made by `{command}` (no {MARK} mark); it holds "
                f"{name_list(present - KEPT_FILES)}"
            )
        mark = Mark(command, frozenset(adopted))
        note = f"Adopted {target}, written by an earlier version of `{command}`."
    ours = (mark.files if mark else frozenset()) | {MARK}
    if whole:
        foreign = present - ours - KEPT_FILES
        if foreign:
            raise refuse(
                f"it holds files `{command}` did not write: {name_list(foreign)}, which "
                "replacing the folder as a whole would delete; move them elsewhere (reports "
                "belong in reports/)"
            )
    clash = {n for n in replaces if n in present and n not in ours}
    if clash:
        raise refuse(f"it already holds {name_list(clash)}, which `{command}` did not write")
    return Claim(target, mark, note, exists=True, extra=present - ours)
