"""Typed notebook parameters, checked before any kernel starts.

A notebook declares its parameters in the code cell tagged ``parameters`` (the papermill
convention), one literal assignment per line, optionally annotated::

    region = None              # None means national
    framework = "pdu-2023"
    processed_dir = None       # None means config.PROCESSED_DIR
    min_cases: int = 10

:func:`notebook_parameters` reads that cell without starting Python in a kernel (it parses the
source with :mod:`ast`, which is what ``papermill.inspect_notebook`` reports too), and
:func:`validate_parameters` refuses unknown names and wrong types, canonicalises the region
(case-insensitive, with a suggestion when it is unknown) and returns the parameters to inject.
Regions are those of the reference list, matched as everywhere else
(:mod:`analysis.data.reference`); nothing here starts a kernel, so deciding whether a run is
up to date stays fast.

>>> region_slug(None)
'national'
>>> region_slug("Kent, Surrey and Sussex")
'kent-surrey-and-sussex'
>>> canonical_region("yorkshire AND the humber")
'Yorkshire and the Humber'
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import config
from ..data import reference
from ..data.normalise import suggest
from ..exceptions import ParameterError

__all__ = [
    "ParameterSpec",
    "STANDARD_PARAMETERS",
    "notebook_parameters",
    "validate_parameters",
    "known_regions",
    "canonical_region",
    "region_slug",
]

NATIONAL = "national"
"""The word accepted in place of ``None`` for the national (all regions) run."""

_TYPE_NAMES = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "list": list,
    "dict": dict,
    "None": type(None),
    "Path": str,
}


@dataclass(frozen=True)
class ParameterSpec:
    """One parameter of a notebook: its name, default and the types it accepts.

    ``types`` is empty when any value is accepted (a ``None`` default without annotation).
    """

    name: str
    default: Any
    types: tuple[type, ...]
    line: int

    @property
    def type_name(self) -> str:
        """The accepted types as a reader would write them, e.g. ``str | None``."""
        if not self.types:
            return "any"
        return " | ".join("None" if t is type(None) else t.__name__ for t in self.types)

    def accepts(self, value: Any) -> bool:
        """True when ``value`` has one of the accepted types (an int is a float; a bool is not an int)."""
        if not self.types:
            return True
        if isinstance(value, bool):
            return bool in self.types
        if isinstance(value, int) and float in self.types:
            return True
        if isinstance(value, tuple) and list in self.types:
            return True
        return isinstance(value, tuple(t for t in self.types if t is not bool))


STANDARD_PARAMETERS: dict[str, tuple[type, ...]] = {
    "region": (str, type(None)),
    "framework": (str,),
    "processed_dir": (str, type(None)),
    "dataset": (str, type(None)),
}
"""Parameters the runner passes, with their fixed types (``dataset`` only to notebooks that
declare it: those that read a case-level dataset)."""


def _annotation_types(node: ast.expr, where: str) -> tuple[type, ...]:
    if isinstance(node, ast.Constant) and node.value is None:
        return (type(None),)
    if isinstance(node, ast.Name) and node.id in _TYPE_NAMES:
        return (_TYPE_NAMES[node.id],)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _annotation_types(node.left, where) + _annotation_types(node.right, where)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name):
        if node.value.id == "Optional":
            return _annotation_types(node.slice, where) + (type(None),)
        if node.value.id in ("list", "dict"):
            return (_TYPE_NAMES[node.value.id],)
    raise ParameterError(
        f"{where}: annotation {ast.unparse(node)!r} is not supported; "
        f"use one of {', '.join(sorted(_TYPE_NAMES))}, combined with '|'."
    )


def _default_types(name: str, default: Any) -> tuple[type, ...]:
    if name in STANDARD_PARAMETERS:
        return STANDARD_PARAMETERS[name]
    if default is None:
        return ()
    if isinstance(default, bool):
        return (bool,)
    if isinstance(default, int):
        return (int,)
    if isinstance(default, tuple):
        return (list,)
    return (type(default),)


def _parameters_cell(nb: dict, path: Path) -> str | None:
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = cell.get("source", "")
            return "".join(source) if isinstance(source, list) else source
    return None


def _read_notebook(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise ParameterError(f"Notebook {path} does not exist.") from None
    except (OSError, ValueError) as exc:
        raise ParameterError(f"Notebook {path} cannot be read as JSON: {exc}.") from None


def notebook_parameters(notebook: str | os.PathLike[str]) -> dict[str, ParameterSpec]:
    """Read the parameters a notebook declares in its cell tagged ``parameters``.

    Parameters
    ----------
    notebook : path-like
        The ``.ipynb`` file.

    Returns
    -------
    dict of str to ParameterSpec
        In the order they are declared. Empty when the notebook has no parameters cell.

    Raises
    ------
    ParameterError
        If the file cannot be read, or the parameters cell is not Python made of literal
        assignments (the line is named).
    """
    path = Path(notebook)
    source = _parameters_cell(_read_notebook(path), path)
    if source is None:
        return {}
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(
            f"{path.name}: the parameters cell is not valid Python (line {exc.lineno}: {exc.msg})."
        ) from None
    specs: dict[str, ParameterSpec] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, annotation, value = node.targets[0], None, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, annotation, value = node.target, node.annotation, node.value
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # a docstring or a bare string explaining the parameters
        else:
            raise ParameterError(
                f"{path.name}, parameters cell line {node.lineno}: "
                f"{ast.unparse(node)!r} is not a simple 'name = literal' assignment."
            )
        where = f"{path.name}, parameters cell line {node.lineno}"
        if not isinstance(target, ast.Name):
            raise ParameterError(f"{where}: assign to one plain name per line.")
        try:
            default = ast.literal_eval(value)
        except ValueError:
            raise ParameterError(
                f"{where}: the default of {target.id!r} must be a literal "
                f"(number, string, True/False, None, list or dict), not {ast.unparse(value)!r}."
            ) from None
        if annotation is not None:
            types = _annotation_types(annotation, where)
        else:
            types = _default_types(target.id, default)
        specs[target.id] = ParameterSpec(target.id, default, types, node.lineno)
    return specs


def known_regions() -> tuple[str, ...]:
    """The 12 probation regions, in the order of the reference list (:mod:`analysis.data.reference`).

    Raises
    ------
    ParameterError
        If no reference list is found.
    """
    found = reference.regions()
    if found:
        return found
    raise ParameterError(
        f"No reference list of regions found at {config.reference_list_path()}. "
        "Restore data/raw/reference/ from git."
    )


def canonical_region(region: str | None) -> str | None:
    """Return the region's name as the reference list spells it (``None`` for national).

    Matched, and an unknown region refused with the closest name, by
    :func:`analysis.data.reference.match_region`, as the loaders and the build do;
    ``"national"`` and ``None`` mean national.

    Raises
    ------
    ParameterError
        If the region is not known; the message suggests the closest name.
    """
    if region is None:
        return None
    if not isinstance(region, str):
        raise ParameterError(
            f"region must be a region name or None, not {type(region).__name__} {region!r}."
        )
    if " ".join(region.split()).casefold() == NATIONAL:
        return None
    return reference.match_region(
        region,
        known_regions(),
        error=ParameterError,
        also=f" (or {NATIONAL!r} / None for national)",
    )


def region_slug(region: str | None) -> str:
    """Folder name for a region's reports: ``national``, else lower case with ``-`` between words."""
    if region is None:
        return NATIONAL
    return re.sub(r"[^a-z0-9]+", "-", region.lower()).strip("-")


