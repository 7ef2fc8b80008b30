"""Execute one notebook run: the part of the runner that happens in a worker process.

:func:`execute_run` takes a plain, picklable description of one run (a dict built by
:mod:`analysis.runs.runner`), executes the notebook with papermill on the workspace kernel in the
run's own working directory, exports the HTML report (also for a failed run, so the failure is
readable), and writes the run manifest. It never raises for a failed run: the manifest it
returns says what happened, so one failed region never stops the others.

Kernel start-up is told apart from a failing cell: the papermill engine registered here as
``"analysis"`` wraps any error raised while the kernel starts in :class:`KernelStartError`, and
only that is retried (once).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
import traceback
import uuid
from pathlib import Path
from typing import Any

from .._io import now_utc, write_json_atomic

__all__ = [
    "KernelStartError",
    "execute_run",
    "warm_up",
    "ENGINE_NAME",
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
            try:
                return super().start_new_kernel(**kwargs)
            except Exception as exc:
                raise KernelStartError(f"{type(exc).__name__}: {exc}") from exc

        def start_new_kernel_client(self):
            try:
                return super().start_new_kernel_client()
            except Exception as exc:
                raise KernelStartError(f"{type(exc).__name__}: {exc}") from exc

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
            return client.execute()

    return AnalysisEngine


def warm_up() -> None:
    """Import the heavy libraries once per worker process and register the engine.

    Used as the process pool's initializer, so each worker pays the import cost once and
    reuses it for every run it executes. Kernels this worker starts get one BLAS thread each
    (unless the caller set otherwise): with one kernel per core, threaded linear algebra only
    oversubscribes the cores.
    """
    import os

    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    from papermill.engines import papermill_engines

    if ENGINE_NAME not in papermill_engines._engines:
        papermill_engines.register(ENGINE_NAME, _engine_class())
    import nbconvert  # noqa: F401

    from ..report import export as report  # noqa: F401


def _run_logger(key: str, log_path: Path) -> tuple[logging.Logger, logging.Handler]:
    logger = logging.getLogger(f"analysis.run.{key}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for old in list(logger.handlers):
        logger.removeHandler(old)
    log_path.write_text("", encoding="utf-8")
    handler = logging.FileHandler(log_path, mode="a", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger, handler


def _excerpt(source: str, lines: int = SOURCE_EXCERPT_LINES) -> str:
    rows = (source or "").splitlines()
    return "\n".join(rows[:lines] + (["..."] if len(rows) > lines else []))


def _cell_error(exc) -> dict[str, Any]:
    return {
        "kind": "cell",
        "cell_index": exc.cell_index,
        "execution_count": exc.exec_count,
        "cell_source": _excerpt(exc.source),
        "ename": exc.ename,
        "evalue": exc.evalue,
        "message": f"Cell {exc.cell_index} of the executed notebook raised {exc.ename}: {exc.evalue}",
    }


def _locate_failing_cell(error: dict, executed: Path) -> None:
    """Point ``cell_index`` at the failing cell of the saved notebook (papermill adds marker cells).

    Also sets ``source_cell_index``: the same cell's index in the notebook as written, without
    the injected-parameters cell and papermill's error markers.
    """
    try:
        cells = json.loads(executed.read_text("utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return
    skipped = 0
    for index, cell in enumerate(cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            skipped += 1
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            error["cell_index"] = index
            error["source_cell_index"] = index - skipped
            error["message"] = (
                f"Cell {index - skipped} of the notebook (cell {index} of the executed notebook) "
                f"raised {error['ename']}: {error['evalue']}"
            )
            return


def _other_error(kind: str, exc: BaseException) -> dict[str, Any]:
    cause = exc.__cause__ if isinstance(exc, KernelStartError) and exc.__cause__ else exc
    return {
        "kind": kind,
        "ename": type(cause).__name__,
        "evalue": str(cause),
        "message": f"{kind.replace('-', ' ').capitalize()} failed: {type(cause).__name__}: {cause}",
        "traceback": "".join(traceback.format_exception(cause))[-4000:],
    }


def _execute(spec: dict, out_ipynb: Path, workdir: Path, logger: logging.Logger) -> dict | None:
    """Run papermill with one retry on a kernel-start failure; return the error, or None."""
    warm_up()
    with open(spec["log"], "a", encoding="utf-8") as kernel_stream:
        return _attempts(spec, out_ipynb, workdir, logger, kernel_stream)


def _attempts(spec, out_ipynb, workdir, logger, kernel_stream) -> dict | None:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        spec["attempts"] = attempt
        kernel = spec["kernel_names"][min(attempt, len(spec["kernel_names"])) - 1]
        transport = TRANSPORTS[min(attempt, len(TRANSPORTS)) - 1]
        logger.info(
            "attempt %d: kernel %s over %s, working directory %s",
            attempt,
            kernel,
            transport,
            workdir,
        )
        try:
            papermill.execute_notebook(
                spec["notebook"],
                str(out_ipynb),
                parameters=spec["parameters"],
                engine_name=ENGINE_NAME,
                kernel_name=kernel,
                progress_bar=False,
                log_output=True,
                start_timeout=spec.get("start_timeout", 60),
                execution_timeout=spec.get("execution_timeout"),
                run_logger=logger,
                workdir=workdir,
                kernel_stream=kernel_stream,
                transport=transport,
            )
            return None
        except PapermillExecutionError as exc:
            logger.error("cell %s failed: %s: %s", exc.cell_index, exc.ename, exc.evalue)
            return _cell_error(exc)
        except KernelStartError as exc:
            logger.error("kernel did not start (attempt %d): %s", attempt, exc)
            if attempt == KERNEL_START_ATTEMPTS:
                return _other_error("kernel-start", exc)
            time.sleep(spec.get("retry_delay", 1.0))
        except Exception as exc:  # a dead kernel, a timeout, an unreadable notebook
            logger.exception("execution failed")
            return _other_error("execution", exc)
    return None  # pragma: no cover - the loop always returns


def _export(spec: dict, ipynb: Path, provenance: dict, logger: logging.Logger) -> dict:
    from ..report import export as report

    result = report.export_html(ipynb, Path(spec["html"]), provenance=provenance)
    logger.info(
        "exported %s (%d bytes, %d tables)", result.html, result.size_bytes, len(result.tables)
    )
    return {
        "html": str(result.html),
        "tables": [str(p) for p in result.tables],
        "headline": result.headline,
        "synthetic": bool(result.synthetic),
        "title": result.title,
        "size_bytes": int(result.size_bytes),
    }


def _relative(outputs: dict, base: Path) -> dict:
    """Output paths relative to the reports folder, so the folder can be moved or published."""

    def rel(value):
        if isinstance(value, list):
            return [rel(v) for v in value]
        return Path(os.path.relpath(value, base)).as_posix() if value else value

    return {key: rel(value) for key, value in outputs.items()}


def _provenance(
    spec: dict, status: str, started: str, finished: str, kernel: str, error: dict | None
) -> dict:
    return {
        "error": error["message"] if error else None,
        "notebook": spec["notebook_relpath"],
        "region": spec["region"],
        "parameters": spec["parameters"],
        "data_hashes": spec["data_hashes"],
        "code_version": spec["code_version"],
        "started": started,
        "finished": finished,
        "status": status,
        "kernel": kernel,
    }


def execute_run(spec: dict) -> dict:
    """Execute one run and write its outputs and manifest; return the manifest.

    Parameters
    ----------
    spec : dict
        Built by :func:`analysis.runs.runner.plan_runs`: notebook, region, parameters, output
        paths (html, ipynb, log, manifest, workdir), kernel_names, data_hashes,
        code_version, fingerprint and the other manifest fields.

    Returns
    -------
    dict
        The manifest, with ``status`` ``"ok"`` or ``"failed"`` and, for a failure, ``error``
        (kind ``cell`` with cell_index, cell_source, ename, evalue; or ``kernel-start``,
        ``execution``, ``export``).

    Raises
    ------
    OSError
        Only if the reports folder itself cannot be written.
    """
    spec = dict(spec)
    log_path, ipynb = Path(spec["log"]), Path(spec["ipynb"])
    workdir = Path(spec["workdir"])
    for folder in (log_path.parent, ipynb.parent):
        folder.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    logger, handler = _run_logger(spec["key"], log_path)
    started, t0 = now_utc(), time.perf_counter()
    tmp_ipynb = workdir / ipynb.name
    try:
        logger.info(
            "run %s: notebook %s, parameters %s (why: %s)",
            spec["key"],
            spec["notebook"],
            spec["parameters"],
            spec.get("reason"),
        )
        error = _execute(spec, tmp_ipynb, workdir, logger)
        finished = now_utc()
        kernel = spec["kernel_names"][min(spec["attempts"], len(spec["kernel_names"])) - 1]
        if tmp_ipynb.exists():
            os.replace(tmp_ipynb, ipynb)
            if error and error["kind"] == "cell":
                _locate_failing_cell(error, ipynb)
        elif error is not None and ipynb.exists():
            ipynb.unlink()  # never leave an earlier run's notebook beside this run's failure
        status = "failed" if error else "ok"
        outputs: dict[str, Any] = {"ipynb": str(ipynb) if ipynb.exists() else None, "html": None}
        report_fields: dict[str, Any] = {
            "headline": None,
            "synthetic": None,
            "title": None,
            "size_bytes": None,
        }
        try:
            source = ipynb if ipynb.exists() else Path(spec["notebook"])
            exported = _export(
                spec, source, _provenance(spec, status, started, finished, kernel, error), logger
            )
            outputs.update(html=exported.pop("html"), tables=exported.pop("tables"))
            report_fields.update(exported)
        except Exception as exc:
            logger.exception("HTML export failed")
            export_error = _other_error("export", exc)
            if error is None:
                error, status = export_error, "failed"
            else:
                error["export_error"] = export_error["message"]
        duration = time.perf_counter() - t0
        manifest = {
            **{k: spec.get(k) for k in spec["manifest_fields"]},
            **report_fields,
            "status": status,
            "last_action": "executed",
            "attempts": spec["attempts"],
            "kernel": kernel,
            "started": started,
            "finished": finished,
            "checked": now_utc(),
            "duration_s": round(duration, 3),
            "outputs": _relative({**outputs, "log": str(log_path)}, Path(spec["reports_dir"])),
            "error": error,
        }
        logger.info("%s in %.1f s", status, duration)
    finally:
        logger.removeHandler(handler)
        handler.close()
    if status == "ok":
        shutil.rmtree(workdir, ignore_errors=True)
    write_json_atomic(Path(spec["manifest"]), manifest)
    return manifest
