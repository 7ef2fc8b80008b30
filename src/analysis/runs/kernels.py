"""Warm kernels: each worker process keeps one kernel ready, started ahead of its next run.

A run's first attempt takes a :class:`WarmKernel` from its process's :class:`KernelPool`: a
kernel of the workspace that has already started and imported the workspace's libraries
(:data:`PRELOAD`), so the run waits for neither. The pool then starts the kernel for the next
run in a background thread while this one executes. A kernel serves exactly one run and is
shut down after it, so nothing one run leaves in its kernel (variables, pandas options, random
state, working directory, matplotlib state) can reach another.

A warm kernel is started before its run is known, so it starts failing closed: its
environment says the run is real (``ANALYSIS_RUN_KIND=real``) and names no dataset. At the
start of the run, before any cell of the notebook, :func:`run_setup_code` is executed silently
(no cell, no output, no execution count): it moves the kernel into the run's working
directory and sets the run's settings (:func:`analysis.runs.execute.kernel_env`). If that
fails the kernel is dropped and the run retried on a cold kernel; a kernel that never got its
run's settings can only make a synthetic run look real, never the other way round.

The kernel's own stdout and stderr go to a scratch file, appended to the run's log after it.
"""

from __future__ import annotations

import atexit
import os
import sys
import tempfile
import threading
import uuid
from collections.abc import Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "PRELOAD",
    "TEMPLATE_PRELOAD",
    "KernelPool",
    "WarmKernel",
    "close_pools",
    "pool_for",
    "prepare_template",
    "run_setup_code",
]

PRELOAD = (
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "analysis.data",
    "analysis.data.datasets",
    "analysis.data.tables",
    "analysis.frameworks",
    "analysis.ratings",
    "analysis.report",
    "analysis.report.display",
    "analysis.report.plots",
    "analysis.report.summaries",
)
"""Modules a warm kernel imports before its run: what every report notebook imports (with
pandas, pyarrow, pandera, scipy and matplotlib under them), named down to the modules that
hold the code (``analysis.data`` alone loads its loaders only when first asked for one).
Libraries only some notebooks use (seaborn, statsmodels, itables, the extraction) are left to
the run, so no kernel pays for imports its run never needs. Importing fills only
``sys.modules``: the run's namespace stays empty until its own cells run."""

TEMPLATE_PRELOAD = PRELOAD + (
    "itables",
    "statsmodels.api",
    "statsmodels.formula.api",
    "analysis.models.case",
    "analysis.models.factors",
    "analysis.models.few_pdus",
    "analysis.models.mixed",
    "analysis.models.rates",
    "analysis.models.unit",
    "analysis.ratings.distribution",
    "analysis.ratings.published_context",
    "analysis.ratings.score_bands",
    "analysis.report.explore",
    "analysis.report.published_text",
    "analysis.data.reconcile",
    "analysis.extract.compare",
)
"""What a kernel template imports (:mod:`analysis.runs.forking`): :data:`PRELOAD` and what
only some notebooks import. A template pays for them once per worker, not once per kernel, and
its forked kernels share the pages, so every run finds its libraries loaded."""

ENABLED = True
"""Whether runs take warm kernels (the tests compare against cold kernels by turning it off)."""

_PRELOAD_CODE = """
def __analysis_preload(names):
    import importlib
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the run's own import will report it, as on a cold kernel
            pass
__analysis_preload({names!r})
del __analysis_preload
"""


def run_setup_code(workdir: str | os.PathLike[str], env: dict[str, str], unset=()) -> str:
    """The code a warm kernel runs silently before the run's first cell.

    It changes to ``workdir``, sets ``env`` and removes the variables in ``unset`` from the
    kernel's environment, and leaves no name behind in the user namespace.
    """
    return (
        "def __analysis_setup(workdir, env, unset):\n"
        "    import os\n"
        "    os.chdir(workdir)\n"
        "    for name in unset:\n"
        "        os.environ.pop(name, None)\n"
        "    os.environ.update(env)\n"
        f"__analysis_setup({os.fspath(workdir)!r}, {dict(env)!r}, {list(unset)!r})\n"
        "del __analysis_setup\n"
    )


@dataclass
class WarmKernel:
    """A started kernel with the workspace imported, for exactly one run."""

    km: object
    stream: Path
    kernel_name: str
    _closed: bool = field(default=False, repr=False)

    def close(self, log=None) -> None:
        """Shut the kernel down (dead or alive) and append its own output to ``log``."""
        if self._closed:
            return
        self._closed = True
        try:
            self.km.shutdown_kernel(now=True)
        except Exception:  # already dead, or never fully started
            pass
        try:
            self.km.cleanup_resources()
        except Exception:
            pass
        try:
            if log is not None and self.stream.is_file():
                text = self.stream.read_text(encoding="utf-8", errors="replace")
                if text:
                    log.write(text)
                    log.flush()
        finally:
            self.stream.unlink(missing_ok=True)


def _preload(km, timeout: float) -> None:
    kc = km.blocking_client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
        msg_id = kc.execute(_PRELOAD_CODE.format(names=PRELOAD), silent=True, store_history=False)
        while True:
            reply = kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"preloading failed: {reply['content'].get('evalue', '')}")
    finally:
        kc.stop_channels()


