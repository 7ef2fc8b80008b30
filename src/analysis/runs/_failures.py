"""How a failed run is described: the error record stored in its manifest.

Every record has ``kind`` (``cell``, ``kernel-start``, ``execution``, ``export``, ``write``,
``worker``, ``interrupted`` or ``parameters``) and ``message``, one line a person can act on.
"""

from __future__ import annotations

import json
import re
import traceback
from pathlib import Path
from typing import Any

from .engine import KernelStartError

SOURCE_EXCERPT_LINES = 12


def excerpt(source: str, lines: int = SOURCE_EXCERPT_LINES) -> str:
    rows = (source or "").splitlines()
    return "\n".join(rows[:lines] + (["..."] if len(rows) > lines else []))


def cell_error(exc) -> dict[str, Any]:
    return {
        "kind": "cell",
        "cell_index": exc.cell_index,
        "execution_count": exc.exec_count,
        "cell_source": excerpt(exc.source),
        "ename": exc.ename,
        "evalue": exc.evalue,
        "message": f"Cell {exc.cell_index} of the executed notebook raised {exc.ename}: {exc.evalue}",
    }


def locate_failing_cell(error: dict, executed: Path) -> None:
    """Point ``cell_index`` at the failing cell of the saved notebook (papermill adds marker cells).

    Also sets ``source_cell_index``: the same cell's index in the notebook as written, without
    the injected-parameters cell and papermill's error markers, and ``cell_number``, that index
    counted from 1: the one number people see (the message, the report's failure box and the
    index all use it; JupyterLab shows the cell at that place in the notebook).
    """
    try:
        cells = json.loads(executed.read_text("utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return
    skipped = 0
    for index, cell in enumerate(cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            skipped += 1
            continue
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            error["cell_index"] = index
            error["source_cell_index"] = index - skipped
            error["cell_number"] = index - skipped + 1
            error["message"] = (
                f"Cell {index - skipped + 1} of the notebook raised {error['ename']}: "
                f"{error['evalue']}"
            )
            return


def other_error(kind: str, exc: BaseException) -> dict[str, Any]:
    cause = exc.__cause__ if isinstance(exc, KernelStartError) and exc.__cause__ else exc
    return {
        "kind": kind,
        "ename": type(cause).__name__,
        "evalue": str(cause),
        "message": f"{kind.replace('-', ' ').capitalize()} failed: {type(cause).__name__}: {cause}",
        "traceback": "".join(traceback.format_exception(cause))[-4000:],
    }


def is_write_failure(exc: BaseException) -> bool:
    """An error of the file system (disk full, read-only, no permission), not a timeout."""
    return isinstance(exc, OSError) and not isinstance(exc, TimeoutError) and exc.errno is not None


def write_error(exc: OSError, what: str) -> dict[str, Any]:
    """A failed write (disk full, read-only folder): which file, what the system said, what stays."""
    where = str(exc.filename or what)
    temp = re.fullmatch(r"\.(.+)\.[^.]+\.tmp", Path(where).name)  # atomic_path's temporary file
    if temp:
        where = str(Path(where).with_name(temp.group(1)))
    return {
        "kind": "write",
        "ename": type(exc).__name__,
        "evalue": str(exc),
        "message": (
            f"Could not write {where}: {exc.strerror or exc}. The previous version of the file, "
            "if any, was kept."
        ),
    }


def interrupted_error(how: str, started: bool = True) -> dict[str, Any]:
    """A run stopped by a signal (Ctrl-C, SIGTERM) or by its runner dying."""
    before = "before it finished" if started else "before it started"
    return {
        "kind": "interrupted",
        "message": f"The run was interrupted ({how}) {before}; the next batch runs it again.",
    }
