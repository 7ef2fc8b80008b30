"""Disclosure control: nothing a reader gets from real data shows a small count of cases.

A count of 1 to 4 cases in a unit can identify people. Which tables are real is decided by
:func:`analysis.data.provenance.reader_kind`, which fails closed: every table of a run on a
real dataset is real whatever marks the frame carries, and so is any table whose kind nobody
declared. For such a frame :func:`protect` shows as ``[c]``:

* every **count** from 1 to threshold − 1 (default 5, so 1–4; 0 is shown), and every count
  whose complement in its row (the row's largest count minus it, e.g. the "no" answers
  ``n − n_yes``) is from 1 to threshold − 1 (primary suppression);
* in each such row every other count and every figure derived from counts (percentages,
  intervals, probabilities, rates, scores, means, odds) (secondary suppression in the row);
* in each group of rows that differ only by their unit (the same key question across PDUs,
  say) where exactly one row is suppressed, the smallest other row too (complementary
  suppression), so a total shown elsewhere cannot give the hidden row by subtraction.

Synthetic frames in a synthetic run are returned unchanged: simulated cases are nobody. The
threshold is ``threshold=``, else ``ANALYSIS_DISCLOSURE_THRESHOLD`` (the runner sets it from
the dataset's ``dataset.toml``), else 5; never below 3. :func:`scrub_text` does the same for
sentences (notes, findings, headlines, alt text). Method and limits: docs/disclosure.md.

Outside a synthetic run every frame is treated as real, so B (3 cases) is suppressed, and A,
the smallest other unit, with it:

>>> import pandas as pd
>>> real = pd.DataFrame({"unit": ["A", "B", "C"], "n_applicable": [20, 3, 25],
...                      "n_yes": [14, 2, 20], "pct_yes": [70.0, 66.7, 80.0]})
>>> protect(real)
  unit n_applicable n_yes pct_yes
0    A          [c]   [c]     [c]
1    B          [c]   [c]     [c]
2    C           25    20    80.0
>>> scrub_text("York: 75% of answers yes (n=4).", real=True)
'York: [c]% of answers yes (n=[c]).'
"""

from __future__ import annotations

import re

from ..data.provenance import public_record_run, reader_kind
from ..settings import DEFAULT_DISCLOSURE_THRESHOLD, MIN_DISCLOSURE_THRESHOLD, disclosure_threshold

__all__ = [
    "DEFAULT_THRESHOLD",
    "MIN_THRESHOLD",
    "SUPPRESSED",
    "count_columns",
    "derived_columns",
    "disclosure_threshold",
    "is_real",
    "protect",
    "figure_data",
    "scrub_text",
    "small_counts",
    "caption_note",
    "FIGURE_NOTE",
]

DEFAULT_THRESHOLD = DEFAULT_DISCLOSURE_THRESHOLD
"""Counts from 1 to DEFAULT_THRESHOLD - 1 are suppressed (the setting's default, in settings)."""
MIN_THRESHOLD = MIN_DISCLOSURE_THRESHOLD
"""No dataset may lower the threshold below this (the setting's minimum, in settings)."""


SUPPRESSED = "[c]"
"""What a suppressed cell shows (GSS symbol for 'confidential')."""

FIGURE_NOTE = (
    "Cells, bars or points based on fewer than {threshold} cases (or that would reveal such a "
    "count) are not drawn."
)
"""What the caption and alt text of a figure of real data with a suppressed cell say."""

_COUNT = re.compile(
    r"^(n|count|cases|events|non_?events|total|yes|no|n_.+|.+_n|.+_count|.+_cases|.+_events)$"
)
_CELLS_2X2 = ("a", "b", "c", "d")
_DERIVED = re.compile(
    r"(pct|percent|proportion|share|ci_|^p_|prob|rate$|_rate|rate_|score|mean|odds|ratio|"
    r"difference|^se$|_se$|estimate|^or$)"
)
_GROUP_COLUMNS = (
    "framework",
    "region",
    "standard",
    "area",
    "key_question",
    "question",
    "outcome",
    "band",
    "term",
    "factor",
)
"""Columns that define a group of rows about the same thing for different units."""


def is_real(frame) -> bool:
    """True when a reader table of ``frame`` must be protected: real (see ``reader_kind``), and
    not in a run on the public record alone (see ``public_record_run``)."""
    return reader_kind(frame) == "real" and not public_record_run()


def _numeric(frame, column) -> bool:
    """A numeric column, or one of numbers and ``[c]`` (a table protected before)."""
    import pandas as pd

    values = frame[column]
    if pd.api.types.is_bool_dtype(values):
        return False
    if pd.api.types.is_numeric_dtype(values):
        return True
    if values.dtype != object:
        return False
    present = values.dropna()
    present = present[present.astype(str) != SUPPRESSED]
    return bool(len(present)) and bool(pd.to_numeric(present, errors="coerce").notna().all())


