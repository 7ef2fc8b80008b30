"""Settings read from ``ANALYSIS_*`` environment variables: the one place each is read and checked.

=============================  ==============================================================
variable                        meaning
=============================  ==============================================================
``ANALYSIS_PROJECT_ROOT``       the project folder (data, reports, notebooks) instead of the
                                checkout holding the package
``ANALYSIS_FRAMEWORK_PATH``     extra framework TOML files or folders, ``os.pathsep``-separated
``ANALYSIS_CELL_TIMEOUT``       seconds a notebook cell may run before its run fails (600)
``ANALYSIS_DASK_SCHEDULER``     a dask.distributed scheduler for ``analysis reports``
``ANALYSIS_DISCLOSURE_THRESHOLD`` the smallest count of cases shown in reader outputs of real
                                data (5; at least 3); the runner sets it from a dataset.toml
=============================  ==============================================================

The runner also tells each notebook kernel what its run is about (``ANALYSIS_RUN_KIND``,
``ANALYSIS_RUN_DATASET``, ``ANALYSIS_RUN_PUBLIC_RECORD``): provenance values rather than
settings, read by :mod:`analysis.data.provenance` where they are declared.

Each function reads its variable when called (so a test or a notebook may change it) and
refuses a bad value with a message naming the variable, the value and what was expected.

>>> import os
>>> os.environ["ANALYSIS_CELL_TIMEOUT"] = "30"; cell_timeout()
30
>>> del os.environ["ANALYSIS_CELL_TIMEOUT"]
"""

from __future__ import annotations

import os
from pathlib import Path

from .exceptions import ParameterError

__all__ = [
    "PROJECT_ROOT_ENV",
    "FRAMEWORK_PATH_ENV",
    "CELL_TIMEOUT_ENV",
    "SCHEDULER_ENV",
    "DISCLOSURE_THRESHOLD_ENV",
    "CELL_TIMEOUT_S",
    "DEFAULT_DISCLOSURE_THRESHOLD",
    "MIN_DISCLOSURE_THRESHOLD",
    "project_root_override",
    "framework_paths",
    "cell_timeout",
    "dask_scheduler",
    "disclosure_threshold",
]

PROJECT_ROOT_ENV = "ANALYSIS_PROJECT_ROOT"
FRAMEWORK_PATH_ENV = "ANALYSIS_FRAMEWORK_PATH"
CELL_TIMEOUT_ENV = "ANALYSIS_CELL_TIMEOUT"
SCHEDULER_ENV = "ANALYSIS_DASK_SCHEDULER"
DISCLOSURE_THRESHOLD_ENV = "ANALYSIS_DISCLOSURE_THRESHOLD"
DEFAULT_DISCLOSURE_THRESHOLD = 5
"""Counts from 1 to DEFAULT_DISCLOSURE_THRESHOLD - 1 are suppressed in reader outputs of real data."""
MIN_DISCLOSURE_THRESHOLD = 3
"""No dataset may lower the disclosure threshold below this."""
CELL_TIMEOUT_S = 600
"""A cell still running after this many seconds fails its run (``$ANALYSIS_CELL_TIMEOUT`` overrides)."""


def _value(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def project_root_override() -> Path | None:
    """``$ANALYSIS_PROJECT_ROOT`` as a resolved path, or None when unset."""
    value = _value(PROJECT_ROOT_ENV)
    return Path(value).expanduser().resolve() if value else None


def framework_paths() -> list[Path]:
    """The entries of ``$ANALYSIS_FRAMEWORK_PATH`` (files or folders), in order."""
    return [Path(p) for p in (_value(FRAMEWORK_PATH_ENV) or "").split(os.pathsep) if p]


def cell_timeout() -> int:
    """Seconds a cell may run: ``$ANALYSIS_CELL_TIMEOUT`` if set, else :data:`CELL_TIMEOUT_S`.

    Raises
    ------
    ParameterError
        If the variable is not a positive whole number.
    """
    value = _value(CELL_TIMEOUT_ENV)
    if value is None:
        return CELL_TIMEOUT_S
    if not value.isdigit() or int(value) < 1:
        raise ParameterError(
            f"{CELL_TIMEOUT_ENV} must be a positive whole number of seconds, not {value!r}."
        )
    return int(value)


def dask_scheduler() -> str | None:
    """``$ANALYSIS_DASK_SCHEDULER`` (``tcp://HOST:PORT``), or None to run on this machine."""
    return _value(SCHEDULER_ENV)


def disclosure_threshold(threshold: int | None = None) -> int:
    """The threshold in force: ``threshold``, else ``$ANALYSIS_DISCLOSURE_THRESHOLD``, else
    :data:`DEFAULT_DISCLOSURE_THRESHOLD`.

    Raises
    ------
    ParameterError
        If the value is not a whole number of at least :data:`MIN_DISCLOSURE_THRESHOLD`.
    """
    value = threshold if threshold is not None else _value(DISCLOSURE_THRESHOLD_ENV)
    if value is None or value == "":
        return DEFAULT_DISCLOSURE_THRESHOLD
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < MIN_DISCLOSURE_THRESHOLD or str(number) != str(value).strip():
        raise ParameterError(
            f"The disclosure threshold must be a whole number of cases of at least "
            f"{MIN_DISCLOSURE_THRESHOLD}, got {value!r} ({DISCLOSURE_THRESHOLD_ENV}, a "
            f"dataset.toml's disclosure_threshold or threshold=); the default is "
            f"{DEFAULT_DISCLOSURE_THRESHOLD}."
        )
    return number
