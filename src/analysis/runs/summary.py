"""What a batch did: one :class:`RunResult` per run and the :class:`RunSummary` of the batch."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import RunFailed
from .parameters import region_slug
from .spec import run_name

__all__ = ["RunResult", "RunSummary"]


@dataclass(frozen=True)
class RunResult:
    """What happened to one notebook for one region."""

    notebook: str
    region: str | None
    status: str
    """``ok``, ``failed``, ``skipped`` (up to date), ``interrupted`` or ``cancelled`` (queued
    when the batch was stopped; never started)."""
    duration_s: float
    manifest: Path
    html: Path | None = None
    error: str | None = None

    @property
    def region_slug(self) -> str:
        return region_slug(self.region)

    @property
    def name(self) -> str:
        """The run's one name for people: where its report is under the reports folder,
        without the suffix (``synthetic/wales/02-quality-outcome-associations``)."""
        return run_name(self.manifest.stem)


@dataclass
class RunSummary:
    """Every run of one :func:`run_reports` call, with the index it wrote."""

    runs: list[RunResult]
    index: Path
    duration_s: float
    backend: str = "local"
    jobs: int = 1
    notes: list[str] = field(default_factory=list)
    """Things the user should know that did not stop anything (a stale lock taken over...)."""
    write_errors: list[str] = field(default_factory=list)
    """Files the runner could not write (the previous versions were kept)."""
    interrupted: str | None = None
    """How the batch was stopped (``Ctrl-C``, ``signal SIGTERM``), or None."""

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
    def n_interrupted(self) -> int:
        return self._count("interrupted")

    @property
    def n_cancelled(self) -> int:
        return self._count("cancelled")

    @property
    def failed(self) -> list[RunResult]:
        return [r for r in self.runs if r.status == "failed"]

    def exit_code(self) -> int:
        """130 interrupted, 1 a run failed, 2 a file could not be written, else 0."""
        if self.interrupted:
            return 130
        if self.failed:
            return 1
        return 2 if self.write_errors else 0

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
        counts = f"{self.n_ok} ok, {self.n_failed} failed, {self.n_skipped} skipped (up to date)"
        if self.interrupted:
            counts += f", {self.n_interrupted} interrupted, {self.n_cancelled} not started"
        lines = [
            f"{len(self.runs)} runs: {counts} in {self.duration_s:.1f} s "
            f"({self.backend}, {self.jobs} jobs). Index: {self.index}"
        ]
        if self.interrupted:
            lines.insert(0, f"Interrupted ({self.interrupted}): the next run repeats what is left.")
        for r in self.failed:
            lines.append(f"FAILED {r.name}: {r.error} (log: {r.manifest.with_suffix('.log')})")
        lines += [f"NOTE {n}" for n in self.notes]
        lines += [f"NOT WRITTEN {e}" for e in self.write_errors]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<RunSummary {len(self.runs)} runs: {self.n_ok} ok, {self.n_failed} failed, {self.n_skipped} skipped>"
