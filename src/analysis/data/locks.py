"""A lock per output folder, so that two builds never replace the same folder at once.

The lock is a small JSON file beside the folder (``.processed.lock`` for ``processed/``) holding
the holder's process id, host and start time. It is created in one step (written whole to a
temporary file, then linked into place, which fails if a lock exists), so a lock is never half
written. A lock whose process no longer runs on this host (killed, machine restarted) is stale:
it is noted and replaced.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from .._io import now_utc
from ..exceptions import InputDataError

__all__ = ["lock_path", "folder_lock", "read_lock"]


def lock_path(folder: Path) -> Path:
    """Where the lock of ``folder`` lives: ``<parent>/.<name>.lock``."""
    return folder.parent / f".{folder.name}.lock"


def read_lock(path: Path) -> dict | None:
    """The holder recorded in a lock file; None if there is none; {} if it is unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(holder: dict) -> bool:
    pid = holder.get("pid")
    return (
        holder.get("host") == socket.gethostname()
        and isinstance(pid, int)
        and pid != os.getpid()
        and not _alive(pid)
    )


def _describe(holder: dict, path: Path) -> str:
    if not holder:
        return f"an unreadable lock file {path}"
    return (
        f"process {holder.get('pid')} on host {holder.get('host')} "
        f"(started {holder.get('started')}, command: {holder.get('command', '?')})"
    )


def _try_create(path: Path, record: dict) -> bool:
    temp = path.parent / f"{path.name}.{os.getpid()}.{time.monotonic_ns()}.tmp"
    temp.write_text(json.dumps(record) + "\n", encoding="utf-8")
    try:
        os.link(temp, path)
        return True
    except FileExistsError:
        return False
    finally:
        temp.unlink(missing_ok=True)


@contextlib.contextmanager
def folder_lock(folder: Path, what: str, wait: float = 0.0) -> Iterator[list[str]]:
    """Hold the lock of ``folder`` for the block; yield notes (a stale lock that was replaced).

    Parameters
    ----------
    folder : Path
        The folder to be replaced; its parent must exist.
    what : str
        The command taking the lock, recorded for whoever finds it held.
    wait : float
        Seconds to wait for another holder to finish before refusing (0: refuse at once).

    Raises
    ------
    InputDataError
        If another live process holds the lock (named: pid, host, start time), or the lock
        cannot be created.
    """
    path = lock_path(folder)
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": now_utc(),
        "command": what,
    }
    notes: list[str] = []
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            if _try_create(path, record):
                break
        except OSError as err:
            raise InputDataError(
                f"Cannot create the lock {path} for {folder}: {err.strerror}. "
                "Check that the folder above it exists and is writable."
            ) from None
        holder = read_lock(path)
        if holder is None:
            continue
        if _stale(holder):
            notes.append(f"replaced a stale lock left by {_describe(holder, path)}, which is gone")
            path.unlink(missing_ok=True)
            continue
        if time.monotonic() >= deadline:
            raise InputDataError(
                f"{folder} is being written by {_describe(holder, path)}. Wait for it to "
                f"finish and run again. If no such process is running, delete {path}."
            )
        time.sleep(0.2)
    try:
        yield notes
    finally:
        if read_lock(path) == record:
            path.unlink(missing_ok=True)
