"""Where a table's rows come from: one value, :class:`Origin` (dataset, kind, source).

Every frame a loader returns carries its origin in ``attrs``: ``attrs["dataset"]`` (the
dataset's name), ``attrs["dataset_kind"]`` (``"real"`` or ``"synthetic"``, as declared in the
dataset's ``dataset.toml``, never guessed from a ``source`` value) and ``attrs["synthetic"]``,
True exactly when the kind is synthetic. Result functions pass it on (:func:`mark` with
``origin=``). :func:`origin` reads it back as one frozen :class:`Origin`.

pandas does not promise to keep ``attrs`` (``groupby``, ``merge``, ``concat`` drop them), so
the mark alone is never trusted where it meets a reader. :func:`reader_kind` decides what a
reader table is, and fails closed: a frame is treated as **real** when its own mark says so,
when the run it is shown in is a run on a real dataset (the runner tells the kernel:
``ANALYSIS_RUN_KIND``), when a real dataset has been loaded in this process, or when nothing
says it is synthetic. Only a frame that is not marked real, in a run (or process) known to be
synthetic only, is synthetic.

>>> import pandas as pd
>>> frame = pd.DataFrame({"source": ["synthetic", "synthetic"]})
>>> data_source(frame), is_synthetic(frame)
('synthetic', True)
>>> data_source(pd.DataFrame({"x": [1]}))
'unknown'
>>> real = pd.DataFrame({"source": ["synthetic"]})
>>> real.attrs.update(dataset="york-2024", dataset_kind="real")
>>> is_synthetic(real), dataset_kind(real), dataset_label(real)
(False, 'real', 'york-2024 (real data)')
>>> origin(real)
Origin(dataset='york-2024', kind='real', source='synthetic')
"""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = [
    "Origin",
    "RUN_KIND_ENV",
    "RUN_DATASET_ENV",
    "origin",
    "run_origin",
    "reader_kind",
    "public_record_run",
    "RUN_PUBLIC_ENV",
    "label_kind",
    "loaded_kinds",
    "kind_words",
    "data_source",
    "is_synthetic",
    "dataset_kind",
    "dataset_name",
    "dataset_label",
    "mark",
    "mark_dataset",
    "mark_synthetic",
]

_KINDS = ("real", "synthetic")

RUN_KIND_ENV = "ANALYSIS_RUN_KIND"
"""Environment variable the runner sets in a run's kernel: the run's dataset kind."""
RUN_DATASET_ENV = "ANALYSIS_RUN_DATASET"
"""Environment variable the runner sets in a run's kernel: the run's dataset name."""

RUN_PUBLIC_ENV = "ANALYSIS_RUN_PUBLIC_RECORD"
"""Set to ``1`` by the runner in the kernel of a run that reads the public record only (a
notebook declaring published data, no case-level dataset): see :func:`public_record_run`."""

_LOADED: set[str] = set()
"""Kinds of the datasets loaded in this process (``mark_dataset`` records them)."""


@dataclass(frozen=True)
class Origin:
    """Where figures come from: a dataset's name, its kind and the ``source`` of its rows.

    ``kind`` is ``"real"``, ``"synthetic"`` or ``"unknown"`` (nothing said; readers treat it as
    real).
    """

    dataset: str | None
    kind: str
    source: str = ""

    @property
    def synthetic(self) -> bool:
        return self.kind == "synthetic"

    @property
    def words(self) -> str:
        """The kind as a CSV's ``data_kind`` column says it (see :func:`kind_words`)."""
        return kind_words(self.kind)


def kind_words(kind: str | None) -> str:
    """What every row of a downloaded CSV says its figures are, in words a reader cannot miss.

    >>> kind_words("synthetic"), kind_words("real"), kind_words(None)
    ('SYNTHETIC (simulated data, not real results)', 'real', 'real')
    """
    return "SYNTHETIC (simulated data, not real results)" if kind == "synthetic" else "real"


def origin(frame) -> Origin:
    """The frame's :class:`Origin` from its marks (``kind`` ``"unknown"`` when it has none)."""
    kind = dataset_kind(frame)
    if kind is None:
        kind = "synthetic" if is_synthetic(frame) else "unknown"
    source = data_source(frame) if hasattr(frame, "columns") else ""
    return Origin(dataset_name(frame), kind, source)


def run_origin() -> Origin | None:
    """The run this process serves, as the runner declared it (None outside a run)."""
    kind = os.environ.get(RUN_KIND_ENV, "").strip()
    if not kind:
        return None
    dataset = os.environ.get(RUN_DATASET_ENV, "").strip() or None
    return Origin(dataset, kind if kind in _KINDS else "unknown")


def public_record_run() -> bool:
    """Whether this process serves a run on the public record only, with no cases loaded.

    Published reports are public: counting them (``1 of 36 reports rated Good``) identifies
    nobody, so disclosure control leaves such a run's figures as published. It holds only while
    the runner says so (:data:`RUN_PUBLIC_ENV`) for a run that is not synthetic, and no
    case-level dataset, real or synthetic, has been loaded in this process; anything else fails
    closed (the figures are protected as real).
    """
    run = run_origin()
    flagged = os.environ.get(RUN_PUBLIC_ENV, "").strip() == "1"
    return flagged and run is not None and run.kind == "real" and not _LOADED


def loaded_kinds() -> frozenset[str]:
    """Kinds of the datasets loaded in this process so far."""
    return frozenset(_LOADED)


