"""Research workspace for HM Inspectorate of Probation inspection data.

Submodules load on first use, so ``import analysis`` stays fast::

    >>> import analysis
    >>> analysis.frameworks.get("pdu-2023").max_score
    21
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_SUBMODULES = (
    "build",
    "calibration",
    "checks",
    "cli",
    "config",
    "datasets",
    "exceptions",
    "execute",
    "explore",
    "frameworks",
    "index",
    "ingest",
    "models",
    "normalise",
    "overall",
    "parameters",
    "planning",
    "plots",
    "provenance",
    "published",
    "ratings",
    "report",
    "runner",
    "schemas",
    "simulate",
    "stats",
    "summaries",
    "tables",
)

__all__ = ["__version__", *_SUBMODULES]

if TYPE_CHECKING:  # pragma: no cover
    from . import config, exceptions, frameworks, ratings, stats  # noqa: F401


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
