"""Run every report notebook for national and each region, in parallel, incrementally, safely.

:func:`run_reports` is what ``analysis reports`` (and ``make reports``) calls. Before anything is
written it checks the region and notebook names and the reports folder
(:func:`analysis.runs.folders.prepare_reports_dir`: never the data folders, the project root or
a git work tree, never a non-empty folder the runner did not make), and takes the folder's lock
(a second runner on the same folder refuses or waits) and the processed data's read lock for
the whole batch (:func:`analysis.io.locks.data_lock`: a build waits or refuses until the batch
ends, so every report of one batch reads one state of the data).
It then checks each run's parameters before any kernel starts, skips a run whose notebook,
parameters, input data and code are unchanged since a successful run whose outputs still exist,
and sends the others to a backend (:mod:`analysis.runs.backends`). Each run executes in
:func:`analysis.runs.execute.execute_run`, which writes the executed notebook, the HTML report,
its CSV tables, a log and a manifest; a failed run is recorded and the others carry on.
Finally :func:`write_index` writes ``reports/index.html`` from the manifests.

Ctrl-C or SIGTERM stops the batch promptly: queued runs are cancelled, runs in flight are
stopped (their kernels shut down) and recorded as ``interrupted``, the index is written and
:class:`~analysis.exceptions.RunsInterrupted` is raised. The next batch runs them again.

Layout under ``reports_dir``::

    index.html
    .analysis-owned.json, .analysis-reports.lock     (the runner's mark and lock)
    <region_slug>/<notebook_stem>.html, .ipynb and <notebook_stem>_tables/*.csv
    _runs/<region_slug>__<notebook_stem>.json   (manifest) and .log

This module imports only the standard library (and tqdm) at the top, so that deciding that
nothing needs to run takes well under a second.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import uuid
from dataclasses import replace
from pathlib import Path

from .. import config
from ..exceptions import ParameterError, RunSetupError, RunsInterrupted
from ..io.locks import data_lock
from ..settings import cell_timeout, dask_scheduler
from .backends import SCHEDULER_ENV, DaskBackend, InProcess, LocalPool
from .folders import prepare_reports_dir, reports_lock
from .index import write_index
from .planning import code_version, plan_runs, resolve_selection
from .progress import progress_bar
from .records import record_invalid, record_skip
from .spec import RunManifest, RunSpec, run_name
from .summary import RunResult, RunSummary

__all__ = ["RunResult", "RunSummary", "run_reports", "SCHEDULER_ENV"]

SCHEDULER_TIMEOUT = "20s"
"""How long to try to reach the scheduler before giving up."""


def _result(manifest: RunManifest | None, spec: RunSpec, status: str | None = None) -> RunResult:
    if manifest is None:
        return RunResult(spec.notebook_stem, spec.region, "cancelled", 0.0, spec.manifest)
    html = manifest.outputs.get("html")
    return RunResult(
        notebook=spec.notebook_stem,
        region=spec.region,
        status=status or manifest.status,
        duration_s=float(manifest.duration_s or 0.0),
        manifest=spec.manifest,
        html=spec.reports_dir / html if isinstance(html, str) else None,
        error=manifest.error_message(),
    )


def _check_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise RunSetupError(
            f"The Jupyter kernel {name!r} is not registered, so nothing was run. Run `make "
            f"install` (it runs `python -m ipykernel install --sys-prefix --name {name}`)."
        ) from None


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


@contextlib.contextmanager
def _signals_stop_the_batch():
    """SIGTERM stops the batch as Ctrl-C does (in the main thread; elsewhere nothing changes)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