def count_columns(frame) -> list:
    """Numeric columns that hold counts of cases (by name, or ``attrs['count_columns']``).

    The cells ``a``, ``b``, ``c``, ``d`` of a 2x2 table count when all four are present.
    """
    named = set(frame.attrs.get("count_columns", ()))
    if all(c in frame.columns for c in _CELLS_2X2):
        named.update(_CELLS_2X2)
    return [
        c
        for c in frame.columns
        if (c in named or (isinstance(c, str) and _COUNT.match(c.lower()))) and _numeric(frame, c)
    ]


def derived_columns(frame) -> list:
    """Numeric columns computed from counts (percentages, intervals, probabilities, ...)."""
    counts = set(count_columns(frame))
    return [
        c
        for c in frame.columns
        if c not in counts
        and isinstance(c, str)
        and _DERIVED.search(c.lower())
        and _numeric(frame, c)
    ]


def _real_rows(frame):
    import numpy as np

    if "dataset_kind" in frame.columns and not _run_or_mark_real(frame):
        return frame["dataset_kind"].astype(str).ne("synthetic").to_numpy()
    return np.full(len(frame), is_real(frame), dtype=bool)


def _run_or_mark_real(frame) -> bool:
    from ..data.provenance import dataset_kind, run_origin

    run = run_origin()
    return dataset_kind(frame) == "real" or (run is not None and run.kind != "synthetic")


def _small(values, limit: int):
    """Boolean array: values from 1 to limit - 1 (missing values, nullable or not, are not)."""
    values = values.astype(float)
    return (values.gt(0) & values.lt(limit)).to_numpy(dtype=bool)


def _primary(frame, limit: int):
    """Boolean array: rows with a count (or a count's complement) from 1 to limit - 1."""
    import numpy as np
    import pandas as pd

    columns = count_columns(frame)
    hit = np.zeros(len(frame), dtype=bool)
    if not columns:
        return hit
    values = frame[columns].apply(pd.to_numeric, errors="coerce").astype(float)
    largest = values.max(axis=1)
    for column in columns:
        hit |= _small(values[column], limit)
        hit |= _small(largest - values[column], limit)
    for column in _percent_columns(frame):  # a percentage of the row's n gives a count too
        implied = (pd.to_numeric(frame[column], errors="coerce") * largest / 100).round()
        hit |= _small(implied, limit) | _small(largest - implied, limit)
    return hit & _real_rows(frame)


def _percent_columns(frame) -> list:
    return [c for c in derived_columns(frame) if re.search(r"pct|percent", str(c).lower())]


def small_counts(frame, threshold: int | None = None):
    """Cells of a real frame that disclose a small count: ``[position, row, column, value]``.

    ``position`` counts rows from 0; ``row`` and ``column`` are the frame's labels. A cell is
    listed when its value, or its complement to the row's largest count, is from 1 to
    threshold − 1. Empty when nothing would be suppressed.
    """
    import pandas as pd

    limit = disclosure_threshold(threshold)
    rows = []
    real = _real_rows(frame)
    columns = count_columns(frame)
    values = frame[columns].apply(pd.to_numeric, errors="coerce").astype(float)
    largest = values.max(axis=1) if columns else None
    for column in columns:
        hit = real & (_small(values[column], limit) | _small(largest - values[column], limit))
        rows += [(int(i), frame.index[i], column, values[column].iloc[i]) for i in hit.nonzero()[0]]
    return pd.DataFrame(rows, columns=["position", "row", "column", "value"])


def _complementary(frame, rows, limit):
    """Add the smallest other row of each group of rows where exactly one row is suppressed."""
    import numpy as np
    import pandas as pd

    counts = count_columns(frame)
    if not counts:
        return rows
    keys = [c for c in _GROUP_COLUMNS if c in frame.columns]
    size = frame[counts].apply(pd.to_numeric, errors="coerce").max(axis=1).to_numpy()
    groups = (
        frame.groupby(keys, sort=False, dropna=False, observed=True).indices
        if keys
        else {None: np.arange(len(frame))}
    )
    out = rows.copy()
    real = _real_rows(frame)
    for positions in groups.values():
        positions = np.asarray(positions)
        hidden = rows[positions]
        shown = positions[~hidden & real[positions]]
        if hidden.sum() == 1 and len(shown):
            out[shown[np.nanargmin(np.where(np.isnan(size[shown]), np.inf, size[shown]))]] = True
    return out


def protect(frame, threshold: int | None = None):
    """A copy of ``frame`` with small counts (and what reveals them) shown as ``[c]``.

    Frames that are not real are returned as they are (the same object). The copy keeps
    ``attrs`` and adds ``attrs["disclosure"]``: kind, threshold, cells suppressed and method.
    """
    import numpy as np

    if not is_real(frame):
        return frame
    limit = disclosure_threshold(threshold)
    out = frame.copy()
    out.attrs = dict(frame.attrs)
    rows = _primary(frame, limit)
    info = {"kind": "real", "threshold": limit, "suppressed_cells": 0}
    if not rows.any():
        out.attrs["disclosure"] = info
        return out
    rows = _complementary(frame, rows, limit)
    suppressed = 0
    for column in [*count_columns(frame), *derived_columns(frame)]:
        values = out[column].astype(object)
        values[rows] = SUPPRESSED
        suppressed += int(np.sum(rows))
        out[column] = values
    info.update(
        suppressed_cells=suppressed,
        suppressed_rows=int(np.sum(rows)),
        method="counts 1 to threshold-1 (or whose complement is), every count or derived "
        "figure in their row, and the smallest other row of their group shown as [c] "
        "(docs/disclosure.md)",
    )
    out.attrs["disclosure"] = info
    return out


