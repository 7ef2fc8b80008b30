"""One runner per reports folder: an ``flock``-ed lock file naming its holder.

The lock file ``<reports>/.analysis-reports.lock`` holds the holder's pid, host, start time and
command as JSON. The operating system releases an ``flock`` when its process dies, however it
dies, so a lock left by a killed runner is never in force: the next runner takes it over and
says whose it was. The file is written in place (not renamed over), because the lock belongs to
the file itself; its content is only informative.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with FolderLock(folder, "doctest") as lock:
...     lock.holder()["command"]
'doctest'
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
from pathlib import Path

from ..io.atomic import now_utc
from ..exceptions import RunSetupError

__all__ = ["LOCK_NAME", "FolderLock", "describe_holder"]

LOCK_NAME = ".analysis-reports.lock"

_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}


def describe_holder(info: dict) -> str:
    """The holder of a lock in words: process, host, since when, doing what."""
    if not info:
        return "another process (it left no details)"
    return (
        f"process {info.get('pid', '?')} on {info.get('host', '?')}, started "
        f"{info.get('started', '?')} running `{info.get('command', '?')}`"
    )


class FolderLock:
    """An exclusive lock on a reports folder, held from :meth:`acquire` to :meth:`release`.

    Parameters
    ----------
    folder : path-like
        The reports folder (must exist).
    command : str
        What the holder is doing, shown to a runner that finds the folder locked.
    wait : bool
        Wait for the holder to finish instead of refusing at once.
    poll_s : float
        How often to try again while waiting.

    Attributes
    ----------
    note : str or None
        Set when a stale lock (its holder was killed) was taken over.
    read_only : bool
        The folder cannot be written: no lock file could be made or opened for writing. The
        runner may still check that nothing needs to run, but must not write.
    """

    def __init__(self, folder, command: str, *, wait: bool = False, poll_s: float = 0.5):
        self.path = Path(folder) / LOCK_NAME
        self.command = command
        self.wait = wait
        self.poll_s = poll_s
        self.note: str | None = None
        self.read_only = False
        self._fd: int | None = None

    def _open(self) -> int | None:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError as exc:
            if exc.errno not in _READ_ONLY:
                raise
        self.read_only = True
        try:
            return os.open(self.path, os.O_RDONLY)
        except OSError:
            return None

    def _read(self, fd: int) -> dict:
        try:
            text = os.pread(fd, 65536, 0).decode("utf-8", "replace").strip()
            info = json.loads(text) if text else {}
        except (OSError, ValueError):
            return {"pid": "?", "command": "unreadable lock file"}
        return info if isinstance(info, dict) else {}

    def holder(self) -> dict:
        """What the lock file says about its holder ({} when empty or missing)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return {}
        try:
            return self._read(fd)
        finally:
            os.close(fd)

    def acquire(self) -> FolderLock:
        """Take the lock, or wait for it (``wait=True``).

        Raises
        ------
        RunSetupError
            When another runner holds it and ``wait`` is false, naming the holder; or when the
            lock file cannot be made for a reason other than a read-only folder.
        """
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not a POSIX system
            self.note = "This system has no file locks (fcntl): runners are not kept apart."
            return self
        try:
            fd = self._open()
        except OSError as exc:
            raise RunSetupError(
                f"Cannot create the lock file {self.path}: {exc.strerror or exc}."
            ) from None
        if fd is None:
            return self
        announced = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = describe_holder(self._read(fd))
                if not self.wait:
                    os.close(fd)
                    raise RunSetupError(
                        f"Another `analysis reports` is writing to {self.path.parent}: {holder}. "
                        "Nothing was run. Wait for it to finish, or add --wait to wait for it."
                    ) from None
                if not announced:
                    print(f"waiting for {holder} to finish with {self.path.parent}", flush=True)
                    announced = True
                time.sleep(self.poll_s)
        self._fd = fd
        previous = self._read(fd)
        if previous:
            self.note = (
                f"Took over the lock on {self.path.parent} left by "
                f"{describe_holder(previous)}, which is no longer running."
            )
        if not self.read_only:
            info = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": now_utc(),
                "command": self.command,
            }
            os.ftruncate(fd, 0)
            os.pwrite(fd, (json.dumps(info) + "\n").encode("utf-8"), 0)
        return self

    def release(self) -> None:
        """Clear the holder's details and release the lock (the file stays: it is the lock)."""
        if self._fd is None:
            return
        import fcntl

        try:
            if not self.read_only:
                os.ftruncate(self._fd, 0)
        except OSError:
            pass
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
