"""Manifests the runner itself writes: skipped, refused, crashed and interrupted runs.

A run that executes writes its own manifest (:func:`analysis.runs.execute.execute_run`); these
are the records for the runs whose own code never ran or never returned.
"""

from __future__ import annotations

from ..io.atomic import now_utc, write_text_atomic
from ._failures import interrupted_error
from .spec import RunManifest, RunSpec

__all__ = ["record_skip", "record_invalid", "record_crashed", "record_interrupted"]


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


def _store(manifest: RunManifest, spec: RunSpec) -> RunManifest:
    try:
        manifest.write(spec.manifest)
    except OSError as exc:
        error = dict(manifest.error or {})
        error["manifest_error"] = f"Could not write {spec.manifest}: {exc.strerror or exc}"
        return manifest.but(error=error)
    return manifest


def _kept_outputs(spec: RunSpec) -> dict:
    previous = spec.previous
    outputs = dict(previous.outputs) if previous is not None and not previous.problem else {}
    return {**outputs, "log": spec.relative(spec.log)}


def record_crashed(spec: RunSpec, exc: BaseException) -> RunManifest:
    """A run whose worker died or could not be reached (its own code never returned)."""
    return _store(
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


def record_interrupted(spec: RunSpec, how: str, started: str | None = None) -> RunManifest:
    """A run in flight when the batch was stopped, whose worker could not record it itself."""
    return _store(
        RunManifest.for_spec(
            spec,
            status="interrupted",
            last_action="interrupted",
            started=started,
            finished=now_utc(),
            checked=now_utc(),
            outputs=_kept_outputs(spec),
            error=interrupted_error(how),
        ),
        spec,
    )
