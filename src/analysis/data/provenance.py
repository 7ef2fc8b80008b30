"""Where a table's rows come from: a named dataset of a declared kind, or published figures.

Every frame a loader returns carries ``attrs["dataset"]`` (the dataset's name),
``attrs["dataset_kind"]`` (``"real"`` or ``"synthetic"``, as declared in the dataset's
``dataset.toml``, never guessed from a ``source`` value) and ``attrs["synthetic"]``, True exactly
when the kind is synthetic. Result tables carry a ``source`` column and the same attrs, so that
synthetic figures can never pass for real ones, nor real ones be labelled synthetic.

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
"""

from __future__ import annotations

__all__ = [
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


def mark_dataset(frame, name: str | None, kind: str | None):
    """Give a frame ``attrs`` dataset, dataset_kind and synthetic (True iff kind is synthetic)."""
    frame.attrs["dataset"] = name
    frame.attrs["dataset_kind"] = kind
    frame.attrs["synthetic"] = kind == "synthetic"
    return frame


def mark(result, source: str, origin=None):
    """Give a result table its ``source`` column (last) and ``attrs['synthetic']``; returns it.

    With ``origin`` (the frame the result was computed from), the result also takes origin's
    dataset and declared kind, and is synthetic exactly when that kind is.
    """
    result["source"] = source
    kind = dataset_kind(origin) if origin is not None else None
    if kind is not None:
        return mark_dataset(result, dataset_name(origin), kind)
    result.attrs["synthetic"] = source == "synthetic"
    return result


def mark_synthetic(frame):
    """Flag a generated table as synthetic (``attrs['synthetic'] = True``); returns it."""
    frame.attrs["synthetic"] = True
    return frame