def figure_data(frame, threshold: int | None = None):
    """``(frame, n_suppressed)``: for drawing, with suppressed rows' figures set to NaN.

    A figure of real data draws no mark for a suppressed cell (NaN draws nothing); the count
    says whether its caption and alt text must say so (:data:`FIGURE_NOTE`).
    """
    import numpy as np

    if not is_real(frame):
        return frame, 0
    limit = disclosure_threshold(threshold)
    rows = _primary(frame, limit)
    if not rows.any():
        return frame, 0
    rows = _complementary(frame, rows, limit)
    out = frame.copy()
    for column in [*count_columns(frame), *derived_columns(frame)]:
        out[column] = out[column].astype(float)
        out.loc[rows, column] = np.nan
    return out, int(np.sum(rows))


_N_EQUALS = re.compile(r"\b([nN])(\s*=\s*)(\d+)\b")
_OF = re.compile(r"\b(\d+)(\s+(?:of|out of)\s+)(\d+)\b")
_CASES = re.compile(
    r"\b(\d+)(\s+(?:cases?|people|persons?|individuals?|answers?|judgements?|records?|"
    r"yes|no)\b)"
)
_PCT = re.compile(r"\b\d+(?:\.\d+)?(?=\s*%)|\b\d+(?:\.\d+)?(?=\s*per ?cent)")
_LEVEL = re.compile(r"\s*(?:%|per ?cent)\s*(?:confidence\s+)?(?:interval|CI|credible)\b")
"""What follows a confidence level (``95% interval``), which reveals nothing."""
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+|\n")


def scrub_text(text: str, *, real: bool | None = None, threshold: int | None = None) -> str:
    """``text`` with every small count, and every percentage that reveals one, as ``[c]``.

    For real data (``real``; default: the run's kind, failing closed): ``n = 4``, ``3 of 20``
    (and ``17 of 20``, whose complement is 3), ``2 cases``; and in a sentence that gives a
    count ``n = N`` (or ``k of N``), each percentage ``p`` with ``p × N`` or ``N − p × N`` from 1 to threshold − 1
    (or every percentage when ``N`` itself is suppressed), and then every other percentage of
    that sentence too (an interval's bounds give the count away), except a confidence level
    (``95% interval``). A sentence ends at ``. ; : ! ?`` or a line break outside brackets.
    """
    if not text:
        return text
    if real is None:
        real = is_real(None)
    if not real:
        return text
    limit = disclosure_threshold(threshold)

    def small(value: int) -> bool:
        return 0 < value < limit

    def sentence(part: str) -> str:
        sizes = [int(m.group(3)) for m in _N_EQUALS.finditer(part)]
        sizes += [int(m.group(3)) for m in _OF.finditer(part)]  # "1 of 36 (3%)": 3% of 36

        def reveals(match) -> bool:
            if _LEVEL.match(part, match.end()):
                return False
            p = float(match.group(0))
            return any(
                small(n) or small(round(p * n / 100)) or small(n - round(p * n / 100))
                for n in sizes
            )

        def pct(match) -> str:
            level = _LEVEL.match(part, match.end())
            return match.group(0) if level else SUPPRESSED

        if sizes and any(reveals(m) for m in _PCT.finditer(part)):
            part = _PCT.sub(pct, part)
        part = _N_EQUALS.sub(
            lambda m: (
                m.group(1) + m.group(2) + (SUPPRESSED if small(int(m.group(3))) else m.group(3))
            ),
            part,
        )
        part = _OF.sub(
            lambda m: (
                f"{SUPPRESSED}{m.group(2)}{SUPPRESSED}"
                if small(int(m.group(1)))
                or small(int(m.group(3)))
                or small(int(m.group(3)) - int(m.group(1)))
                else m.group(0)
            ),
            part,
        )
        return _CASES.sub(
            lambda m: (SUPPRESSED if small(int(m.group(1))) else m.group(1)) + m.group(2), part
        )

    out, start = [], 0
    for match in _SENTENCE.finditer(text):
        head = text[start : match.start()]
        if head.count("(") > head.count(")"):
            continue  # inside brackets: "(n = 6; 95% interval 44% to 97%)" is one sentence
        out += [sentence(head), match.group(0)]
        start = match.end()
    out.append(sentence(text[start:]))
    return "".join(out)


def caption_note(caption: str, frame) -> str:
    """``caption`` plus a sentence explaining ``[c]`` when :func:`protect` suppressed a cell."""
    info = getattr(frame, "attrs", {}).get("disclosure") or {}
    if not info.get("suppressed_cells"):
        return caption
    return (
        f"{caption} [c]: suppressed, as a count below {info['threshold']} cases (or a figure "
        "that would reveal one) in real data."
    )
