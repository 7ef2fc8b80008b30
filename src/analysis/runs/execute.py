"""Execute one notebook run: the part of the runner that happens in a worker process.

:func:`execute_run` takes a :class:`~analysis.runs.spec.RunSpec`, records the run as
``running`` in its manifest, executes the notebook with papermill on the workspace kernel in the
run's own working directory, puts the executed notebook in place atomically, exports the HTML
report (also for a failed run, so the failure is readable), and writes the final manifest. It
never raises for a failed run: the manifest it returns says what happened, so one failed region
never stops the others. A write that fails (disk full, read-only folder) keeps the previous
good file and is recorded as a failure naming the file.

A :class:`KeyboardInterrupt` (Ctrl-C, or SIGTERM in a worker) stops the run: its kernel is shut
down, its manifest says ``interrupted``, and the interrupt goes on to the caller.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from ..exceptions import RunnerGone
from ..io.atomic import atomic_path, now_utc
from ..settings import DISCLOSURE_THRESHOLD_ENV
from ._failures import (
    cell_error,
    is_write_failure,
    locate_failing_cell,
    other_error,
    write_error,
)
from .engine import ENGINE_NAME, KERNEL_START_ATTEMPTS, TRANSPORTS, KernelStartError, warm_up
from .folders import check_fence
from .records import previous_outputs, record_interrupted, store
from .spec import RunManifest, RunSpec

__all__ = ["execute_run"]


def _run_logger(key: str, log_path: Path) -> tuple[logging.Logger, logging.Handler]:
    logger = logging.getLogger(f"analysis.run.{key}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for old in list(logger.handlers):
        logger.removeHandler(old)
    handler = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger, handler


def _attempts(spec: RunSpec, out_ipynb: Path, logger, kernel_stream):
    """Run papermill with one retry on a kernel-start failure.

    Returns (error or None, attempts, the executed notebook or None): the notebook object is
    handed on to the export, so it is not read back from disk.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        kernel = spec.kernel_for(attempt)
        transport = TRANSPORTS[min(attempt, len(TRANSPORTS)) - 1]
        logger.info(
            "attempt %d: kernel %s over %s, working directory %s",
            attempt,
            kernel,
            transport,
            spec.workdir,
        )
        warm = None
        try:
            warm, setup = _warm_kernel(spec, attempt, kernel)
            if warm is not None:
                logger.info("a warm kernel (started ahead, libraries imported)")
            nb = papermill.execute_notebook(
                str(spec.notebook),
                str(out_ipynb),
                parameters=spec.parameters,
                engine_name=ENGINE_NAME,
                kernel_name=kernel,
                progress_bar=False,
                log_output=True,
                start_timeout=spec.start_timeout,
                execution_timeout=spec.execution_timeout,
                run_logger=logger,
                workdir=spec.workdir,
                kernel_stream=kernel_stream,
                transport=transport,
                kernel_env=kernel_env(spec),
                warm=warm,
                run_setup=setup,
            )
            return None, attempt, nb
        except PapermillExecutionError as exc:
            logger.error("cell %s failed: %s: %s", exc.cell_index, exc.ename, exc.evalue)
            return cell_error(exc), attempt, None
        except KernelStartError as exc:
            logger.error("kernel did not start (attempt %d): %s", attempt, exc)
            if attempt == KERNEL_START_ATTEMPTS:
                return other_error("kernel-start", exc), attempt, None
            if warm is None:
                time.sleep(spec.retry_delay)
        except Exception as exc:  # a dead kernel, a timeout, an unreadable notebook, a full disk
            logger.exception("execution failed")
            if is_write_failure(exc):
                return write_error(exc, "the executed notebook"), attempt, None
            return other_error("execution", exc), attempt, None
        finally:
            if warm is not None:  # one kernel, one run
                warm.close(kernel_stream)
    return None, KERNEL_START_ATTEMPTS, None  # pragma: no cover - the loop always returns


def _warm_kernel(spec: RunSpec, attempt: int, kernel: str):
    """A warm kernel for the first attempt and the code that gives it the run, or (None, None).

    The retry of a run whose warm kernel failed starts a cold kernel, as before.
    """
    from . import kernels

    if not kernels.ENABLED or attempt != 1:
        return None, None
    env = kernel_env(spec)
    unset = [name for name in _RUN_SETTINGS if name not in env and name not in os.environ]
    env.update({n: os.environ[n] for n in _RUN_SETTINGS if n not in env and n in os.environ})
    setup = kernels.run_setup_code(spec.workdir, env, unset)
    return kernels.pool_for(kernel, spec.start_timeout).take(spec.warm_next), setup


