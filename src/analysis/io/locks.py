"""Locks on folders, built on ``filelock``: the one home of every lock the commands take.

Two kinds, both released by the operating system when their process dies (however it dies), so
a lock left by a killed command is never in force:

- an **exclusive** lock (``filelock.FileLock``, an ``flock`` on Unix) for a folder one command
  writes at a time: a reports folder, the extraction folder;
- a **read/write** lock (``filelock.ReadWriteLock``) for the processed data: a batch of reports
  holds it for reading from start to end, so it sees one state of the data; a build holds it
  for writing while it replaces the folder, so it waits for (or refuses during) a batch.

Whoever holds a lock for writing records who they are (pid, host, start time, command) in a
small JSON file beside the lock, ``<lock>.holder.json``, written atomically. A command that
finds the lock taken names that holder; one that takes over a lock whose holder record is left
(its process was killed) says so in :attr:`FolderLock.note`.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with FolderLock(folder / ".x.lock", "doctest") as lock:
...     lock.holder()["command"]
'doctest'
"""

from __future__ import annotations

import errno
import json
import os
import socket
import time
import uuid
from pathlib import Path
from typing import Literal

from ..exceptions import OutputFolderError
from .atomic import now_utc, write_json_atomic

__all__ = ["FolderLock", "data_lock", "describe_holder", "lock_beside"]

_READ_ONLY = {errno.EACCES, errno.EPERM, errno.EROFS}

Mode = Literal["exclusive", "read", "write"]

# How long a refusal waits for a new holder to write its record before it describes the holder.
_RECORD_GRACE_S = 1.0


def lock_beside(folder: Path, suffix: str = ".lock") -> Path:
    """The lock of a folder replaced as a whole: ``<parent>/.<name><suffix>``."""
    return folder.parent / f".{folder.name}{suffix}"


def describe_holder(info: dict) -> str:
    """The holder of a lock in words: process, host, since when, doing what."""
    if not info:
        return "another process (it left no details)"
    return (
        f"process {info.get('pid', '?')} on {info.get('host', '?')}, started "
        f"{info.get('started', '?')} running `{info.get('command', '?')}`"
    )


