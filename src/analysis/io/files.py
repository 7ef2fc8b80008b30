"""Which paths may be read: a regular file, never a named pipe, socket, device or broken link.

Reading a named pipe waits for a writer, so a pipe named like an input (``cases.csv``,
``dataset.toml``, ``metadata.json``) would hang a command. Every reader asks
:func:`not_regular` first and refuses what it names.

>>> import tempfile, pathlib
>>> not_regular(pathlib.Path(tempfile.mkdtemp()))
'a folder'
"""

from __future__ import annotations

import stat
from pathlib import Path

__all__ = ["not_regular", "read_small_text"]


def not_regular(path: Path) -> str | None:
    """None for a regular file (after links), else what the path is, in words."""
    try:
        mode = path.stat().st_mode
    except OSError as err:
        if path.is_symlink():
            return "a link that leads nowhere (its target is missing, or links loop round)"
        return f"unreadable ({err.strerror})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (reading it would wait for a writer)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device or other special file"


def read_small_text(path: Path) -> str:
    """The UTF-8 text of a regular file; OSError naming what it is otherwise (never hangs)."""
    kind = not_regular(path)
    if kind is not None:
        raise OSError(f"{path} is {kind}, not a regular file, so it was not read")
    return path.read_text(encoding="utf-8")