def start_warm(kernel_name: str, start_timeout: float) -> WarmKernel:
    """Start one kernel failing closed (a real run, no dataset) and import :data:`PRELOAD`."""
    from jupyter_client.manager import KernelManager

    from ..data.provenance import RUN_DATASET_ENV, RUN_KIND_ENV, RUN_PUBLIC_ENV
    from .engine import KernelStartError

    handle, name = tempfile.mkstemp(prefix="analysis-kernel-", suffix=".log")
    stream = Path(name)
    km = KernelManager(
        kernel_name=kernel_name,
        client_class="jupyter_client.asynchronous.AsyncKernelClient",
    )
    if os.name == "posix":  # Unix sockets at a unique path: no TCP port races between workers
        km.transport = "ipc"
        km.ip = os.path.join(tempfile.gettempdir(), f"analysis-kernel-{uuid.uuid4().hex[:16]}")
    _fork_from_template(km, stream)
    warm = WarmKernel(km, stream, kernel_name)
    env = {**os.environ, RUN_KIND_ENV: "real"}
    env.pop(RUN_DATASET_ENV, None)
    env.pop(RUN_PUBLIC_ENV, None)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            km.start_kernel(env=env, cwd=tempfile.gettempdir(), stdout=out, stderr=out)
        _preload(km, start_timeout)
    except Exception as exc:
        warm.close()
        raise KernelStartError(f"warm kernel: {type(exc).__name__}: {exc}") from exc
    return warm


def _fork_from_template(km, stream: Path) -> None:
    """Have ``km`` fork its kernel from this process's template (:mod:`analysis.runs.forking`)
    when the kernel is this interpreter's ipykernel and a template can be had; else leave it
    to start the kernel the usual way."""
    from . import forking

    try:
        argv = km.kernel_spec.argv
    except Exception:  # no such kernel: the start below says so
        return
    if not forking.forkable(argv):
        return
    template = forking.zygote(TEMPLATE_PRELOAD, tempfile.gettempdir())
    if template is None:
        return
    km.kernel_id = str(uuid.uuid4())
    km.provisioner = forking.ForkedProvisioner(
        kernel_id=km.kernel_id,
        kernel_spec=km.kernel_spec,
        parent=km,
        zygote=template,
        kernel_log=str(stream),
    )


def prepare_template(kernel_names: Iterable[str]) -> None:
    """Start this process's kernel template in the background, ahead of its first kernel, if
    any of ``kernel_names`` (the batch's kernels) is one a template can stand in for."""
    from . import forking

    if not ENABLED or not forking.ENABLED:
        return
    names = tuple(kernel_names)

    def start() -> None:
        from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

        specs = KernelSpecManager()
        for name in names:
            try:
                argv = specs.get_kernel_spec(name).argv
            except NoSuchKernel:  # the run's own start says so
                continue
            if forking.forkable(argv):
                forking.zygote(TEMPLATE_PRELOAD, tempfile.gettempdir())
                return

    threading.Thread(target=start, daemon=True, name="kernel-template").start()


class KernelPool:
    """One kernel kept ready in the background; :meth:`take` hands it over and starts the next."""

    def __init__(self, kernel_name: str, start_timeout: float):
        self.kernel_name = kernel_name
        self.start_timeout = start_timeout
        self._lock = threading.Lock()
        self._next: Future | None = None
        self._closed = False

    def _start(self) -> Future:
        """Start a kernel in a daemon thread: a worker told to stop never waits for it."""
        future: Future = Future()

        def start() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(start_warm(self.kernel_name, self.start_timeout))
            except BaseException as exc:
                future.set_exception(exc)

        threading.Thread(target=start, daemon=True, name="warm-kernel").start()
        return future

    def take(self, prestart: bool = True) -> WarmKernel:
        """The ready kernel (waiting for it if it is still starting); raises KernelStartError.

        With ``prestart`` (the default) the kernel for the next run starts in the background;
        without it (no further run is expected in this process) none is started.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("the kernel pool is closed")
            ready = self._next or self._start()
            self._next = self._start() if prestart else None
        return ready.result()

    def close(self) -> None:
        """Shut down the kernel kept ready; one still starting is shut down once it has started.

        Never waits for a start: a kernel left starting when its worker exits stops by itself
        (a kernel exits when the process that started it is gone).
        """
        with self._lock:
            self._closed, pending, self._next = True, self._next, None
        if pending is not None and not pending.cancel():
            pending.add_done_callback(_close_started)


def _close_started(future: Future) -> None:
    if future.exception() is None:
        future.result().close()


_POOLS: dict[tuple[str, float], KernelPool] = {}
_POOLS_LOCK = threading.Lock()


def pool_for(kernel_name: str, start_timeout: float) -> KernelPool:
    """This process's pool for ``kernel_name`` (made on first use)."""
    with _POOLS_LOCK:
        key = (kernel_name, float(start_timeout))
        if key not in _POOLS:
            _POOLS[key] = KernelPool(kernel_name, start_timeout)
        return _POOLS[key]


def close_pools() -> None:
    """Shut down every kernel this process keeps ready (at the end of a batch, at exit)."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()
    forking = sys.modules.get(f"{__package__}.forking")  # only if a template was ever wanted
    if forking is not None:
        forking.close_zygote()


atexit.register(close_pools)