class FolderLock:
    """A lock held from :meth:`acquire` to :meth:`release` (or for a ``with`` block).

    Parameters
    ----------
    path : path-like
        The lock file; its folder must exist.
    command : str
        What the holder is doing, shown to a command that finds the lock taken.
    mode : {"exclusive", "read", "write"}
        ``exclusive``: one holder (``filelock.FileLock``). ``read`` and ``write``: a
        ``filelock.ReadWriteLock``, many readers or one writer.
    wait : float or bool
        Seconds to wait for the holder to finish before refusing (``True``: without limit;
        ``0`` or ``False``: refuse at once).
    busy : str
        The sentence that starts the refusal, e.g. ``"Another `analysis reports` is writing to
        reports/"``; the holder and ``advice`` follow.
    advice : str
        What was (not) done and what to do, ending the refusal.
    poll_s : float
        How often to try again while waiting.

    Attributes
    ----------
    note : str or None
        Set when a lock whose holder was killed was taken over.
    read_only : bool
        The lock file could not be created because its folder is read-only: nothing can write
        there, so the holder may read without a lock but must not write.
    """

    def __init__(
        self,
        path,
        command: str,
        *,
        mode: Mode = "exclusive",
        wait: float | bool = 0.0,
        busy: str | None = None,
        advice: str = (
            "Nothing was written. Wait for it to finish and run again, or add --wait to wait "
            "for it."
        ),
        poll_s: float = 0.2,
    ):
        self.path = Path(path)
        self.record_path = self.path.with_name(self.path.name + ".holder.json")
        self.command = command
        self.mode = mode
        self.wait = wait
        self.busy = busy or f"{self.path.parent} is in use"
        self.advice = advice
        self.poll_s = poll_s
        self.note: str | None = None
        self.read_only = False
        self._lock = None
        self._record: dict | None = None

    @property
    def token(self) -> str | None:
        """The fencing token of this holding: workers write only while the record carries it."""
        return (self._record or {}).get("token")

    def holder(self) -> dict:
        """What the holder record says ({} when there is none or it is unreadable)."""
        try:
            info = json.loads(self.record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return info if isinstance(info, dict) else {}

    def _make(self):
        import filelock

        if self.mode == "exclusive":
            return filelock.FileLock(self.path, fallback_to_soft=False)
        return filelock.ReadWriteLock(self.path, is_singleton=False)

    def _try(self) -> bool:
        import filelock

        try:
            if self.mode == "exclusive":
                self._lock.acquire(blocking=False)
            elif self.mode == "read":
                self._lock.acquire_read(blocking=False)
            else:
                self._lock.acquire_write(blocking=False)
        except filelock.Timeout:
            return False
        return True

    def _who(self) -> str:
        # A holder writes its record just after it takes the lock: give it a moment, so a
        # command that finds the lock taken in that instant names the holder, not a guess.
        info = self.holder()
        deadline = time.monotonic() + _RECORD_GRACE_S
        while not info and time.monotonic() < deadline:
            time.sleep(0.05)
            info = self.holder()
        if self.mode == "write" and not info:
            return (
                "a batch of reports reading it (`analysis reports`), which leaves no record, "
                "or a command that has not yet said who it is"
            )
        return describe_holder(info)

    def _refusal(self) -> OutputFolderError:
        return OutputFolderError(f"{self.busy}: {self._who()}. {self.advice}")

    def acquire(self) -> FolderLock:
        """Take the lock, or wait for it.

        Raises
        ------
        OutputFolderError
            When another process holds it (naming the holder) and waiting is off or timed out,
            or when the lock file cannot be made for a reason other than a read-only folder.
        """
        import sqlite3

        try:
            self._lock = self._make()
            took = self._try()
        except sqlite3.DatabaseError as exc:
            raise OutputFolderError(
                f"The lock file {self.path} is damaged ({exc}). If no other command is using "
                f"{self.path.parent}, delete it and run again. Nothing was written."
            ) from None
        except OSError as exc:
            if exc.errno in _READ_ONLY:
                self.read_only = True
                self._lock = None
                return self
            raise OutputFolderError(
                f"Cannot create the lock file {self.path}: {exc.strerror or exc}. Check that "
                "the folder holding it exists and is writable. Nothing was written."
            ) from None
        if not took:
            limit = None if self.wait is True else float(self.wait or 0.0)
            deadline = None if limit is None else time.monotonic() + limit
            if deadline is not None and limit <= 0:
                raise self._refusal()
            print(f"waiting for {self._who()} to finish with {self.path.parent}", flush=True)
            while not took:
                if deadline is not None and time.monotonic() >= deadline:
                    raise self._refusal()
                time.sleep(self.poll_s)
                took = self._try()
        if self.mode != "read":
            previous = self.holder()
            if previous:
                self.note = (
                    f"Took over the lock on {self.path.parent} left by "
                    f"{describe_holder(previous)}, which is no longer running."
                )
            self._record = {
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "started": now_utc(),
                "command": self.command,
                "token": uuid.uuid4().hex,
            }
            try:
                write_json_atomic(self.record_path, self._record)
            except OSError:
                self._record = None  # the lock holds; only its description is missing
        return self

    def release(self) -> None:
        """Remove the holder record and release the lock."""
        if self._lock is None:
            return
        try:
            if self._record is not None and self.holder() == self._record:
                self.record_path.unlink(missing_ok=True)
        finally:
            self._record = None
            if self.mode == "exclusive":
                self._lock.release()
            else:
                self._lock.release()
                self._lock.close()
            self._lock = None

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def data_lock(
    processed_dir, command: str, mode: Literal["read", "write"], wait: float | bool = 0.0
) -> FolderLock:
    """The read/write lock of a processed data folder: a build writes it, a batch reads it.

    The lock lives beside the folder (``<parent>/.<name>.data-lock``), because the build
    replaces the folder as a whole.
    """
    folder = Path(processed_dir).expanduser().resolve()
    return FolderLock(
        lock_beside(folder, ".data-lock"), command, mode=mode, wait=wait, busy=f"{folder} is in use"
    )
