"""Inspection frameworks as versioned data: standards, key questions, bands and scores.

Each framework lives in a TOML file (``src/analysis/frameworks/*.toml``), not in code. Every
rule carries its provenance (a ``source`` and whether it is ``confirmed`` by a published
document). Users add or override a framework from their own file with :func:`register_file`,
or by listing files or folders in the ``ANALYSIS_FRAMEWORK_PATH`` environment variable.

>>> from analysis import frameworks
>>> fw = frameworks.get("pdu-2023")
>>> fw.max_score
21
>>> fw.band_for_pct(64.9), fw.band_for_pct(65.0)
('Requires improvement', 'Good')
>>> fw.key_question_ids[:2]
('assessment_engagement', 'assessment_desistance')
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..exceptions import FrameworkDefinitionError, UnknownFrameworkError
from ..settings import framework_paths
from . import vocabulary
from .guidance import GuidanceRule
from .model import Framework, KeyQuestion, Provenance, Standard, build_framework
from .vocabulary import *  # noqa: F403  (the shared words, re-exported as they are named there)

__all__ = [
    *vocabulary.__all__,
    "Standard",
    "KeyQuestion",
    "Provenance",
    "Framework",
    "GuidanceRule",
    "available",
    "get",
    "register",
    "register_file",
    "load_file",
    "table",
]

_PACKAGE_DIR = Path(__file__).parent


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as err:
        raise FrameworkDefinitionError(f"{path}: not valid TOML ({err}).") from None


_RAW: dict[str, tuple[dict[str, Any], str]] = {}
_CACHE: dict[str, Framework] = {}
_CODE: dict[str, Framework] = {}
_LOADED = False


def _resolve(fid: str, seen: tuple[str, ...] = ()) -> Framework:
    if fid in _CODE:
        return _CODE[fid]
    if fid in _CACHE:
        return _CACHE[fid]
    raw, origin = _RAW[fid]
    if "extends" in raw:
        base_id = raw["extends"]
        if base_id in seen or base_id not in _RAW:
            raise FrameworkDefinitionError(
                f"{origin}: extends {base_id!r}, which is "
                + ("a cycle." if base_id in seen else "not a known framework.")
            )
        base_raw = _RAW[base_id][0]
        # guidance rules quote one framework's reports: never inherited
        skip = ("id", "extends", "guidance_rules")
        merged = {k: v for k, v in base_raw.items() if k not in skip}
        merged.update(raw)
        raw = merged
    fw = build_framework(raw, origin)
    _CACHE[fid] = fw
    return fw


def _ensure_loaded() -> None:
    global _LOADED
    if _LOADED:
        return
    for path in sorted(_PACKAGE_DIR.glob("*.toml")):
        raw = _read_toml(path)
        _RAW[str(raw.get("id", path.stem))] = (raw, str(path))
    _LOADED = True
    for p in framework_paths():
        for f in sorted(p.glob("*.toml")) if p.is_dir() else [p]:
            register_file(f)


def load_file(path: str | os.PathLike[str]) -> Framework:
    """Read one framework file without registering it."""
    _ensure_loaded()
    path = Path(path)
    if not path.is_file():
        raise FrameworkDefinitionError(f"Framework file {path} does not exist.")
    raw = _read_toml(path)
    if "id" not in raw:
        raise FrameworkDefinitionError(f"{path}: missing required field 'id'.")
    saved = dict(_RAW), dict(_CACHE)
    _RAW[raw["id"]] = (raw, str(path))
    _CACHE.clear()
    try:
        return _resolve(raw["id"])
    finally:
        _RAW.clear(), _RAW.update(saved[0])
        _CACHE.clear(), _CACHE.update(saved[1])


def register_file(path: str | os.PathLike[str]) -> Framework:
    """Add or replace a framework from a TOML file (same format as the packaged ones)."""
    fw = load_file(path)
    raw = _read_toml(Path(path))
    _RAW[fw.id] = (raw, str(path))
    _CODE.pop(fw.id, None)
    _CACHE.clear()
    return _resolve(fw.id)


def register(framework: Framework) -> None:
    """Add or replace a framework built in code."""
    _ensure_loaded()
    _CODE[framework.id] = framework


def available() -> list[str]:
    """Ids of every registered framework, sorted."""
    _ensure_loaded()
    return sorted(set(_RAW) | set(_CODE))


def get(framework: str | Framework) -> Framework:
    """Return a framework by id (a :class:`Framework` passes through)."""
    if isinstance(framework, Framework):
        return framework
    _ensure_loaded()
    if framework not in _RAW and framework not in _CODE:
        raise UnknownFrameworkError(str(framework), available())
    return _resolve(framework)


def table(ids: Iterable[str] | None = None):
    """One row per framework: id, name, years, rated unit, standards, max score, provenance."""
    import pandas as pd

    rows = []
    for fid in ids or available():
        fw = get(fid)
        rows.append(
            {
                "framework": fw.id,
                "name": fw.name,
                "years": fw.years,
                "rated_unit": fw.rated_unit,
                "n_standards": len(fw.standards),
                "n_key_questions": len(fw.key_questions),
                "max_score": fw.max_score,
                "has_ratings": fw.has_ratings,
                "overall_bands_confirmed": fw.provenance.get(
                    "overall_bands", Provenance("", False)
                ).confirmed,
            }
        )
    return pd.DataFrame(rows)
