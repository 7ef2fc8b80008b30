"""Typed run records: what to run (:class:`RunSpec`) and what a run recorded (:class:`RunManifest`).

Both are frozen dataclasses, so they can be pickled to a worker process or a dask worker and
cannot be changed by accident on the way; a change is a new record made with
:func:`dataclasses.replace` (for example the attempts of a run, or the code version known only
once the batch starts).

A manifest is stored as JSON in ``<reports>/_runs/<key>.json``; :meth:`RunManifest.to_json`
and :meth:`RunManifest.from_json` keep the format that :mod:`analysis.runs.index` reads. A
manifest file that cannot be used (unreadable, truncated JSON, ``null``, a list, a record of the
wrong shape) never breaks a batch: it is read as a record whose :attr:`RunManifest.problem`
says why, and such a run is simply run again.

>>> m = RunManifest.from_json(None, name="x.json")
>>> m.status, m.problem
('unreadable', 'x.json holds null, not a run record')
>>> RunManifest.from_json(RunManifest(status="ok").to_json()).status
'ok'
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from ..io.atomic import write_json_atomic

__all__ = ["MANIFEST_SCHEMA", "STATUSES", "RunSpec", "RunManifest", "run_name"]

MANIFEST_SCHEMA = 1
"""Version of the manifest's JSON layout."""

STATUSES = ("ok", "failed", "interrupted", "running")
"""A run's status: finished well, failed, stopped by a signal, or started and never finished
(the runner was killed). Anything but ``ok`` is run again by the next batch."""

IDENTITY_FIELDS = (
    "schema",
    "notebook_relpath",
    "notebook_stem",
    "notebook_sha256",
    "region",
    "region_slug",
    "dataset",
    "dataset_kind",
    "parameters",
    "data_hashes",
    "package_version",
    "source_sha256",
    "code_version",
    "fingerprint",
    "reason",
)
"""Fields a manifest copies from its :class:`RunSpec`."""


def run_name(key: str) -> str:
    """A run's name for people from its key: the report's place under the reports folder.

    >>> run_name("synthetic__wales__02-quality-outcome-associations")
    'synthetic/wales/02-quality-outcome-associations'
    """
    return str(key).replace("__", "/")


@dataclass(frozen=True)
class RunSpec:
    """One notebook run for one region: inputs, fingerprint, where its outputs go, and why it runs.

    Paths of the outputs are derived from ``reports_dir``, ``folder`` and ``notebook_stem``
    (see the properties), so a new loop dimension only needs a new field and a new ``folder``.
    """

    key: str
    notebook: Path
    notebook_relpath: str
    notebook_stem: str
    notebook_sha256: str
    region: str | None
    region_slug: str
    reports_dir: Path
    folder: str
    """Sub-folder of ``reports_dir`` that holds this run's HTML, notebook and tables."""
    parameters: dict[str, Any] = field(default_factory=dict)
    data_hashes: dict[str, str] = field(default_factory=dict)
    package_version: str = ""
    source_sha256: str = ""
    kernel: str = ""
    action: str = "run"
    """``run``, ``skip`` (up to date) or ``invalid`` (parameters refused; ``error`` says why)."""
    reason: str = ""
    error: str | None = None
    fingerprint: str | None = None
    previous: RunManifest | None = None
    """The manifest of the last run, when one could be read."""
    code_version: str | None = None
    batch: str | None = None
    """Id of the batch running this spec (set by the runner)."""
    warm_next: bool = True
    """Whether the worker running this spec starts a kernel for a next run while it executes
    (the backends turn it off for the last run each worker can expect)."""
    fence: str | None = None
    """The fencing token of the runner's lock on the reports folder (set by the runner): the
    run writes only while the lock's holder record carries it (:func:`~analysis.runs.folders.check_fence`)."""
    kernel_names: tuple[str, ...] = ()
    """Kernel for each attempt (the retry after a kernel-start failure uses the last)."""
    attempts: int = 0
    execution_timeout: int | None = None
    start_timeout: int = 60
    retry_delay: float = 1.0
    schema: int = MANIFEST_SCHEMA
    dataset: str | None = None
    """The case-level dataset the notebook reads (None: it reads none, e.g. published data)."""
    dataset_kind: str | None = None
    """``real`` or ``synthetic`` as the dataset declares; ``real`` for published data only."""
    disclosure_threshold: int | None = None
    """The dataset's own disclosure threshold (``dataset.toml``); None: the default."""

    @property
    def html(self) -> Path:
        return self.reports_dir / self.folder / f"{self.notebook_stem}.html"

    @property
    def ipynb(self) -> Path:
        return self.reports_dir / self.folder / f"{self.notebook_stem}.ipynb"

    @property
    def runs_dir(self) -> Path:
        return self.reports_dir / "_runs"

    @property
    def log(self) -> Path:
        return self.runs_dir / f"{self.key}.log"

    @property
    def manifest(self) -> Path:
        return self.runs_dir / f"{self.key}.json"

    @property
    def workdir(self) -> Path:
        return self.runs_dir / "work" / self.key

    def kernel_for(self, attempt: int) -> str:
        """The kernel used by attempt ``attempt`` (1-based)."""
        names = self.kernel_names or (self.kernel,)
        return names[min(max(attempt, 1), len(names)) - 1]

    def relative(self, path: str | os.PathLike[str] | None) -> str | None:
        """``path`` relative to the reports folder, with ``/`` (None stays None)."""
        if not path:
            return None
        return Path(os.path.relpath(path, self.reports_dir)).as_posix()

    def identity(self) -> dict[str, Any]:
        """The fields a manifest copies from this spec (:data:`IDENTITY_FIELDS`)."""
        return {name: getattr(self, name) for name in IDENTITY_FIELDS}