_RUN_SETTINGS = (
    "ANALYSIS_RUN_KIND",
    "ANALYSIS_RUN_DATASET",
    "ANALYSIS_RUN_PUBLIC_RECORD",
    DISCLOSURE_THRESHOLD_ENV,
)
"""The variables :func:`kernel_env` may set; a warm kernel gets each exactly as a cold one."""


def public_record(spec: RunSpec) -> bool:
    """A run of a notebook that declares it reads published data only, on no dataset."""
    return spec.dataset is None and spec.dataset_kind == "real"


def kernel_env(spec: RunSpec) -> dict[str, str]:
    """What a run's kernel is told about the run: its dataset, kind and disclosure threshold.

    The kind fails closed: a run whose kind is not positively ``synthetic`` is ``real``, so
    every reader table, figure and sentence of it goes through disclosure control.
    """
    from ..data.provenance import RUN_DATASET_ENV, RUN_KIND_ENV, RUN_PUBLIC_ENV

    env = {
        RUN_KIND_ENV: "synthetic" if spec.dataset_kind == "synthetic" else "real",
        RUN_DATASET_ENV: spec.dataset or "published reports",
    }
    if public_record(spec):
        env[RUN_PUBLIC_ENV] = "1"
    if spec.disclosure_threshold is not None:
        env[DISCLOSURE_THRESHOLD_ENV] = str(spec.disclosure_threshold)
    return env


def _provenance(spec: RunSpec, status: str, started: str, finished: str, kernel: str, error):
    from ..report.run_provenance import RunProvenance

    return RunProvenance(
        dataset=spec.dataset,
        dataset_kind="synthetic" if spec.dataset_kind == "synthetic" else "real",
        public_record=public_record(spec),
        disclosure_threshold=spec.disclosure_threshold,
        error=error["message"] if error else None,
        notebook=spec.notebook_relpath or "",
        region=spec.region,
        parameters=spec.parameters,
        data_hashes=spec.data_hashes or {},
        code_version=spec.code_version or "",
        started=started,
        finished=finished,
        status=status,
        kernel=kernel or "",
    )


def _export(spec: RunSpec, source: Path, provenance, logger) -> dict[str, Any]:
    from ..report import export as report

    check_fence(spec.reports_dir, spec.fence)
    result = report.export_html(source, spec.html, provenance=provenance)
    logger.info(
        "exported %s (%d bytes, %d tables)", result.html, result.size_bytes, len(result.tables)
    )
    if result.disclosure:
        logger.info("disclosure control at export: %s", result.disclosure)
    return {
        "html": spec.relative(result.html),
        "tables": [spec.relative(p) for p in result.tables],
        "headline": result.headline,
        "synthetic": bool(result.synthetic),
        "title": result.title,
        "size_bytes": int(result.size_bytes),
    }


def _kept(spec: RunSpec, name: str) -> str | None:
    """The previous run's output ``name`` if that file is still there (kept after a failure)."""
    path = previous_outputs(spec).get(name)
    return path if isinstance(path, str) and (spec.reports_dir / path).is_file() else None


def _interrupted(spec: RunSpec, started: str, t0: float, exc: BaseException, logger) -> None:
    how = str(exc) or "Ctrl-C"
    if logger is not None:
        logger.error("interrupted (%s)", how)
    duration = round(time.perf_counter() - t0, 3)
    with contextlib.suppress(RunnerGone):  # nobody to record it for
        record_interrupted(spec, how, started, duration_s=duration, fenced=True)


def _start(spec: RunSpec, started: str) -> tuple[logging.Logger, logging.Handler]:
    """Make the run's folders, record it as ``running`` and open its log (raises OSError)."""
    check_fence(spec.reports_dir, spec.fence)
    for folder in (spec.log.parent, spec.ipynb.parent):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(spec.workdir, ignore_errors=True)  # the runner's own scratch folder
    spec.workdir.mkdir(parents=True)
    RunManifest.for_spec(
        spec,
        status="running",
        last_action="started",
        started=started,
        checked=started,
        outputs=previous_outputs(spec),
    ).write(spec.manifest)
    return _run_logger(spec.key, spec.log)


