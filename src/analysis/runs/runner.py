"""Run every report notebook for national and each region, in parallel, incrementally.

:func:`run_reports` is what ``analysis reports`` (and ``make reports``) calls. For each notebook
and region it checks the parameters before any kernel starts, skips a run whose notebook,
parameters, input data and code are unchanged since a successful run whose outputs still exist,
and sends the others to workers: processes on this machine, or a dask.distributed cluster when a
scheduler address is given (``scheduler=`` or ``$ANALYSIS_DASK_SCHEDULER``). Each run executes
in :func:`analysis.runs.execute.execute_run`, which writes the executed notebook, the HTML report, its
CSV tables, a log and a manifest (see the layout below); a failed run is recorded and the others
carry on. Finally :func:`write_index` writes ``reports/index.html`` from the manifests.

Layout under ``reports_dir``::

    index.html
    <region_slug>/<notebook_stem>.html, .ipynb and <notebook_stem>_tables/*.csv
    _runs/<region_slug>__<notebook_stem>.json   (manifest) and .log

Local parallelism uses a :class:`concurrent.futures.ProcessPoolExecutor` with the ``spawn``
start method: each worker imports papermill, nbconvert and the report code once (its
initializer) and reuses them for every run it executes, a crash in one worker cannot corrupt
the main process, and ``spawn`` behaves the same on Linux, macOS and Windows. The work in a run
is mostly done by its kernel (a separate process), so threads would also do, but the HTML
export is CPU-bound Python that would hold the GIL.

This module imports only the standard library (and tqdm) at the top, so that deciding that
nothing needs to run takes well under a second.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .. import config
from .._io import now_utc, write_json_atomic
from ..exceptions import ParameterError, RunFailed
from ..report.index import write_index
from .execute import execute_run
from .parameters import region_slug
from .planning import MANIFEST_FIELDS, code_version, plan_runs

__all__ = ["RunResult", "RunSummary", "run_reports", "SCHEDULER_ENV"]

SCHEDULER_ENV = "ANALYSIS_DASK_SCHEDULER"
"""Environment variable holding a dask.distributed scheduler address (``tcp://HOST:PORT``)."""

SCHEDULER_TIMEOUT = "20s"
"""How long to try to reach the scheduler before giving up."""


@dataclass(frozen=True)
class RunResult:
    """What happened to one notebook for one region."""

    notebook: str
    region: str | None
    status: str
    """``ok``, ``failed`` or ``skipped`` (up to date)."""
    duration_s: float
    manifest: Path
    html: Path | None = None
    error: str | None = None

    @property
    def region_slug(self) -> str:
        return region_slug(self.region)


@dataclass
class RunSummary:
    """Every run of one :func:`run_reports` call, with the index it wrote."""

    runs: list[RunResult]
    index: Path
    duration_s: float
    backend: str = "local"
    jobs: int = 1

    def _count(self, status: str) -> int:
        return sum(r.status == status for r in self.runs)

    @property
    def n_ok(self) -> int:
        return self._count("ok")

    @property
    def n_failed(self) -> int:
        return self._count("failed")

    @property
    def n_skipped(self) -> int:
        return self._count("skipped")

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.runs if r.status == "failed"]

    def raise_for_failures(self) -> None:
        """Raise :class:`RunFailed` listing the failed runs, if any.

        Raises
        ------
        RunFailed
            When at least one run failed.
        """
        if self.failed:
            raise RunFailed(str(self), failures=self.failed)

    def __str__(self) -> str:
        lines = [
            f"{len(self.runs)} runs: {self.n_ok} ok, {self.n_failed} failed, "
            f"{self.n_skipped} skipped (up to date) in {self.duration_s:.1f} s "
            f"({self.backend}, {self.jobs} jobs). Index: {self.index}"
        ]
        for r in self.failed:
            lines.append(
                f"FAILED {r.region_slug}/{r.notebook}: {r.error} (log: {r.manifest.with_suffix('.log')})"
            )
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<RunSummary {len(self.runs)} runs: {self.n_ok} ok, {self.n_failed} failed, {self.n_skipped} skipped>"


def _result(manifest: dict, spec: dict, status: str | None = None) -> RunResult:
    error = manifest.get("error")
    html = (manifest.get("outputs") or {}).get("html")
    return RunResult(
        notebook=spec["notebook_stem"],
        region=spec["region"],
        status=status or manifest["status"],
        duration_s=float(manifest.get("duration_s") or 0.0),
        manifest=Path(spec["manifest"]),
        html=Path(spec["reports_dir"]) / html if html else None,
        error=(error.get("message") if isinstance(error, dict) else error),
    )


def _record_skip(spec: dict) -> RunResult:
    manifest = dict(spec["previous"], last_action="skipped", checked=now_utc(), reason="up to date")
    write_json_atomic(Path(spec["manifest"]), manifest)
    return _result(manifest, spec, status="skipped")


def _record_invalid(spec: dict) -> RunResult:
    log = Path(spec["log"])
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(
        f"{now_utc()} ERROR parameters refused, no kernel started:\n{spec['error']}\n", "utf-8"
    )
    manifest = {k: spec.get(k) for k in MANIFEST_FIELDS}
    manifest.update(
        status="failed",
        last_action="refused",
        checked=now_utc(),
        duration_s=0.0,
        outputs={"log": os.path.relpath(log, spec["reports_dir"])},
        error={"kind": "parameters", "message": spec["error"]},
    )
    write_json_atomic(Path(spec["manifest"]), manifest)
    return _result(manifest, spec)


