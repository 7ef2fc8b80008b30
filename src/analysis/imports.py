"""Importing a library without an optional extra it would load but this package never uses.

Two libraries load, on import, an extra that costs seconds and serves nothing here: pandera
asks dask for its frame types (``analysis.data._pandera``), and jsonschema, imported by nbformat
under papermill and nbconvert, builds an IRI grammar from ``rfc3987_syntax`` (1.5 s) that no
notebook schema uses (nbformat's schemas check no string formats). Within :func:`hidden` an
import of a named module raises :class:`ImportError`, which both libraries take as "not
installed"; afterwards the names are importable again as usual.

>>> import sys
>>> with hidden("json_not_here_for_the_example"):
...     try:
...         import json_not_here_for_the_example
...     except ImportError:
...         print("hidden")
hidden
>>> "json_not_here_for_the_example" in sys.modules
False
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["hidden"]


@contextmanager
def hidden(*names: str) -> Iterator[list[str]]:
    """Hide ``names`` from the import system for the block; yields those hidden (a module
    already imported cannot be hidden and is left alone)."""
    added = [name for name in names if name not in sys.modules]
    for name in added:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        yield added
    finally:
        for name in added:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
