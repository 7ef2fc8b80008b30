"""Disclosure control: reader tables built on real case-level data never show small counts.

A count of 1 to 4 cases in a unit can identify people. For a frame whose
``attrs["dataset_kind"]`` is ``"real"`` (the data layer's contract: real case-level datasets
carry it; so may a ``dataset_kind`` column, row by row), :func:`protect` replaces:

* every **count** below the threshold (default 5, so 1–4; 0 is shown) with ``[c]``
  (primary suppression, the Government Statistical Service symbol for a confidential cell);
* in each row with a suppressed count, every other count and every figure derived from counts
  (percentages, intervals, probabilities, rates, scores, means) with ``[c]`` too (secondary
  suppression), so a suppressed count cannot be recovered from ``n - n_yes`` or ``pct × n``.

Synthetic frames (and frames without the attribute) are returned unchanged: simulated cases
are nobody. The threshold is ``threshold=``, else ``ANALYSIS_DISCLOSURE_THRESHOLD``, else 5.
Counts are columns named ``n``, ``n_*``, ``*_n``, ``count``, ``*_count``, ``cases`` or
``n_cases`` (or listed in ``attrs["count_columns"]``). Method and limits: docs/disclosure.md.

>>> import pandas as pd
>>> real = pd.DataFrame({"unit": ["A", "B"], "n_applicable": [20, 3], "n_yes": [14, 2],
...                      "pct_yes": [70.0, 66.7]})
>>> real.attrs["dataset_kind"] = "real"
>>> protect(real)
  unit n_applicable n_yes pct_yes
0    A           20    14    70.0
1    B          [c]   [c]     [c]
>>> synthetic = real.copy(); synthetic.attrs["dataset_kind"] = "synthetic"
>>> protect(synthetic) is synthetic
True
"""

from __future__ import annotations

import os
import re

from ..exceptions import ParameterError

__all__ = [
    "DEFAULT_THRESHOLD",
    "SUPPRESSED",
    "count_columns",
    "derived_columns",
    "disclosure_threshold",
    "is_real",
    "protect",
    "small_counts",
    "caption_note",
]

DEFAULT_THRESHOLD = 5
"""Counts from 1 to DEFAULT_THRESHOLD - 1 are suppressed in reader tables of real data."""

SUPPRESSED = "[c]"
"""What a suppressed cell shows (GSS symbol for 'confidential')."""

_COUNT = re.compile(r"^(n|count|cases|n_.+|.+_n|.+_count)$")
_DERIVED = re.compile(
    r"(pct|percent|proportion|share|ci_|^p_|prob|rate$|_rate|score|mean|odds|^se$|_se$)"
)


def disclosure_threshold(threshold: int | None = None) -> int:
    """The threshold in force: ``threshold``, else the environment variable, else 5."""
    value = threshold if threshold is not None else os.environ.get("ANALYSIS_DISCLOSURE_THRESHOLD")
    if value is None or value == "":
        return DEFAULT_THRESHOLD
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 1 or str(number) != str(value).strip():
        raise ParameterError(
            f"The disclosure threshold must be a whole number of cases of at least 1, got "
            f"{value!r} (ANALYSIS_DISCLOSURE_THRESHOLD or threshold=); the default is "
            f"{DEFAULT_THRESHOLD}."
        )
    return number


def is_real(frame) -> bool:
    """True when the frame (or any of its rows) holds a real dataset's figures."""
    if getattr(frame, "attrs", {}).get("dataset_kind") == "real":
        return True
    columns = getattr(frame, "columns", ())
    return "dataset_kind" in columns and bool(frame["dataset_kind"].astype(str).eq("real").any())


def count_columns(frame) -> list:
    """Numeric columns that hold counts of cases (by name, or ``attrs['count_columns']``)."""
    import pandas as pd

    named = set(frame.attrs.get("count_columns", ()))
    return [
        c
        for c in frame.columns
        if (c in named or (isinstance(c, str) and _COUNT.match(c.lower())))
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def derived_columns(frame) -> list:
    """Numeric columns computed from counts (percentages, intervals, probabilities, ...)."""
    import pandas as pd

    counts = set(count_columns(frame))
    return [
        c
        for c in frame.columns
        if c not in counts
        and isinstance(c, str)
        and _DERIVED.search(c.lower())
        and pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]


def _real_rows(frame):
    import numpy as np

    if frame.attrs.get("dataset_kind") == "real":
        return np.ones(len(frame), dtype=bool)
    if "dataset_kind" in frame.columns:
        return frame["dataset_kind"].astype(str).eq("real").to_numpy()
    return np.zeros(len(frame), dtype=bool)


def small_counts(frame, threshold: int | None = None):
    """Cells of a real frame that disclose a small count: ``[position, row, column, value]``.

    ``position`` counts rows from 0; ``row`` and ``column`` are the frame's labels. Empty when
    nothing would be suppressed.
    """
    import pandas as pd

    limit = disclosure_threshold(threshold)
    rows = []
    real = _real_rows(frame)
    for column in count_columns(frame):
        values = pd.to_numeric(frame[column], errors="coerce")
        hit = real & values.gt(0).to_numpy() & values.lt(limit).to_numpy()
        rows += [(int(i), frame.index[i], column, values.iloc[i]) for i in hit.nonzero()[0]]
    return pd.DataFrame(rows, columns=["position", "row", "column", "value"])


def protect(frame, threshold: int | None = None):
    """A copy of ``frame`` with small counts (and what reveals them) shown as ``[c]``.

    Frames that are not real data are returned as they are (the same object). The copy keeps
    ``attrs`` and adds ``attrs["disclosure"]``: threshold, cells suppressed and the method.
    """
    import numpy as np

    if not is_real(frame):
        return frame
    limit = disclosure_threshold(threshold)
    found = small_counts(frame, limit)
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    if found.empty:
        out.attrs["disclosure"] = {"threshold": limit, "suppressed_cells": 0}
        return out
    rows = np.isin(np.arange(len(frame)), found["position"].to_numpy())
    columns = [*count_columns(frame), *derived_columns(frame)]
    suppressed = 0
    for column in columns:
        values = out[column].astype(object)
        values[rows] = SUPPRESSED
        suppressed += int(rows.sum())
        out[column] = values
    out.attrs["disclosure"] = {
        "threshold": limit,
        "suppressed_cells": suppressed,
        "method": "counts 1 to threshold-1 and every count or derived figure in their row "
        "shown as [c] (docs/disclosure.md)",
    }
    return out


def caption_note(caption: str, frame) -> str:
    """``caption`` plus a sentence explaining ``[c]`` when :func:`protect` suppressed a cell."""
    info = getattr(frame, "attrs", {}).get("disclosure") or {}
    if not info.get("suppressed_cells"):
        return caption
    return (
        f"{caption} [c]: suppressed, as a count below {info['threshold']} cases (or a figure "
        "that would reveal one) in real data."
    )
