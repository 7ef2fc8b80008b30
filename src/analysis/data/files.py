"""Finding the raw files of a table safely: never a hang, a loop or a traceback.

Only regular files are read. A named pipe, a socket or a device named like a table file is
reported (opening a pipe would wait for a writer forever); a link that leads nowhere or round in
a loop is reported; a folder named like a file (``cases.csv/``) is reported; macOS resource
files (``._cases.csv``) and Excel lock files (``~$cases.xlsx``) are skipped with a note. The walk
over ``data/raw`` that finds files belonging to no table never follows links into folders.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..io.files import not_regular
from .ingest import SUFFIXES, failure, file_failure

__all__ = ["files_for", "unclaimed", "IGNORED_FILES", "label_of"]

IGNORED_FILES = {"README.md", "metadata.json", ".gitkeep", "dataset.toml"}
_OTHER_SPREADSHEETS = {
    ".xls": "an Excel 97-2003 workbook",
    ".xlsm": "a macro-enabled workbook",
    ".ods": "an OpenDocument spreadsheet",
    ".tsv": "tab-separated text",
}
_NOT_A_TABLE = {".md"}
"""Suffixes of files that may sit beside a table under its name (notes), never read as one."""


def label_of(path: Path, raw_dir: Path) -> str:
    """A path as named in messages: relative to ``raw_dir`` where it lies inside it."""
    try:
        return str(path.relative_to(raw_dir))
    except ValueError:
        return str(path)


def _skipped(name: str) -> str | None:
    if name.startswith("._"):
        return "a macOS resource file (made when copying from a Mac); skipped"
    if name.startswith("~$"):
        return "an Excel lock file (the workbook is open in Excel); skipped"
    return None


def _meant_for_table(path: Path, stem: str | None, table: str) -> tuple[str, str] | None:
    """(check, expected) for a file named for ``table`` that the build would not read, or None.

    A file a user meant as the table (``cases.xls`` saved by Excel, ``cases.txt``, ``Cases.csv``;
    in a table folder, a workbook of another format) is an error, never a warning among many:
    without it the table would be built from fewer files, or not at all.
    """
    suffix = path.suffix.lower()
    if stem is None:  # a file in the table's folder of parts
        meant = suffix in _OTHER_SPREADSHEETS or suffix == ".txt"
    else:
        meant = path.stem.lower() == stem.lower() and suffix not in _NOT_A_TABLE
    if not meant or path.is_dir():
        return None
    if suffix in SUFFIXES:  # named like the table but for the case of its letters
        return (
            "file_name",
            f"a file named {stem}{suffix} for table '{table}'; this file is named {path.name}, "
            f"so it was not read. Rename it {stem}{suffix}",
        )
    what = _OTHER_SPREADSHEETS.get(suffix) or (
        f"a {suffix} file" if suffix else "a file without an extension"
    )
    part = "part of " if stem is None else ""
    return (
        "file_format",
        f"a .csv (UTF-8), .xlsx or .parquet file holding {part}table '{table}'; this is {what}, "
        "which is not read, so the table was not built from it. Save it as .xlsx or 'CSV UTF-8'",
    )


def files_for(
    base: Path, patterns: tuple[str, ...], raw_dir: Path, table: str
) -> tuple[list[Path], list[dict], set[Path]]:
    """The readable files of ``table`` under ``base`` for each pattern (``stem`` or ``dir/*``).

    Returns the files to read, failure records for paths that match but cannot be read, and
    every path looked at (so the unknown-file check does not report them again).
    """
    found: list[Path] = []
    problems: list[dict] = []
    seen: set[Path] = set()
    for pattern in patterns:
        folder, _, stem = pattern.rpartition("/")
        where = base / folder if folder else base
        if stem == "*":
            stem = None
        try:
            if not where.is_dir():
                continue
            entries = sorted(where.iterdir())
        except OSError:
            continue
        for path in entries:
            if _skipped(path.name) or path.name.startswith("."):
                continue
            if path.suffix.lower() not in SUFFIXES or (stem is not None and path.stem != stem):
                meant = _meant_for_table(path, stem, table)
                if meant is not None:
                    seen.add(path)
                    problems.append(file_failure(label_of(path, raw_dir), *meant))
                continue
            seen.add(path)
            label = label_of(path, raw_dir)
            kind = not_regular(path)
            if kind is None:
                found.append(path)
                continue
            problems.append(
                file_failure(
                    label,
                    "regular_file",
                    f"a file holding table '{table}'; this is {kind}, so it was not read",
                    "warning" if stem is None and kind == "a folder" else "error",
                )
            )
    return found, problems, seen


def unclaimed(raw_dir: Path, claimed: set[Path]) -> list[dict]:
    """Warnings for files under ``raw_dir`` that belong to no table (links to folders not followed)."""
    out = []
    for top, dirs, names in os.walk(raw_dir, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(top) / name
            note = _skipped(name)
            if note:
                label = label_of(path, raw_dir)
                out.append(failure(label, None, None, None, "file_skipped", note, "warning"))
                continue
            ignored = name in IGNORED_FILES or path.suffix == ".md" or name.startswith(".")
            if path in claimed or ignored:
                continue
            label = label_of(path, raw_dir)
            other = _OTHER_SPREADSHEETS.get(path.suffix.lower())
            expected = (
                f"a .csv (UTF-8), .xlsx or .parquet file; this is {other}, which is not read. "
                "Save it as .xlsx or 'CSV UTF-8'"
                if other
                else "a file that belongs to a table (see docs/data-dictionary.md); "
                "this file was not read"
            )
            out.append(failure(label, None, None, None, "file_known", expected, "warning"))
    return out
