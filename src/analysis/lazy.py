"""Loading a package's own names on first use: the one ``__getattr__`` the packages share.

A package that wants ``import package`` to stay fast lists where each public name is defined
(``{name: module}``, the module relative to the package; ``None`` for a subpackage loaded
whole) and takes :func:`attach`'s two functions as its module-level ``__getattr__`` and
``__dir__``. Only the package's own modules may be named: this is not a way to re-export
names that have moved (``tests/test_architecture.py`` checks it).

>>> import types, sys
>>> pkg = types.ModuleType("pkg")
>>> pkg.__getattr__, pkg.__dir__ = attach("pkg", {"dumps": None})
>>> pkg.__getattr__("missing")
Traceback (most recent call last):
...
AttributeError: module 'pkg' has no attribute 'missing'
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(
    package: str, homes: Mapping[str, str | None]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package`` for the names in ``homes``.

    A name is imported from its module when first asked for, then kept on the package, so
    later lookups are plain attribute reads.
    """

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        home = homes[name]
        if home is None:  # a subpackage, loaded whole
            value = importlib.import_module(f".{name}", package)
        else:
            value = getattr(importlib.import_module(f".{home}", package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*homes, *vars(sys.modules[package])})

    return __getattr__, __dir__
