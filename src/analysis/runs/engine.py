"""The papermill engine the runner uses, and how a worker process is set up.

Kernel start-up is told apart from a failing cell: the papermill engine registered here as
``"analysis"`` wraps any error raised while the kernel starts in :class:`KernelStartError`, and
only that is retried (once). :func:`warm_up` is the worker processes' initializer: it imports
the heavy libraries once, registers the engine and installs the worker's signal handling
(:func:`install_worker_signals`).
"""

from __future__ import annotations

import logging
import os
import signal
import tempfile
import threading
import time
import uuid

__all__ = [
    "ENGINE_NAME",
    "KERNEL_START_ATTEMPTS",
    "TRANSPORTS",
    "KernelStartError",
    "PARENT_GONE",
    "STOPPING",
    "install_worker_signals",
    "warm_up",
]

ENGINE_NAME = "analysis"
"""Name of the papermill engine registered by :func:`warm_up`."""

KERNEL_START_ATTEMPTS = 2
"""A run whose kernel fails to start is tried once more (zmq port races, slow start-up)."""

TRANSPORTS = ("ipc", "tcp") if os.name == "posix" else ("tcp", "tcp")
"""Kernel transport for the first attempt and for the retry: Unix sockets where there are any
(no TCP port races between workers), TCP on the retry in case Unix sockets are unusable."""

SOURCE_EXCERPT_LINES = 12


class KernelStartError(RuntimeError):
    """The kernel did not start or did not answer (as opposed to a cell raising an error)."""


def _engine_class():
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine

    class _Client(PapermillNotebookClient):
        kernel_stream = None
        transport = "tcp"
        kernel_env: dict | None = None
        run_setup: str | None = None

        def create_kernel_manager(self):
            try:
                km = super().create_kernel_manager()
            except Exception as exc:
                raise KernelStartError(f"{type(exc).__name__}: {exc}") from exc
            if self.transport == "ipc":
                # Unix sockets at a unique absolute path: kernels started at the same moment by
                # different workers cannot race for the same TCP ports.
                km.transport = "ipc"
                km.ip = os.path.join(
                    tempfile.gettempdir(), f"analysis-kernel-{uuid.uuid4().hex[:16]}"
                )
            return km

        def start_new_kernel(self, **kwargs):
            if self.kernel_stream is not None:  # the kernel's own messages go to the run log
                kwargs.setdefault("stdout", self.kernel_stream)
                kwargs.setdefault("stderr", self.kernel_stream)
            if self.kernel_env:  # the run's dataset and kind, for disclosure control
                kwargs["env"] = {**os.environ, **kwargs.get("env", {}), **self.kernel_env}
            try:
                return super().start_new_kernel(**kwargs)
            except Exception as exc:
                raise KernelStartError(f"{type(exc).__name__}: {exc}") from exc

        def start_new_kernel_client(self):
            try:
                kc = super().start_new_kernel_client()
                if self.run_setup:  # a warm kernel: the run's directory and settings first
                    self._setup_run()
                return kc
            except Exception as exc:
                raise KernelStartError(f"{type(exc).__name__}: {exc}") from exc

        async def _async_setup_run(self):
            msg_id = self.kc.execute(self.run_setup, silent=True, store_history=False)
            reply = await self.async_wait_for_reply(msg_id)
            content = (reply or {}).get("content", {})
            if content.get("status") != "ok":
                raise RuntimeError(
                    f"the run's settings could not be set in the kernel: "
                    f"{content.get('ename', '')} {content.get('evalue', 'no reply')}"
                )

        def _setup_run(self):
            from nbclient.util import run_sync

            run_sync(self._async_setup_run)()

    class AnalysisEngine(NBClientEngine):
        """papermill's nbclient engine with a per-run logger, working directory and kernel-start errors."""

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            run_logger=None,
            workdir=None,
            kernel_stream=None,
            transport="tcp",
            kernel_env=None,
            warm=None,
            run_setup=None,
            **kwargs,
        ):
            kwargs.pop("input_path", None)
            nb_man.nb.metadata["kernelspec"] = {
                "name": kernel_name,
                "display_name": f"Python ({kernel_name})",
                "language": "python",
            }
            client = _Client(
                nb_man,
                km=warm.km if warm is not None else None,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=run_logger or logging.getLogger("papermill"),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
                resources={"metadata": {"path": str(workdir)}} if workdir else {},
            )
            client.kernel_stream = kernel_stream
            client.transport = transport
            client.kernel_env = kernel_env
            client.run_setup = run_setup if warm is not None else None
            try:
                return client.execute()
            finally:
                if client.kc is not None and warm is not None:
                    client.kc.stop_channels()

    return AnalysisEngine


STOPPING = threading.Event()
"""Set in a worker once it has been told to stop: it then starts no further run."""


def _stop_on_sigterm(signum, frame):  # pragma: no cover - runs in a worker process
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: let the run record itself
    STOPPING.set()
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


PARENT_GONE = threading.Event()
"""Set in a worker whose runner has died: once its run has recorded itself, the worker exits."""

ORPHAN_GRACE_S = 30.0
"""A worker whose runner died exits after this long even if its run could not record itself."""


def _watch_parent(parent: int, interval: float) -> None:  # pragma: no cover - worker thread
    while os.getppid() == parent:
        time.sleep(interval)
    PARENT_GONE.set()
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(ORPHAN_GRACE_S)
    os._exit(1)


def install_worker_signals(parent: int | None = None, interval: float = 0.5) -> None:
    """Make a worker process stop cleanly when the runner stops or dies.

    The runner alone decides what a Ctrl-C means, so a worker ignores SIGINT (a terminal sends it
    to the whole process group); SIGTERM, which the runner sends to stop a batch, raises
    :class:`KeyboardInterrupt` in the run, so its kernel is shut down and its manifest says
    ``interrupted``. When the runner process dies (``kill -9``), a watcher thread notices that
    the parent has changed and stops the worker the same way, so no orphan keeps writing.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    parent = parent or os.getppid()
    threading.Thread(
        target=_watch_parent, args=(parent, interval), daemon=True, name="parent-watch"
    ).start()


def one_blas_thread() -> None:
    """Kernels started from here get one BLAS thread each (unless the caller set otherwise)."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")


def warm_up(worker: bool = False) -> None:
    """Import the heavy libraries once per worker process and register the engine.

    Used as the process pool's initializer (with ``worker=True``, which also installs
    :func:`install_worker_signals`), so each worker pays the import cost once and reuses it for
    every run it executes. Kernels this worker starts get one BLAS thread each
    (:func:`one_blas_thread`): with one kernel per core, threaded linear algebra only
    oversubscribes the cores.
    """
    if worker:
        install_worker_signals()
    one_blas_thread()
    from ..imports import hidden

    with hidden("rfc3987_syntax"):  # see analysis.imports: 1.5 s for a grammar never used
        import jsonschema  # noqa: F401 - imported here, before nbformat imports it

    from papermill.engines import papermill_engines

    if ENGINE_NAME not in papermill_engines._engines:
        papermill_engines.register(ENGINE_NAME, _engine_class())
    import nbconvert  # noqa: F401

    from ..report import export as report  # noqa: F401