@contextlib.contextmanager
def _signals_held():
    """While the batch stops, a second Ctrl-C or SIGTERM does not cut the clean-up short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


def _backend(to_run: list[RunSpec], jobs: int, scheduler: str | None):
    if scheduler:
        return DaskBackend(to_run, scheduler, SCHEDULER_TIMEOUT)
    if jobs == 1 or len(to_run) == 1:
        return InProcess(to_run)
    return LocalPool(to_run, jobs)


def _execute(to_run: list[RunSpec], jobs, scheduler, results, bar) -> str | None:
    """Run ``to_run`` on a backend, appending to ``results``; return how it was stopped, if it was."""
    backend = None
    try:
        backend = _backend(to_run, jobs, scheduler)
        for spec, manifest in backend:
            result = _result(manifest, spec)
            results.append(result)
            if result.status == "failed":
                bar.write(f"failed {run_name(spec.key)}: {result.error}")
            bar.set_postfix(failed=sum(r.status == "failed" for r in results), refresh=False)
            bar.update()
    except KeyboardInterrupt as exc:
        how = str(exc) or "Ctrl-C"
        with _signals_held():
            bar.write(f"interrupted ({how}): stopping the runs in flight...")
            stopped = backend.stop(how) if backend is not None else []
            results += [_result(m, s) for s, m in stopped]
        return how
    return None


def _record_planned(plan: list[RunSpec], results, bar, summary_errors: list[str]) -> None:
    for spec in plan:
        if spec.action == "skip":
            try:
                manifest = record_skip(spec)
            except OSError as exc:
                manifest = record_skip(spec, write=False)
                summary_errors.append(f"{spec.manifest}: {exc.strerror or exc} (previous kept)")
            results.append(_result(manifest, spec, status="skipped"))
        elif spec.action == "invalid":
            try:
                results.append(_result(record_invalid(spec), spec))
            except OSError as exc:
                summary_errors.append(f"{spec.manifest}: {exc.strerror or exc}")
                results.append(
                    RunResult(
                        spec.notebook_stem,
                        spec.region,
                        "failed",
                        0.0,
                        spec.manifest,
                        error=spec.error,
                    )
                )
            bar.write(f"refused {run_name(spec.key)}: {spec.error}")
        else:
            continue
        bar.update()


def run_reports(
    regions=None,
    notebooks=None,
    jobs: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    processed_dir: str | os.PathLike[str] | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
    wait: bool = False,
    dataset: str | None = None,
) -> RunSummary:
    """Run each notebook for each region (and dataset) and write the reports and ``index.html``.

    Parameters
    ----------
    regions : list of str, optional
        Region names (any case) or ``"national"``; default national and all 12 regions.
    notebooks : list of str, optional
        Notebook stems, file names, unique prefixes or paths; default every batch notebook
        in ``notebooks/``.
    jobs : int, optional
        Runs at once on this machine; default the number of cores. Ignored with a scheduler.
    scheduler : str, optional
        A dask.distributed scheduler address (``tcp://HOST:PORT``); default
        ``$ANALYSIS_DASK_SCHEDULER``. Its workers must see the same files (project, data,
        reports folder) and have the workspace kernel registered.
    dataset : str, optional
        Run the dataset notebooks on this case-level dataset only; default every dataset built
        (each apart: real and synthetic data are never pooled).
    force : bool
        Rerun runs that are up to date.
    processed_dir, reports_dir : path-like, optional
        Input data folder (passed to the notebooks) and output folder.
    progress : bool
        Show a progress bar.
    wait : bool
        When another runner holds the reports folder's lock, wait for it instead of refusing.

    Returns
    -------
    RunSummary
        Every run's status; :meth:`RunSummary.exit_code` gives the command's exit status.

    Raises
    ------
    ParameterError
        If a region or notebook name is unknown, or ``jobs`` is not a positive integer.
    RunSetupError
        If the reports folder is refused or locked by another runner, the workspace kernel is
        not registered or the scheduler cannot be reached (nothing ran).
    RunsInterrupted
        After Ctrl-C or SIGTERM, once the runs in flight are recorded and the index is written;
        ``summary`` holds the :class:`RunSummary`.
    """
    import time

    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a positive whole number, not {jobs!r}.")
    scheduler = scheduler or dask_scheduler()
    resolve_selection(regions, notebooks)  # names and settings first: a typo writes nothing
    cell_timeout()
    reports, note = prepare_reports_dir(reports_dir or config.REPORTS_DIR, (processed_dir,))
    notes = [note] if note else []
    lock = reports_lock(reports, wait=wait).acquire()
    try:
        with _signals_stop_the_batch(), _data_read_lock(processed_dir, wait, notes):
            return _run_locked(
                lock,
                notes,
                t0,
                regions,
                notebooks,
                jobs,
                scheduler,
                force,
                processed_dir,
                progress,
                tqdm,
                dataset=dataset,
            )
    finally:
        lock.release()


@contextlib.contextmanager
def _data_read_lock(processed_dir, wait: bool, notes: list[str]):
    """Hold the processed data's read lock for the batch (a build waits or refuses meanwhile)."""
    folder = Path(processed_dir) if processed_dir else config.PROCESSED_DIR
    if not folder.expanduser().resolve().parent.is_dir():
        yield  # no data to read: planning reports it
        return
    lock = data_lock(folder, "analysis reports", "read", wait=wait)
    with lock:
        if lock.read_only:
            notes.append(f"The folder above {folder} is read-only, so no build can change it.")
        yield


def _run_locked(
    lock,
    notes,
    t0,
    regions,
    notebooks,
    jobs,
    scheduler,
    force,
    processed,
    progress,
    tqdm,
    dataset=None,
):
    import time

    reports = lock.path.parent
    notes += [lock.note] if lock.note else []
    plan = plan_runs(
        regions,
        notebooks,
        force=force,
        processed_dir=processed,
        reports_dir=reports,
        dataset=dataset,
    )
    to_run = [s for s in plan if s.action == "run"]
    read_only = lock.read_only or not os.access(reports, os.W_OK)
    if read_only:
        due = [s.key for s in plan if s.action != "skip"]
        if due:
            raise RunSetupError(
                f"The reports folder {reports} cannot be written (read-only), and "
                f"{len(due)} run(s) need to run: {', '.join(due[:5])}. Nothing was run."
            )
        notes.append(
            f"The reports folder {reports} is read-only; every report is up to date, so nothing was written."
        )
    results: list[RunResult] = []
    write_errors: list[str] = []
    interrupted = None
    bar = progress_bar(tqdm, len(plan), enabled=progress)
    if to_run:
        _check_kernel(to_run[0].kernel)  # before anything is written
    with bar:
        if read_only:
            results += [_result(record_skip(s, write=False), s, status="skipped") for s in plan]
        else:
            _record_planned(plan, results, bar, write_errors)
        if to_run:
            version, batch = code_version(), uuid.uuid4().hex
            to_run = [
                replace(s, code_version=version, batch=batch, fence=lock.token) for s in to_run
            ]
            interrupted = _execute(to_run, jobs, scheduler, results, bar)
    index = reports / "index.html"
    if not read_only:
        try:
            index = write_index(reports)
        except OSError as exc:
            write_errors.append(f"{index}: {exc.strerror or exc} (the previous index was kept)")
    if write_errors and not any(s.action != "skip" for s in plan):
        # Every report is up to date: only the bookkeeping (checked times, the index) was not
        # saved, which changes no report. Say so, without calling the batch a failure.
        notes += [f"Not updated (every report is up to date): {e}" for e in write_errors]
        write_errors = []
    order = {(s.region_slug, s.notebook_stem): i for i, s in enumerate(plan)}
    results.sort(key=lambda r: order[(r.region_slug, r.notebook)])
    summary = RunSummary(
        runs=results,
        index=index,
        duration_s=time.perf_counter() - t0,
        backend=f"dask {scheduler}" if scheduler else "local processes",
        jobs=jobs,
        notes=notes,
        write_errors=write_errors,
        interrupted=interrupted,
    )
    if interrupted:
        raise RunsInterrupted(str(summary), summary=summary)
    return summary
