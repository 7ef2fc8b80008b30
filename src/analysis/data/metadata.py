"""Named datasets: the folders of case-level files under ``data/raw`` and their declared kind.

Every case-level table (cases, units, unit ratings, factors, and the generator's truth) belongs
to a **named dataset**: a folder holding a ``dataset.toml`` that declares, once, whether the
data are ``real`` or ``synthetic``. The kind is never inferred from a ``source`` column.

* ``data/raw/synthetic/`` is the embedded synthetic sample (``config.SYNTHETIC_DIR``);
* ``data/raw/datasets/<name>/`` holds a user's own dataset (``config.DATASETS_DIR``).

A ``dataset.toml``::

    name = "york-2024"            # optional; must equal the folder name when given
    kind = "real"                 # "real" or "synthetic" (required)
    description = "York PDU case records, 2024 inspection"
    source = "HM Inspectorate of Probation case records"
    licence = "internal"
    decimal = "."                 # "," when the files write 12,9 for twelve point nine

The embedded sample may instead carry the generator's ``metadata.json`` with
``"synthetic": true`` (what ``analysis simulate`` writes), which declares it synthetic.

>>> KINDS
('real', 'synthetic')
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .. import config
from ..io.files import read_small_text
from ..settings import DEFAULT_DISCLOSURE_THRESHOLD, MIN_DISCLOSURE_THRESHOLD
from . import normalise as _n
from .ingest import failure, file_failure

__all__ = [
    "METADATA_FILE",
    "KINDS",
    "DATASET_TABLES",
    "LEGACY_FOLDERS",
    "DatasetInfo",
    "read_metadata",
    "discover",
]

METADATA_FILE = "dataset.toml"
KINDS = ("real", "synthetic")
DATASET_TABLES = ("cases", "units", "unit_ratings", "factors", "truth")
"""Tables that belong to a dataset (case-level data and the generator's truth)."""
LEGACY_FOLDERS = ("cases", "units", "unit_ratings", "factors")
"""Folders directly under data/raw that once held real case-level files; now refused."""
_KEYS = ("name", "kind", "description", "source", "licence", "decimal", "disclosure_threshold")
_TEXT_KEYS = _KEYS[:-1]
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class DatasetInfo:
    """A dataset as declared in its folder: name, kind and the words a reader sees."""

    name: str
    kind: str
    description: str = ""
    source: str = ""
    licence: str = ""
    decimal: str = "."
    disclosure_threshold: int | None = None
    """Counts below this are suppressed in reports (None: the default, 5; never below 3)."""
    folder: str = ""
    """The dataset's folder under data/raw (``synthetic`` or ``datasets/<name>``)."""

    @property
    def synthetic(self) -> bool:
        """True exactly when the declared kind is ``synthetic``."""
        return self.kind == "synthetic"

    def as_dict(self) -> dict:
        """The declaration as a plain dict (for the build manifest)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "description": self.description,
            "source": self.source,
            "licence": self.licence,
            "decimal": self.decimal,
            "disclosure_threshold": self.disclosure_threshold,
            "folder": self.folder,
        }


def _generator_flag(folder: Path) -> bool | None:
    """The generator's ``metadata.json`` ``synthetic`` flag, or None when absent or unreadable."""
    path = folder / "metadata.json"
    try:
        data = json.loads(read_small_text(path))
    except (OSError, ValueError):
        return None
    flag = data.get("synthetic") if isinstance(data, dict) else None
    return flag if isinstance(flag, bool) else None


def read_metadata(folder: Path, label: str) -> tuple[DatasetInfo | None, list[dict]]:
    """Read a dataset folder's declaration; ``label`` is the folder as named in messages.

    Returns the :class:`DatasetInfo` (None when it cannot be used) and failure records.
    """
    where = f"{label}/{METADATA_FILE}"
    path = folder / METADATA_FILE
    flag = _generator_flag(folder)
    if not path.exists() and not path.is_symlink():
        if flag is True:
            return DatasetInfo(name=folder.name, kind="synthetic", folder=label), []
        return None, [
            file_failure(
                where,
                "dataset_declared",
                f'a {METADATA_FILE} declaring the dataset\'s kind, e.g. kind = "real" '
                "(see data/raw/README.md); without it the build cannot tell real from "
                "synthetic data, so nothing in this folder was read",
            )
        ]
    try:
        data = tomllib.loads(read_small_text(path))
    except (OSError, UnicodeDecodeError) as err:
        return None, [
            failure(where, None, None, None, "dataset_declared", f"a readable UTF-8 file: {err}")
        ]
    except tomllib.TOMLDecodeError as err:
        return None, [
            file_failure(
                where,
                "toml_syntax",
                f"valid TOML such as kind = \"real\"; the reader stopped with '{err}'",
            )
        ]
    problems = []

    def problem(key, value, check, expected, severity="error"):
        problems.append(failure(where, None, key, value, check, expected, severity=severity))

    for key in data:
        if key not in _KEYS:
            hint = _n.suggest(key, _KEYS)
            problem(
                key,
                None,
                "dataset_key_known",
                f"only the keys {', '.join(_KEYS)}; '{key}' was ignored"
                + (f" (did you mean '{hint}'?)" if hint else ""),
                severity="warning",
            )
    threshold = data.get("disclosure_threshold")
    if threshold is not None and (
        isinstance(threshold, bool)
        or not isinstance(threshold, int)
        or threshold < MIN_DISCLOSURE_THRESHOLD
    ):
        problem(
            "disclosure_threshold",
            threshold,
            "dataset_value",
            f"a whole number of cases of at least {MIN_DISCLOSURE_THRESHOLD} (the default "
            f"is {DEFAULT_DISCLOSURE_THRESHOLD}): counts below it are suppressed in reports",
        )
    for key in _TEXT_KEYS:
        if key in data and not isinstance(data[key], str):
            problem(key, data[key], "dataset_value", "text in quotes")
    kind = data.get("kind")
    if kind is None:
        problem(
            "kind",
            None,
            "dataset_kind",
            'kind = "real" or kind = "synthetic"; the kind is declared, never guessed',
        )
    elif isinstance(kind, str) and kind not in KINDS:
        hint = _n.suggest(kind, KINDS)
        problem(
            "kind",
            kind,
            "dataset_kind",
            "'real' or 'synthetic'" + (f"; did you mean '{hint}'?" if hint else ""),
        )
    name = data.get("name", folder.name)
    if isinstance(name, str) and name != folder.name:
        problem(
            "name",
            name,
            "dataset_name",
            f"the folder's name, '{folder.name}' (or leave name out)",
        )
    decimal = data.get("decimal", ".")
    if isinstance(decimal, str) and decimal not in (".", ","):
        problem("decimal", decimal, "dataset_decimal", "'.' or ','")
    if kind == "real" and flag is True:
        problem(
            "kind",
            kind,
            "dataset_kind",
            "'synthetic': metadata.json in this folder says the files were simulated by "
            "analysis simulate. Declare the true kind, or remove the generator's files",
        )
    if any(p["severity"] == "error" for p in problems):
        return None, problems
    info = DatasetInfo(
        name=folder.name,
        kind=kind,
        description=data.get("description", ""),
        source=data.get("source", ""),
        licence=data.get("licence", ""),
        decimal=decimal,
        disclosure_threshold=threshold,
        folder=label,
    )
    return info, problems


def discover(raw_dir: Path) -> tuple[list[tuple[DatasetInfo, Path]], list[dict]]:
    """Every dataset folder under ``raw_dir`` with its declaration, and failure records.

    The embedded sample (``synthetic/``) comes first, then ``datasets/<name>/`` by name. A
    folder whose declaration is missing or malformed is reported and left out.
    """
    found: list[tuple[DatasetInfo, Path]] = []
    problems: list[dict] = []
    candidates: list[tuple[Path, str]] = []
    embedded = raw_dir / config.SYNTHETIC_DIR.name
    if embedded.is_dir():
        candidates.append((embedded, embedded.name))
    root = raw_dir / config.DATASETS_DIR.name
    if root.is_dir():
        for entry in sorted(root.iterdir()):
            label = f"{root.name}/{entry.name}"
            if entry.name.startswith("."):
                continue
            if not entry.is_dir():
                problems.append(
                    file_failure(
                        label,
                        "dataset_folder",
                        f"a folder per dataset ({root.name}/<name>/ with a {METADATA_FILE}); "
                        "this file was not read. Move it into its dataset's folder",
                        "warning",
                    )
                )
                continue
            if not _NAME.match(entry.name):
                problems.append(
                    failure(
                        label,
                        None,
                        None,
                        entry.name,
                        "dataset_name",
                        "a folder name of lower-case letters, digits, '-' and '_' "
                        "(for example york-2024); nothing in this folder was read",
                    )
                )
                continue
            candidates.append((entry, label))
    names: dict[str, str] = {}
    for folder, label in candidates:
        info, more = read_metadata(folder, label)
        problems.extend(more)
        if info is None:
            continue
        if info.name in names:
            problems.append(
                failure(
                    label,
                    None,
                    None,
                    info.name,
                    "dataset_name_unique",
                    f"a dataset name not already used by {names[info.name]}; rename the folder",
                )
            )
            continue
        names[info.name] = label
        found.append((info, folder))
    return found, problems
