"""Research workspace for HM Inspectorate of Probation inspection data.

One subpackage per stage of the data's walk, each importing only the stages below it:
``frameworks`` (the rules) → ``data`` (raw files to validated tables, loaders) → ``ratings``
→ ``synthetic`` → ``models`` → ``report`` → ``runs`` → ``cli``. See ``docs/architecture.md``.

Subpackages load on first use, so ``import analysis`` stays fast::

    >>> import analysis
    >>> analysis.frameworks.get("pdu-2023").max_score
    21
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import lazy as _lazy
from .config import VERSION as __version__

_SUBPACKAGES = (
    "data",
    "extract",
    "frameworks",
    "io",
    "models",
    "ratings",
    "report",
    "runs",
    "synthetic",
)

__all__ = ["__version__", *_SUBPACKAGES]

if TYPE_CHECKING:  # pragma: no cover
    from . import (  # noqa: F401
        data,
        extract,
        frameworks,
        io,
        models,
        ratings,
        report,
        runs,
        synthetic,
    )


# Lazy loading of this package's own subpackages (not a re-export of moved names).
__getattr__, __dir__ = _lazy.attach(__name__, dict.fromkeys(_SUBPACKAGES))
