"""pandera for the pandas tables this package validates: the one place that imports it.

When pandera builds its first model it asks every installed backend for its index, series and
data-frame types, and with dask installed (the runner's scale-out needs it) that imports
``dask.dataframe``: about 0.8 s of CPU and some 60 MB in every process that reads a processed
table, each notebook run included. No table here is a dask frame. So, in a process where dask
is not imported yet, pandera's three type lists (cached by pandera for the life of the process)
are filled once while dask is hidden from the import system (:func:`analysis.imports.hidden`),
and the hiding is undone at once:
``import dask.dataframe`` afterwards works as usual, and a process that already uses dask keeps
pandera's usual lists.

>>> from analysis.data._pandera import pa
>>> pa.DataFrameModel.__module__.startswith("pandera")
True
"""

from __future__ import annotations

import sys

import pandera.pandas as pa
from pandera import typing as _typing

from ..imports import hidden

__all__ = ["pa"]

_HIDDEN = ("dask", "dask.dataframe")


def _pandas_types_only() -> None:
    if any(name in sys.modules for name in _HIDDEN):
        return
    with hidden(*_HIDDEN):  # pandera then records dask as absent
        _typing.get_index_types()
        _typing.get_series_types()
        _typing.get_dataframe_types()
    sys.modules.pop("pandera.typing.dask", None)  # re-imported in full if ever asked for


_pandas_types_only()