def _check_framework(value: str) -> str:
    from .. import frameworks

    known = frameworks.available()
    if value in known:
        return value
    lowered = {k.lower(): k for k in known}
    if value.lower() in lowered:
        return lowered[value.lower()]
    hint = reference.did_you_mean(suggest(value, known))
    raise ParameterError(f"Unknown framework {value!r}.{hint} Known: {', '.join(known)}.")


def _check_processed_dir(value: str) -> str:
    path = Path(value).expanduser().resolve()
    if not path.is_dir():
        raise ParameterError(
            f"processed_dir {value!r} is not a folder. Build the data with `make data` "
            "or pass the folder holding cases.parquet."
        )
    return str(path)


def _unknown_message(name: str, specs: dict[str, ParameterSpec], where: str) -> str:
    hint = reference.did_you_mean(suggest(name, specs))
    known = ", ".join(specs) or "none (the notebook has no cell tagged 'parameters')"
    return f"{where}: unknown parameter {name!r}.{hint} The notebook's parameters: {known}."


def validate_parameters(
    notebook: str | os.PathLike[str], parameters: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check parameters against a notebook's parameters cell and return them in canonical form.

    Parameters
    ----------
    notebook : path-like
        The ``.ipynb`` file whose cell tagged ``parameters`` declares the names and types.
    parameters : dict, optional
        Values to pass. Paths are accepted for ``processed_dir`` and become absolute strings;
        ``region`` is matched case-insensitively and ``"national"`` means ``None``.

    Returns
    -------
    dict
        The given parameters in canonical form (only those given; the notebook's defaults
        apply to the rest), ready to inject.

    Raises
    ------
    ParameterError
        Listing every problem at once: unknown names (with the closest known name), values of
        the wrong type (with the declared type), an unknown region or framework, a
        ``processed_dir`` that is not a folder.
    """
    path = Path(notebook)
    specs = notebook_parameters(path)
    given = dict(parameters or {})
    if isinstance(given.get("processed_dir"), os.PathLike):
        given["processed_dir"] = os.fspath(given["processed_dir"])
    problems: list[str] = []
    result: dict[str, Any] = {}
    where = path.name
    for name, value in given.items():
        spec = specs.get(name)
        if spec is None:
            problems.append(_unknown_message(name, specs, where))
            continue
        if not spec.accepts(value):
            problems.append(
                f"{where}: parameter {name!r} must be {spec.type_name}, "
                f"not {type(value).__name__} {value!r}."
            )
            continue
        try:
            if name == "region":
                value = canonical_region(value)
            elif name == "framework":
                value = _check_framework(value)
            elif name == "processed_dir" and value is not None:
                value = _check_processed_dir(value)
        except ParameterError as exc:
            problems.append(f"{where}: {exc}")
            continue
        if isinstance(value, tuple):
            value = list(value)
        result[name] = value
    if problems:
        raise ParameterError("\n".join(problems))
    return result
