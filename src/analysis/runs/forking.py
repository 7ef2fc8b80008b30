"""Kernels forked from a template process that has imported the workspace once.

A warm kernel (:mod:`analysis.runs.kernels`) used to be a fresh interpreter that then imported
the workspace's libraries: about 2.7 s of CPU per run, paid while the previous run executes on
the same two cores. Here one :class:`Zygote` per worker process imports them once
(:mod:`analysis.runs._zygote`, importing :data:`~analysis.runs.kernels.TEMPLATE_PRELOAD`),
and each kernel is a fork of it: a new process, one per run,
whose modules are already loaded. jupyter_client talks to it as to any kernel; only the
launch differs (:class:`ForkedProvisioner`, jupyter_client's local provisioner with the
process started by the template instead of ``Popen``).

A forked kernel is a separate process like a started one: its run's variables, options,
random state (reseeded at the fork), working directory and matplotlib state reach no other
run, and killing it loses only its run. If the template cannot start or dies, :func:`zygote`
says so and the warm kernel is started the usual way.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time

from jupyter_client.provisioning.local_provisioner import LocalProvisioner
from traitlets import Any, Unicode

__all__ = ["ForkedProvisioner", "Zygote", "ZygoteError", "zygote", "close_zygote"]


class ZygoteError(RuntimeError):
    """The template process could not start or fork a kernel."""


class Zygote:
    """A template process that imports ``modules`` once and forks a kernel on request."""

    answer_timeout = 30.0
    """Seconds to wait for the template to answer a fork."""

    def __init__(self, modules: tuple[str, ...], log_path: str, timeout: float = 60.0):
        self._lock = threading.Lock()
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed by close()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "analysis.runs._zygote", *modules],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            cwd=os.path.dirname(log_path) or None,
            start_new_session=True,  # a Ctrl-C for the batch is the runner's to pass on
        )
        self.pid = self.process.pid
        ready = self._answer(timeout)
        if "ready" not in ready:
            self.close()
            raise ZygoteError(f"the kernel template did not start: {ready}")

    def _answer(self, timeout: float) -> dict:
        """The template's next answer (one JSON line), or an error if it is gone or silent."""
        # the template writes each answer as one whole line, and one per request
        readable, _, _ = select.select([self.process.stdout], [], [], timeout)
        if not readable:
            return {"error": f"no answer within {timeout:g} s", "timeout": True}
        line = self.process.stdout.readline()
        return json.loads(line) if line else {"error": "the template exited"}

    def alive(self) -> bool:
        return self.process.poll() is None

    def fork(self, *, connection_file: str, cwd: str, env: dict, log: str) -> int:
        """Fork one kernel; its process id. Raises :class:`ZygoteError`."""
        request = {"connection_file": connection_file, "cwd": cwd, "env": env, "log": log}
        with self._lock:
            if not self.alive():
                raise ZygoteError("the kernel template has exited")
            try:
                self.process.stdin.write((json.dumps(request) + "\n").encode("utf-8"))
                self.process.stdin.flush()
            except OSError as exc:
                raise ZygoteError(f"the kernel template cannot be reached: {exc}") from exc
            answer = self._answer(self.answer_timeout)
            if "timeout" in answer:  # a late answer would be read as the next one's: stop it
                self.process.kill()
        if "pid" not in answer:
            raise ZygoteError(f"the kernel template could not fork: {answer.get('error')}")
        return int(answer["pid"])

    def close(self) -> None:
        """Stop the template (kernels it forked watch it, and stop when their run is done)."""
        try:
            if self.process.stdin:
                self.process.stdin.close()
        except OSError:
            pass
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self._log.close()
        try:
            os.unlink(self._log.name)
        except OSError:
            pass


class _Forked:
    """The parts of :class:`subprocess.Popen` the local provisioner uses, for a forked kernel
    (a child of the template, not of this process: alive while its process id exists)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except (ProcessLookupError, PermissionError):  # gone (or its id reused by another user)
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class ForkedProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with the kernel forked by a :class:`Zygote`."""

    zygote = Any(allow_none=True)
    kernel_log = Unicode(os.devnull)
    """Where the kernel's own output goes."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        connection_file = cmd[cmd.index("-f") + 1]
        log = self.kernel_log
        cwd = os.fspath(kwargs.get("cwd") or os.getcwd())
        env = dict(kwargs.get("env") or os.environ)
        try:
            pid = self.zygote.fork(connection_file=connection_file, cwd=cwd, env=env, log=log)
        except ZygoteError as exc:
            raise RuntimeError(str(exc)) from exc
        self.process = _Forked(pid)
        self.pid = self.pgid = pid  # the kernel leads its own session
        self.cwd = cwd
        return self.connection_info


_ZYGOTES: dict[tuple[str, ...], Zygote] = {}
_ZYGOTES_LOCK = threading.Lock()
ENABLED = True
"""Whether warm kernels are forked from a template (the tests also start them the usual way)."""


def forkable(argv: list[str]) -> bool:
    """Whether a kernel spec's command is this interpreter's ipykernel (which a template of this
    interpreter can stand in for); a kernel of another Python is started as its spec says.

    The same interpreter means the same file in the same folder: a virtual environment's
    ``python`` links to its base interpreter, which has other packages."""
    if not argv or "ipykernel_launcher" not in argv:
        return False
    try:
        same_folder = os.path.samefile(
            os.path.dirname(os.path.abspath(argv[0])),
            os.path.dirname(os.path.abspath(sys.executable)),
        )
        return same_folder and os.path.samefile(argv[0], sys.executable)
    except OSError:
        return False


def zygote(modules: tuple[str, ...], log_dir: str) -> Zygote | None:
    """This process's template for ``modules`` (started on first use), or None if it cannot be."""
    if not ENABLED or not hasattr(os, "fork"):
        return None
    with _ZYGOTES_LOCK:
        found = _ZYGOTES.get(modules)
        if found is not None and found.alive():
            return found
        if found is not None:
            found.close()
        try:
            log = os.path.join(log_dir, f"analysis-kernel-template-{os.getpid()}.log")
            found = Zygote(modules, log)
        except (OSError, ZygoteError):
            _ZYGOTES.pop(modules, None)
            return None
        _ZYGOTES[modules] = found
        return found


def close_zygote() -> None:
    """Stop every template this process started (at the end of a batch, at exit)."""
    while True:
        with _ZYGOTES_LOCK:
            if not _ZYGOTES:
                return
            _, template = _ZYGOTES.popitem()
        template.close()
