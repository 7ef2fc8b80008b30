"""Where runs execute: in this process, in local worker processes, or on a dask cluster.

Each backend yields ``(spec, manifest)`` as runs finish, and has :meth:`stop`, called when the
batch is interrupted: it cancels the runs still queued, stops the runs in flight (their kernels
are shut down) and returns their manifests, each ``interrupted``. A run that never started is
returned with ``None`` for a manifest: its previous manifest is left as it was.

Local parallelism uses a :class:`concurrent.futures.ProcessPoolExecutor` with the ``spawn``
start method: each worker imports papermill, nbconvert and the report code once (its
initializer) and reuses them for every run it executes, a crash in one worker cannot corrupt
the main process, and ``spawn`` behaves the same on Linux, macOS and Windows. Workers ignore
SIGINT (the runner decides what a Ctrl-C means), stop a run on SIGTERM, and stop themselves if
the runner dies (:func:`analysis.runs.engine.install_worker_signals`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator

from ..exceptions import RunSetupError
from ..settings import SCHEDULER_ENV
from ._failures import interrupted_error
from .execute import execute_run
from .records import record_crashed, record_interrupted
from .spec import RunManifest, RunSpec

__all__ = [
    "STOP_GRACE_S",
    "InProcess",
    "LocalPool",
    "DaskBackend",
    "SCHEDULER_ENV",
    "run_in_worker",
]

WORKER_POLL_S = 0.5
"""How often the dask backend looks at its runs and the cluster while it waits."""

WORKERLESS_GRACE_S = 10.0
"""How long a dask batch waits with no worker at all (one may be restarting, or joining)
before it ends: the runs in flight are recorded as failed, and the next batch runs them."""

STOP_GRACE_S = 20.0
"""How long runs in flight get to stop (shut their kernels down, record themselves) when a
batch is interrupted, before their workers are killed."""

Pair = tuple[RunSpec, RunManifest | None]


def _in_flight(spec: RunSpec, how: str) -> RunManifest | None:
    """The manifest of a run stopped by an interrupt; None if it never started in this batch."""
    current = RunManifest.read(spec.manifest)
    if current is None or current.batch != spec.batch or current.problem:
        return None
    if current.status == "running":
        return record_interrupted(spec, how, started=current.started)
    if current.status == "interrupted":  # recorded by its worker, told to stop by a SIGTERM
        current = current.but(error=interrupted_error(how))
        try:
            current.write(spec.manifest)
        except OSError:
            pass  # the worker's own record stays, which says the run was interrupted
    return current


def _last_runs_start_no_kernel(specs: list[RunSpec], workers: int) -> list[RunSpec]:
    """The last ``workers`` runs are the last each worker can expect: no kernel is warmed after."""
    from dataclasses import replace

    return [replace(s, warm_next=i < len(specs) - workers) for i, s in enumerate(specs)]


def run_in_worker(spec: RunSpec) -> RunManifest:
    """:func:`execute_run` in a worker process, unless the worker has been told to stop."""
    from .engine import PARENT_GONE, STOPPING

    if STOPPING.is_set():
        raise KeyboardInterrupt("the batch is stopping")
    try:
        return execute_run(spec)
    except KeyboardInterrupt:
        if PARENT_GONE.is_set():  # the runner died: nobody will send more work or a sentinel
            from .kernels import close_pools

            close_pools()  # the kernel kept ready for a next run goes too
            os._exit(1)
        raise


class InProcess:
    """Runs one after another in this process (``jobs=1``)."""

    def __init__(self, specs: list[RunSpec]):
        specs = _last_runs_start_no_kernel(specs, 1)
        self.specs = specs
        self.current: RunSpec | None = None
        self.done: set[str] = set()

    def __iter__(self) -> Iterator[Pair]:
        from .kernels import close_pools

        try:
            for spec in self.specs:
                self.current = spec
                manifest = execute_run(spec)
                self.current = None
                self.done.add(spec.key)
                yield spec, manifest
        finally:
            close_pools()  # no kernel of this batch outlives it

    def stop(self, how: str) -> list[Pair]:
        return [(s, _in_flight(s, how)) for s in self.specs if s.key not in self.done]


def _start_worker(kernel_names: tuple[str, ...]) -> None:
    """A pool worker's initializer: its kernel template (for the batch's ``kernel_names``)
    starts importing in the background while the worker imports its own part
    (:func:`~analysis.runs.engine.warm_up`)."""
    from .engine import one_blas_thread, warm_up
    from .kernels import prepare_template

    one_blas_thread()  # before the template starts: its kernels inherit the setting
    prepare_template(kernel_names)
    warm_up(worker=True)


def _kernel_names(specs: list[RunSpec]) -> tuple[str, ...]:
    """Every kernel the runs of ``specs`` start, first attempts first."""
    names = [spec.kernel_for(1) for spec in specs]
    names += [name for spec in specs for name in spec.kernel_names]
    return tuple(dict.fromkeys(names))


class LocalPool:
    """Runs in ``jobs`` worker processes on this machine."""

    def __init__(self, specs: list[RunSpec], jobs: int):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        specs = _last_runs_start_no_kernel(specs, min(jobs, len(specs)))
        self.pool = ProcessPoolExecutor(
            min(jobs, len(specs)),
            mp_context=context,
            initializer=_start_worker,
            initargs=(_kernel_names(specs),),
        )
        self.futures = {self.pool.submit(run_in_worker, spec): spec for spec in specs}
        self.done: set = set()

    def __iter__(self) -> Iterator[Pair]:
        from concurrent.futures import as_completed

        for future in as_completed(self.futures):
            spec = self.futures[future]
            self.done.add(future)
            try:
                manifest = future.result()
            except Exception as exc:  # BrokenProcessPool: a worker died
                manifest = record_crashed(spec, exc)
            yield spec, manifest
        self.pool.shutdown()

    def stop(self, how: str) -> list[Pair]:
        import time

        for future in self.futures:
            future.cancel()  # the runs still queued never start
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        for process in processes:  # SIGTERM: each worker stops its run and records it
            if process.is_alive():
                process.terminate()
        # no further work: each worker leaves once its run has recorded itself
        self.pool.shutdown(wait=False, cancel_futures=True)
        deadline = time.monotonic() + STOP_GRACE_S
        for process in processes:
            process.join(max(0.0, deadline - time.monotonic()))
            if process.is_alive():
                process.kill()
        return [(s, _in_flight(s, how)) for f, s in self.futures.items() if f not in self.done]


class DaskBackend:
    """Runs on a dask.distributed cluster (its workers must see the same files)."""

    def __init__(self, specs: list[RunSpec], scheduler: str, timeout: str):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - distributed is a dependency
            raise RunSetupError(
                f"A scheduler was given ({scheduler}) but dask.distributed is not installed: {exc}"
            ) from None
        try:
            self.client = Client(scheduler, timeout=timeout, set_as_default=False)
        except OSError as exc:
            raise RunSetupError(
                f"Cannot reach the dask scheduler at {scheduler}: {exc}. Nothing was run. Start "
                f"one with `dask scheduler`, or unset {SCHEDULER_ENV} to run on this machine."
            ) from None
        self.specs = specs
        self.futures = self.client.map(
            execute_run,
            specs,
            key=[f"report-{s.key}-{os.urandom(4).hex()}" for s in specs],
            pure=False,
        )
        self.done: set[str] = set()

    def _workers(self) -> int:
        """How many workers the scheduler has (0 when it cannot be asked)."""
        try:
            return len(self.client.scheduler_info().get("workers", {}))
        except Exception:  # the scheduler is gone
            return 0

    def __iter__(self) -> Iterator[Pair]:
        by_key = {f.key: s for f, s in zip(self.futures, self.specs, strict=True)}
        pending = list(self.futures)
        workerless_since = None
        try:
            while pending:
                finished = [f for f in pending if f.done()]
                pending = [f for f in pending if f not in finished]
                for future in finished:
                    spec = by_key[future.key]
                    self.done.add(spec.key)
                    try:
                        manifest = future.result()
                    except Exception as exc:
                        manifest = record_crashed(spec, exc)
                    yield spec, manifest
                if not pending or finished:
                    workerless_since = None
                    continue
                time.sleep(WORKER_POLL_S)
                if self._workers():
                    workerless_since = None
                elif workerless_since is None:
                    workerless_since = time.monotonic()
                elif time.monotonic() - workerless_since >= WORKERLESS_GRACE_S:
                    yield from self._abandon(pending, by_key)
                    return
        finally:
            self.client.close()

    def _abandon(self, pending, by_key) -> Iterator[Pair]:
        """No worker is left: record the runs in flight as failed; queued ones never started."""
        with contextlib.suppress(Exception):
            self.client.cancel(list(pending))
        gone = RuntimeError(
            f"no dask worker was left for {WORKERLESS_GRACE_S:.0f} s; the run was in flight"
        )
        for future in pending:
            spec = by_key[future.key]
            self.done.add(spec.key)
            current = RunManifest.read(spec.manifest)
            started = current is not None and current.batch == spec.batch
            yield spec, (record_crashed(spec, gone) if started else None)

    def stop(self, how: str) -> list[Pair]:
        try:
            self.client.cancel(self.futures)
            self.client.close()
        except Exception:  # pragma: no cover - the cluster may be gone already
            pass
        return [(s, _in_flight(s, how)) for s in self.specs if s.key not in self.done]