def _crashed(spec: dict, exc: BaseException) -> dict:
    """Manifest for a run whose worker died or could not be reached (the run's own code never returned)."""
    manifest = {k: spec.get(k) for k in MANIFEST_FIELDS}
    manifest.update(
        status="failed",
        last_action="executed",
        checked=now_utc(),
        duration_s=0.0,
        outputs={"log": os.path.relpath(spec["log"], spec["reports_dir"])},
        error={
            "kind": "worker",
            "message": f"The worker running this report failed: {type(exc).__name__}: {exc}",
        },
    )
    write_json_atomic(Path(spec["manifest"]), manifest)
    return manifest


def _run_local(specs: list[dict], jobs: int):
    if jobs == 1 or len(specs) == 1:
        for spec in specs:
            yield spec, execute_run(spec)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from .execute import warm_up

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(min(jobs, len(specs)), mp_context=context, initializer=warm_up)
    try:
        futures = {pool.submit(execute_run, spec): spec for spec in specs}
        for future in as_completed(futures):
            spec = futures[future]
            try:
                yield spec, future.result()
            except Exception as exc:  # BrokenProcessPool: a worker died
                yield spec, _crashed(spec, exc)
    except BaseException:  # Ctrl-C: do not start the runs still queued
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _run_dask(specs: list[dict], scheduler: str):
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise RunFailed(
            f"A scheduler was given ({scheduler}) but dask.distributed is not installed: {exc}"
        ) from None
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT, set_as_default=False)
    except OSError as exc:
        raise RunFailed(
            f"Cannot reach the dask scheduler at {scheduler}: {exc}. Start one with "
            f"`dask scheduler`, or unset {SCHEDULER_ENV} to run on this machine."
        ) from None
    with client:
        futures = client.map(
            execute_run,
            specs,
            key=[f"report-{s['key']}-{os.urandom(4).hex()}" for s in specs],
            pure=False,
        )
        by_key = {f.key: s for f, s in zip(futures, specs, strict=True)}
        for future in as_completed(futures, loop=client.loop):
            spec = by_key[future.key]
            try:
                yield spec, future.result()
            except Exception as exc:
                yield spec, _crashed(spec, exc)


def _check_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise RunFailed(
            f"The Jupyter kernel {name!r} is not registered. Run `make install` (it runs "
            f"`python -m ipykernel install --sys-prefix --name {name}`)."
        ) from None


def run_reports(
    regions=None,
    notebooks=None,
    jobs: int | None = None,
    scheduler: str | None = None,
    force: bool = False,
    processed_dir: str | os.PathLike[str] | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
    progress: bool = True,
) -> RunSummary:
    """Run each notebook for each region and write the reports and ``index.html``.

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
    force : bool
        Rerun runs that are up to date.
    processed_dir, reports_dir : path-like, optional
        Input data folder (passed to the notebooks) and output folder.
    progress : bool
        Show a progress bar.

    Returns
    -------
    RunSummary
        Every run's status; ``n_failed`` is non-zero when any failed (the command then exits 1).

    Raises
    ------
    ParameterError
        If a region or notebook name is unknown, or ``jobs`` is not a positive integer.
    RunFailed
        If the workspace kernel is not registered or the scheduler cannot be reached (nothing ran).
    """
    import time

    from tqdm.auto import tqdm

    t0 = time.perf_counter()
    if jobs is None:
        jobs = os.cpu_count() or 1
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(f"jobs must be a positive whole number, not {jobs!r}.")
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    reports = Path(reports_dir or config.REPORTS_DIR).resolve()
    plan = plan_runs(
        regions, notebooks, force=force, processed_dir=processed_dir, reports_dir=reports
    )
    results: list[RunResult] = []
    to_run = [s for s in plan if s["action"] == "run"]
    bar = tqdm(
        total=len(plan), unit="run", desc="reports", disable=not progress, dynamic_ncols=True
    )
    with bar:
        for spec in plan:
            if spec["action"] == "skip":
                results.append(_record_skip(spec))
            elif spec["action"] == "invalid":
                results.append(_record_invalid(spec))
                bar.write(f"refused {spec['key']}: {spec['error']}")
            else:
                continue
            bar.update()
        if to_run:
            _check_kernel(to_run[0]["kernel"])
            version = code_version()
            for spec in to_run:
                spec["code_version"] = version
                spec["manifest_fields"] = MANIFEST_FIELDS
            runs = _run_dask(to_run, scheduler) if scheduler else _run_local(to_run, jobs)
            for spec, manifest in runs:
                result = _result(manifest, spec)
                results.append(result)
                if result.status == "failed":
                    bar.write(f"failed {spec['key']}: {result.error}")
                bar.set_postfix(failed=sum(r.status == "failed" for r in results), refresh=False)
                bar.update()
    index = write_index(reports)
    order = {s["key"]: i for i, s in enumerate(plan)}
    results.sort(key=lambda r: order[f"{r.region_slug}__{r.notebook}"])
    return RunSummary(
        runs=results,
        index=index,
        duration_s=time.perf_counter() - t0,
        backend=f"dask {scheduler}" if scheduler else "local processes",
        jobs=jobs,
    )
