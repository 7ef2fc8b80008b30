"""Atomic writes of files and of whole folders, and timestamps: the one home of both writers.

Every file the project writes goes through :func:`atomic_path`: the content is written to a
temporary file in the destination's folder and renamed over the destination only when complete,
so a full disk, a crash or Ctrl-C never leaves a half-written file and the previous good
version stays until the new one is whole. A command that replaces a folder as a whole (the
build, extraction) writes a temporary sibling folder with :func:`replace_folder`, which swaps it
in only when every file in it is whole, so a folder never holds files from two runs.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_text_atomic(folder / "a.txt", "hello").read_text()
'hello'
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["atomic_path", "write_text_atomic", "write_json_atomic", "replace_folder", "now_utc"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    On any error (including KeyboardInterrupt) the temporary file is removed and ``path`` is
    left as it was. The file gets the usual mode (0666 less the umask), not mkstemp's 0600.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_path`); return the path."""
    with atomic_path(path) as temp, open(temp, "w", encoding=encoding, newline="") as stream:
        stream.write(text)
    return Path(path)


def write_json_atomic(path: str | os.PathLike[str], data: object) -> Path:
    """Write ``data`` as indented JSON (UTF-8, sorted keys) atomically; return the path."""
    text = json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"
    return write_text_atomic(path, text)


@contextlib.contextmanager
def replace_folder(
    folder: str | os.PathLike[str], keep: frozenset[str] = frozenset()
) -> Iterator[Path]:
    """Yield a new empty sibling folder; on success swap it in place of ``folder``.

    Write every file into the yielded folder. When the block ends without an error, the files
    named in ``keep`` that ``folder`` holds (a README, say) are copied across, ``folder`` (if it
    exists) is renamed aside, the new folder renamed into its place and the old one deleted. On
    any error (a full disk, Ctrl-C) the new folder is deleted and ``folder`` is left exactly as
    it was, so the folder is always one whole run. The caller must hold the folder's lock.
    """
    folder = Path(folder)
    parent = folder.parent
    tag = uuid.uuid4().hex[:8]
    temp = parent / f".{folder.name}.tmp-{tag}"
    old = parent / f".{folder.name}.old-{tag}"
    temp.mkdir(mode=0o777)
    try:
        yield temp
        for name in sorted(keep):
            if (folder / name).is_file() and not (temp / name).exists():
                shutil.copy2(folder / name, temp / name)
        if folder.exists():
            folder.rename(old)
        temp.rename(folder)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        if old.exists() and not folder.exists():
            old.rename(folder)
        raise
    shutil.rmtree(old, ignore_errors=True)


def now_utc() -> str:
    """The current time in UTC, ISO 8601 with milliseconds and a ``Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
