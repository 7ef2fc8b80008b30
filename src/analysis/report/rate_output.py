"""What ``analysis rate`` writes: text, one tidy CSV, a folder of CSVs, or JSON.

The tables come from :class:`analysis.ratings.table.TableRating`; every CSV cell is made
formula-safe (:mod:`.csv_safety`) and every file is written atomically. The JSON layout and
the tidy table's columns are documented in ``docs/ratings.md``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..io.atomic import write_text_atomic
from .csv_safety import to_safe_csv

__all__ = ["FORMATS", "rating_text", "write_rating_tables"]

FORMATS = ("table", "csv", "json")


def rating_text(result, fmt: str) -> str:
    """The whole output for ``fmt`` (``table``, ``csv`` or ``json``), ending in a newline."""
    if fmt == "csv":
        return to_safe_csv(result.tidy(), float_format="%.4f")
    if fmt == "json":
        return json.dumps(result.to_json_dict(), indent=2) + "\n"
    return result.to_text() + "\n"


def is_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``--out`` names a folder: one that exists, or a path ending in a separator.

    Give the text as typed: :class:`pathlib.Path` drops a trailing separator.
    """
    text = os.fspath(path)
    return Path(text).is_dir() or text.endswith(("/", os.sep))


def write_rating_tables(result, folder: str | os.PathLike[str]) -> list[Path]:
    """One CSV per table in ``folder``: ratings (tidy), standards, overall, comparison."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "ratings": result.tidy(),
        "standards": result.standards,
        "overall": result.overall,
        "comparison": result.comparison,
    }
    return [
        write_text_atomic(folder / f"{name}.csv", to_safe_csv(frame, float_format="%.4f"))
        for name, frame in tables.items()
    ]
