"""Where a table's rows come from: real published figures or the synthetic sample.

Every result table carries a ``source`` column and ``attrs["synthetic"]`` so that synthetic
figures can never pass for real ones.

>>> import pandas as pd
>>> frame = pd.DataFrame({"source": ["synthetic", "synthetic"]})
>>> data_source(frame), is_synthetic(frame)
('synthetic', True)
>>> data_source(pd.DataFrame({"x": [1]}))
'unknown'
"""

from __future__ import annotations

__all__ = ["data_source", "is_synthetic", "mark", "mark_synthetic"]


def is_synthetic(frame) -> bool:
    """True when a frame holds synthetic data (``attrs['synthetic']`` or a synthetic source)."""
    if getattr(frame, "attrs", {}).get("synthetic"):
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


def mark(result, source: str):
    """Give a result table its ``source`` column (last) and ``attrs['synthetic']``; returns it."""
    result["source"] = source
    result.attrs["synthetic"] = source == "synthetic"
    return result


def mark_synthetic(frame):
    """Flag a generated table as synthetic (``attrs['synthetic'] = True``); returns it."""
    frame.attrs["synthetic"] = True
    return frame
