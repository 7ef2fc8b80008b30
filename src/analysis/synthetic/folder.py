"""The synthetic sample's folder: what ``analysis simulate`` may replace there.

The generator writes only under the folder it is given and never replaces a file that it did
not write itself: :func:`check_replaceable` refuses, naming the files, before anything is
written.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..exceptions import InputDataError

__all__ = ["check_replaceable"]


def check_replaceable(out: Path, names: list[str]) -> None:
    """Refuse to replace files in ``out`` that a previous run of the generator did not write.

    Files named in ``names`` may be replaced only when ``out/metadata.json`` says the generator
    wrote them (``"synthetic": true`` and a ``generator`` inside the package).

    Raises
    ------
    InputDataError
        Naming the folder and the files that would have been replaced.
    """
    if out.exists() and not out.is_dir():
        raise InputDataError(
            f"Refusing to write the synthetic sample to {out}: it is a file, not a folder. "
            "Nothing was written. Give a folder with --out."
        )
    existing = [name for name in names if (out / name).exists()]
    if not existing:
        return
    meta_path = out / "metadata.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        ours = meta.get("synthetic") is True and str(meta.get("generator", "")).startswith(
            "analysis."
        )
    except (OSError, ValueError, AttributeError):
        ours = False
    if not ours:
        raise InputDataError(
            f"Refusing to write the synthetic sample to {out}: it already holds "
            f"{', '.join(existing)}, and {meta_path.name} there does not say that "
            '`analysis simulate` wrote them (expected "synthetic": true and a "generator" of '
            "analysis.synthetic.generate.simulate). Nothing was written. Choose an empty "
            "folder with --out, or move those files away first."
        )