def _kind(value: object) -> str:
    if value is None:
        return "null"
    return {list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), f"a {type(value).__name__}"
    )


@dataclass(frozen=True)
class RunManifest:
    """What one run recorded: status, identity of its inputs, timings, outputs and error.

    ``outputs`` maps ``html``, ``ipynb``, ``log`` to a path and ``tables`` to a list of paths,
    all relative to the reports folder: the files this run wrote, the only ones the runner may
    ever replace or remove. ``problem`` is set only on a record read from an unusable file.
    """

    status: str
    schema: int | None = MANIFEST_SCHEMA
    notebook_relpath: str | None = None
    notebook_stem: str | None = None
    notebook_sha256: str | None = None
    region: str | None = None
    region_slug: str | None = None
    dataset: str | None = None
    dataset_kind: str | None = None
    parameters: dict[str, Any] | None = None
    data_hashes: dict[str, str] | None = None
    package_version: str | None = None
    source_sha256: str | None = None
    code_version: str | None = None
    fingerprint: str | None = None
    reason: str | None = None
    last_action: str | None = None
    """``executed``, ``skipped``, ``refused``, ``started`` or ``interrupted``."""
    batch: str | None = None
    attempts: int = 0
    kernel: str | None = None
    started: str | None = None
    finished: str | None = None
    checked: str | None = None
    duration_s: float = 0.0
    outputs: dict[str, Any] = field(default_factory=dict)
    error: dict[str, Any] | None = None
    headline: str | None = None
    synthetic: bool | None = None
    title: str | None = None
    size_bytes: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    """Keys this version does not know, kept so that a newer manifest round-trips."""
    problem: str | None = None

    @classmethod
    def for_spec(cls, spec: RunSpec, **values: Any) -> RunManifest:
        """A manifest carrying ``spec``'s identity fields plus ``values``."""
        return cls(**{**spec.identity(), "batch": spec.batch, **values})

    def to_json(self) -> dict[str, Any]:
        """The record as the JSON object stored on disk (``problem`` is not stored)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        extra = data.pop("extra")
        data.pop("problem")
        return {**extra, **data}

    @classmethod
    def from_json(cls, data: object, *, name: str = "the manifest") -> RunManifest:
        """Read a stored record; anything unusable gives a record with ``problem`` set.

        Never raises: a run whose manifest cannot be used is simply run again.
        """
        if not isinstance(data, dict):
            return cls(status="unreadable", problem=f"{name} holds {_kind(data)}, not a run record")
        known = {f.name for f in fields(cls)} - {"extra", "problem"}
        values = {k: v for k, v in data.items() if k in known}
        extra = {k: v for k, v in data.items() if k not in known}
        problems = []
        if values.get("status") not in STATUSES:
            problems.append(f"status {values.get('status')!r} is not one of {', '.join(STATUSES)}")
            values["status"] = "unreadable"
        for key, kinds in (
            ("outputs", dict),
            ("error", (dict, type(None))),
            ("parameters", (dict, type(None))),
            ("data_hashes", (dict, type(None))),
        ):
            if key in values and not isinstance(values[key], kinds):
                if key == "error" and isinstance(values[key], str):
                    values[key] = {"message": values[key]}
                    continue
                problems.append(f"{key} is {_kind(values[key])}")
                values[key] = {} if key == "outputs" else None
        for key, kind in (("attempts", int), ("duration_s", float)):
            try:
                values[key] = kind(values.get(key) or 0)
            except (TypeError, ValueError):
                problems.append(f"{key} is {values[key]!r}")
                values[key] = kind(0)
        problem = f"{name} is not a valid run record: {'; '.join(problems)}" if problems else None
        return cls(**values, extra=extra, problem=problem)

    @classmethod
    def read(cls, path: str | os.PathLike[str]) -> RunManifest | None:
        """The manifest stored at ``path``; None when there is none.

        An unreadable or truncated file gives a record whose ``problem`` says so.
        """
        path = Path(path)
        try:
            text = path.read_text("utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            return cls(status="unreadable", problem=f"{path.name} cannot be read: {exc}")
        try:
            data = json.loads(text)
        except ValueError as exc:
            return cls(
                status="unreadable", problem=f"{path.name} is not valid JSON (truncated?): {exc}"
            )
        return cls.from_json(data, name=path.name)

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Store the record at ``path`` atomically (the previous file stays if the write fails)."""
        return write_json_atomic(path, self.to_json())

    def output_files(self) -> list[str]:
        """Every file this run wrote, relative to the reports folder."""
        out = self.outputs or {}
        files = [out.get("html"), out.get("ipynb"), out.get("log"), *(out.get("tables") or [])]
        return [f for f in files if isinstance(f, str) and f]

    def error_message(self) -> str | None:
        """The error in one line of words, or None."""
        if self.error is None:
            return None
        return str(self.error.get("message") or self.error)

    def but(self, **changes: Any) -> RunManifest:
        """A copy with ``changes`` (shorthand for :func:`dataclasses.replace`)."""
        return replace(self, **changes)
