"""Writing run manifests, and the records of runs whose own code never ran or never returned.

:func:`store` is the one way a manifest is written, by a run that executes
(:func:`analysis.runs.execute.execute_run`, fenced by the runner's lock) and by the runner for
skipped, refused, crashed and interrupted runs; :func:`previous_outputs` is what a run that
did not finish keeps of the last good one.
"""

from __future__ import annotations

from ..io.atomic import now_utc, write_text_atomic
from ._failures import interrupted_error, write_error
from .folders import check_fence
from .spec import RunManifest, RunSpec

__all__ = [
    "store",
    "previous_outputs",
    "record_skip",
    "record_invalid",
    "record_crashed",
    "record_interrupted",
]


def store(
    manifest: RunManifest, spec: RunSpec, *, fenced: bool = False, logger=None
) -> RunManifest:
    """Write the manifest; if that fails, say so in the returned record (the old file stays).

    A manifest that cannot be written makes the run failed (an interrupted run stays
    interrupted), with the write problem in its error. ``fenced``: a worker's write, refused
    with :class:`~analysis.exceptions.RunnerGone` (writing nothing) once its runner is gone.
    """
    if fenced:
        check_fence(spec.reports_dir, spec.fence)
    try:
        manifest.write(spec.manifest)
    except OSError as exc:
        if logger is not None:
            logger.error("could not write the manifest: %s", exc)
        problem = write_error(exc, str(spec.manifest))
        error = dict(manifest.error or problem)
        if manifest.error:
            error["manifest_error"] = problem["message"]
        status = manifest.status if manifest.status == "interrupted" else "failed"
        return manifest.but(status=status, error=error)
    return manifest


def previous_outputs(spec: RunSpec) -> dict:
    """The outputs of the run's last manifest, when it could be read (else none)."""
    previous = spec.previous
    if previous is None or previous.problem:
        return {}
    return dict(previous.outputs)


def record_skip(spec: RunSpec, write: bool = True) -> RunManifest:
    """The previous manifest, marked as checked and skipped (up to date).

    Raises
    ------
    OSError
        If ``write`` and the manifest cannot be written (the previous one stays).
    """
    previous = spec.previous or RunManifest(status="ok")
    manifest = previous.but(last_action="skipped", checked=now_utc(), reason="up to date")
    if write:
        manifest.write(spec.manifest)
    return manifest


def record_invalid(spec: RunSpec) -> RunManifest:
    """A run whose parameters were refused: a log saying so and a failed manifest.

    Raises
    ------
    OSError
        If the log or the manifest cannot be written.
    """
    write_text_atomic(
        spec.log, f"{now_utc()} ERROR parameters refused, no kernel started:\n{spec.error}\n"
    )
    manifest = RunManifest.for_spec(
        spec,
        status="failed",
        last_action="refused",
        checked=now_utc(),
        outputs={"log": spec.relative(spec.log)},
        error={"kind": "parameters", "message": spec.error},
    )
    manifest.write(spec.manifest)
    return manifest


def _kept_outputs(spec: RunSpec) -> dict:
    return {**previous_outputs(spec), "log": spec.relative(spec.log)}


def record_crashed(spec: RunSpec, exc: BaseException) -> RunManifest:
    """A run whose worker died or could not be reached (its own code never returned)."""
    return store(
        RunManifest.for_spec(
            spec,
            status="failed",
            last_action="executed",
            checked=now_utc(),
            outputs=_kept_outputs(spec),
            error={
                "kind": "worker",
                "message": f"The worker running this report failed: {type(exc).__name__}: {exc}",
            },
        ),
        spec,
    )


def record_interrupted(
    spec: RunSpec,
    how: str,
    started: str | None = None,
    *,
    duration_s: float | None = None,
    fenced: bool = False,
) -> RunManifest:
    """A run stopped in flight: by its own worker (``fenced``), or by the runner for it."""
    return store(
        RunManifest.for_spec(
            spec,
            status="interrupted",
            last_action="interrupted",
            started=started,
            finished=now_utc(),
            checked=now_utc(),
            duration_s=duration_s,
            outputs=_kept_outputs(spec),
            error=interrupted_error(how),
        ),
        spec,
        fenced=fenced,
    )
