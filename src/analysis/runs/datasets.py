"""Which case-level datasets a batch runs on, read from the build's manifest (standard library only)."""

from __future__ import annotations

import json
from pathlib import Path

from .. import config
from ..exceptions import ParameterError

__all__ = ["built_datasets", "kind_without_dataset"]


def built_datasets(processed_dir=None, dataset: str | None = None) -> list[dict]:
    """The case-level datasets of the last build (name, kind, regions), read from its manifest.

    ``regions`` lists the regions a dataset has cases in (None when the build did not record
    them: every region is then planned).

    ``dataset`` keeps one of them. Read with the standard library, so planning stays fast.

    Raises
    ------
    ParameterError
        If ``dataset`` is not one of the datasets built (the message lists them).
    """
    path = Path(processed_dir or config.PROCESSED_DIR) / "manifest.json"
    try:
        declared = json.loads(path.read_text("utf-8")).get("datasets") or {}
    except (OSError, ValueError, AttributeError):
        declared = {}
    found = [
        {
            "name": name,
            "kind": entry.get("kind"),
            "regions": entry.get("regions"),
            "disclosure_threshold": entry.get("disclosure_threshold"),
        }
        for name, entry in declared.items()
        if isinstance(entry, dict)
    ]
    if dataset is None:
        return found
    chosen = [d for d in found if d["name"] == dataset]
    if not chosen:
        names = ", ".join(d["name"] for d in found) or "none (run `analysis build`)"
        raise ParameterError(f"Unknown dataset {dataset!r}. Datasets built: {names}.")
    return chosen


def kind_without_dataset(notebook: Path) -> str | None:
    """A notebook that reads no case-level dataset: ``real`` when it says it uses published
    data only (notebook metadata ``"analysis": {"data": "published"}``), else not stated."""
    try:
        meta = json.loads(notebook.read_text("utf-8")).get("metadata", {}).get("analysis", {})
    except (OSError, ValueError, AttributeError):
        return None
    return "real" if isinstance(meta, dict) and meta.get("data") == "published" else None