def reader_kind(frame) -> str:
    """``"real"`` or ``"synthetic"``: how a reader table of ``frame`` must be treated.

    Fails closed (see the module docstring): synthetic only when the frame is not marked real
    and the run (else every dataset loaded in this process) is positively synthetic.
    """
    if _marked_real(frame):
        return "real"
    run = run_origin()
    if run is not None:
        return "synthetic" if run.kind == "synthetic" else "real"
    if "real" in _LOADED:
        return "real"
    if _LOADED == {"synthetic"} or is_synthetic(frame):
        return "synthetic"
    return "real"


def label_kind(frame) -> str:
    """``"real"``, ``"synthetic"`` or ``"unknown"``: what a label may call the frame's data.

    Labels (the build summary, the explorer's "Data" choice, a report's synthetic notice)
    follow the declared kind, never a guess from a ``source`` value or from what else this
    process loaded: a frame is called synthetic only when its dataset is declared synthetic
    (``dataset.toml``, or the generator's own mark ``attrs["synthetic"]``), or it has no
    declared kind and the run it is shown in is a run on a synthetic dataset. In a run that is
    not synthetic, or for a frame declared real, it is real; anything else is ``"unknown"``,
    which a label must not call synthetic (and disclosure control treats as real).

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"source": ["synthetic"]})
    >>> label_kind(frame)  # a source value is not a declaration
    'unknown'
    >>> label_kind(mark_dataset(frame, "york", "real", case_level=False))
    'real'
    """
    declared = dataset_kind(frame)
    if declared is None and _attrs(frame).get("synthetic") is True:
        declared = "synthetic"
    run = run_origin()
    if declared == "real" or (run is not None and run.kind != "synthetic"):
        return "real"
    if declared == "synthetic" or run is not None:
        return "synthetic"
    return "unknown"


def _marked_real(frame) -> bool:
    if dataset_kind(frame) == "real":
        return True
    columns = getattr(frame, "columns", ())
    return "dataset_kind" in columns and bool(frame["dataset_kind"].astype(str).eq("real").any())


def _attrs(frame) -> dict:
    attrs = getattr(frame, "attrs", None)
    return attrs if isinstance(attrs, dict) else {}


def dataset_kind(frame) -> str | None:
    """The declared kind of the frame's dataset (``"real"`` or ``"synthetic"``), else None."""
    kind = _attrs(frame).get("dataset_kind")
    return kind if kind in _KINDS else None


def dataset_name(frame) -> str | None:
    """The name of the frame's dataset (``attrs["dataset"]``), else None."""
    name = _attrs(frame).get("dataset")
    return str(name) if name is not None else None


def dataset_label(frame) -> str:
    """The dataset and its kind in words, for captions: ``'york-2024 (real data)'``."""
    name, kind = dataset_name(frame), dataset_kind(frame)
    if kind is None:
        return "synthetic data" if is_synthetic(frame) else (name or "unknown data")
    return f"{name} ({kind} data)" if name else f"{kind} data"


def is_synthetic(frame) -> bool:
    """True when a frame holds synthetic data.

    A frame with a declared dataset kind (``attrs["dataset_kind"]``) is synthetic exactly when
    that kind is ``"synthetic"``, whatever its ``source`` column says. Other frames are
    synthetic when ``attrs["synthetic"]`` is set or a ``source`` value is ``synthetic``.
    """
    kind = dataset_kind(frame)
    if kind is not None:
        return kind == "synthetic"
    if _attrs(frame).get("synthetic"):
        return True
    columns = getattr(frame, "columns", ())
    if "source" not in columns:
        return False
    return bool(frame["source"].astype(str).str.lower().eq("synthetic").any())


def data_source(frame) -> str:
    """``synthetic`` for simulated data, else the distinct values of the ``source`` column."""
    import pandas as pd

    if is_synthetic(frame):
        return "synthetic"
    if "source" in getattr(frame, "columns", ()):
        values = sorted(map(str, pd.unique(frame["source"].dropna())))
        return "; ".join(values) if values else "unknown"
    return "unknown"


def mark_dataset(frame, name: str | None, kind: str | None, *, case_level: bool = True):
    """Give a frame ``attrs`` dataset, dataset_kind and synthetic (True iff kind is synthetic).

    A case-level dataset's kind is also recorded for this process (:func:`loaded_kinds`), so
    that once real cases are loaded every unmarked reader table is treated as real.
    """
    frame.attrs["dataset"] = name
    frame.attrs["dataset_kind"] = kind
    frame.attrs["synthetic"] = kind == "synthetic"
    if case_level and kind in _KINDS:
        _LOADED.add(kind)
    return frame


def mark(result, source: str, origin=None):
    """Give a result table its ``source`` column (last) and ``attrs['synthetic']``; returns it.

    With ``origin`` (the frame the result was computed from), the result also takes origin's
    dataset and declared kind, and is synthetic exactly when that kind is.
    """
    result["source"] = source
    kind = dataset_kind(origin) if origin is not None else None
    if kind is not None:
        return mark_dataset(result, dataset_name(origin), kind, case_level=False)
    result.attrs["synthetic"] = source == "synthetic"
    return result


def mark_synthetic(frame):
    """Flag a generated table as synthetic (``attrs['synthetic'] = True``); returns it."""
    frame.attrs["synthetic"] = True
    return frame
