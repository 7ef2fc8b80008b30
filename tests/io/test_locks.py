"""Folder locks on filelock (analysis.io.locks): exclusive, and read/write for the data."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from analysis.exceptions import InputDataError, OutputFolderError, RunSetupError
from analysis.io.locks import FolderLock, data_lock

HOLD = (
    "import sys, time; from analysis.io.locks import data_lock;"
    "held = data_lock(sys.argv[1], 'analysis reports', sys.argv[2]).acquire();"
    "print('locked', flush=True); time.sleep(60)"
)


def _holder(folder, mode) -> subprocess.Popen:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder), mode], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout.readline().strip() == "locked"
    return child


def test_one_exclusive_holder_and_the_refusal_names_it(tmp_path):
    with FolderLock(tmp_path / ".x.lock", "first command"):
        with pytest.raises(OutputFolderError) as info:
            FolderLock(tmp_path / ".x.lock", "second", busy="busy").acquire()
    message = str(info.value)
    assert message.startswith(f"busy: process {os.getpid()} on ")
    assert "running `first command`" in message and "Nothing was written." in message
    assert isinstance(info.value, InputDataError) and isinstance(info.value, RunSetupError)
    FolderLock(tmp_path / ".x.lock", "third").acquire().release()  # released


def test_many_readers_one_writer_across_processes(tmp_path):
    reader = _holder(tmp_path / "processed", "read")
    try:
        with data_lock(tmp_path / "processed", "another batch", "read"):
            pass  # a second reader is let in
        with pytest.raises(OutputFolderError, match="is in use: a batch of reports reading it"):
            data_lock(tmp_path / "processed", "analysis build", "write").acquire()
    finally:
        reader.kill()
        reader.wait()
    with data_lock(tmp_path / "processed", "analysis build", "write"):
        pass  # the reader died: its lock went with it


def test_a_reader_waits_for_the_writer(tmp_path):
    held = threading.Event()

    def write():  # a read/write lock is released by the thread that took it
        with data_lock(tmp_path / "p", "analysis build", "write"):
            held.set()
            time.sleep(0.5)

    thread = threading.Thread(target=write)
    thread.start()
    held.wait(10)
    t0 = time.monotonic()
    with data_lock(tmp_path / "p", "analysis reports", "read", wait=10):
        assert time.monotonic() - t0 >= 0.3
    thread.join()


def test_waiting_gives_up_after_its_limit(tmp_path):
    with data_lock(tmp_path / "p", "analysis reports", "read"):
        t0 = time.monotonic()
        with pytest.raises(OutputFolderError):
            data_lock(tmp_path / "p", "analysis build", "write", wait=0.5).acquire()
        assert 0.4 <= time.monotonic() - t0 < 5


def test_a_refusal_in_the_instant_before_the_holder_writes_its_record_names_the_holder(
    tmp_path, monkeypatch
):
    """Two builds at once: the second may look in the moment after the first took the lock and
    before it wrote who it is. It names that build, never a batch of reports."""
    import analysis.io.locks as locks

    first = data_lock(tmp_path / "processed", "analysis build", "write")
    real_write = locks.write_json_atomic
    late = threading.Timer(0.3, lambda: real_write(first.record_path, first._record))
    monkeypatch.setattr(locks, "write_json_atomic", lambda path, record: late.start())
    first.acquire()
    monkeypatch.setattr(locks, "write_json_atomic", real_write)
    try:
        assert not first.record_path.exists()  # taken, not yet described
        with pytest.raises(OutputFolderError) as info:
            data_lock(tmp_path / "processed", "analysis build", "write").acquire()
        assert f"is in use: process {os.getpid()} on " in str(info.value)
        assert "running `analysis build`" in str(info.value)
    finally:
        late.join()
        first.release()