def execute_run(spec: RunSpec) -> RunManifest:
    """Execute one run and write its outputs and manifest; return the manifest.

    Parameters
    ----------
    spec : RunSpec
        Built by :func:`analysis.runs.planning.plan_runs` (with ``code_version`` and ``batch``
        set by the runner).

    Returns
    -------
    RunManifest
        ``status`` ``"ok"`` or ``"failed"`` and, for a failure, ``error`` (kind ``cell`` with
        cell_index, cell_source, ename, evalue; or ``kernel-start``, ``execution``, ``export``,
        ``write`` naming the file that could not be written).

    Raises
    ------
    KeyboardInterrupt
        When the run is interrupted; its manifest then says ``interrupted``.
    """
    started, t0 = now_utc(), time.perf_counter()
    logger = handler = None
    try:
        try:
            logger, handler = _start(spec, started)
        except OSError as exc:
            return store(
                RunManifest.for_spec(
                    spec,
                    status="failed",
                    last_action="executed",
                    started=started,
                    finished=now_utc(),
                    checked=now_utc(),
                    outputs=previous_outputs(spec),
                    error=write_error(exc, str(spec.reports_dir)),
                ),
                spec,
                fenced=True,
            )
        return _execute(spec, started, t0, logger)
    except RunnerGone as exc:  # not even the log is written to any more
        return RunManifest.for_spec(  # for the caller only: nothing more is written
            spec,
            status="failed",
            last_action="executed",
            started=started,
            finished=now_utc(),
            checked=now_utc(),
            error={"kind": "fenced", "message": str(exc)},
        )
    except KeyboardInterrupt as exc:
        _interrupted(spec, started, t0, exc, logger)
        raise
    finally:
        if logger is not None and handler is not None:
            logger.removeHandler(handler)
            handler.close()


def _execute(spec: RunSpec, started: str, t0: float, logger) -> RunManifest:
    logger.info(
        "run %s: notebook %s, parameters %s (why: %s)",
        spec.key,
        spec.notebook,
        spec.parameters,
        spec.reason,
    )
    warm_up()
    work_ipynb = spec.workdir / spec.ipynb.name
    with open(spec.log, "a", encoding="utf-8") as kernel_stream:
        error, attempts, executed = _attempts(spec, work_ipynb, logger, kernel_stream)
    finished = now_utc()
    kernel = spec.kernel_for(attempts)
    ipynb = None
    if work_ipynb.exists():
        if error and error["kind"] == "cell":
            locate_failing_cell(error, work_ipynb)
        try:
            check_fence(spec.reports_dir, spec.fence)
            with atomic_path(spec.ipynb) as temp:
                shutil.copyfile(work_ipynb, temp)
            ipynb = spec.relative(spec.ipynb)
        except OSError as exc:
            logger.error("could not write the executed notebook: %s", exc)
            error = error or write_error(exc, str(spec.ipynb))
            ipynb = _kept(spec, "ipynb")
    elif error is not None and (kept := _kept(spec, "ipynb")):
        (spec.reports_dir / kept).unlink()  # never leave an earlier run's notebook beside a failure
    status = "failed" if error else "ok"
    outputs: dict[str, Any] = {"html": None, "ipynb": ipynb}
    report: dict[str, Any] = {}
    source = executed if executed is not None else work_ipynb
    source = source if executed is not None or work_ipynb.exists() else spec.notebook
    provenance = _provenance(spec, status, started, finished, kernel, error)
    try:
        report = _export(spec, source, provenance, logger)
        outputs.update(html=report.pop("html"), tables=report.pop("tables"))
    except RunnerGone:
        raise
    except Exception as exc:
        logger.exception("HTML export failed")
        export = write_error(exc, str(spec.html)) if is_write_failure(exc) else None
        export = export or other_error("export", exc)
        outputs.update(html=_kept(spec, "html"), tables=previous_outputs(spec).get("tables", []))
        if error is None:
            error, status = export, "failed"
        else:
            error["export_error"] = export["message"]
    duration = time.perf_counter() - t0
    logger.info("%s in %.1f s", status, duration)
    manifest = RunManifest.for_spec(
        spec,
        **report,
        status=status,
        last_action="executed",
        attempts=attempts,
        kernel=kernel,
        started=started,
        finished=finished,
        checked=now_utc(),
        duration_s=round(duration, 3),
        outputs={**outputs, "log": spec.relative(spec.log)},
        error=error,
    )
    if status == "ok":
        shutil.rmtree(spec.workdir, ignore_errors=True)
    return store(manifest, spec, fenced=True, logger=logger)
