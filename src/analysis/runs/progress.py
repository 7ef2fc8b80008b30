"""Progress of a batch for a log that is not a terminal: one line per finished run.

A terminal gets tqdm's bar; a log file or a pipe would get one long line of carriage returns
from it, so there each finished run prints a line of its own instead (``reports: 3/8 runs
finished, 0 failed, 95 s``). The class has the part of tqdm's interface the runner uses.
"""

from __future__ import annotations

import sys
import time

__all__ = ["LineProgress", "progress_bar"]


class LineProgress:
    """``update`` prints one line; ``write`` prints a message; ``set_postfix`` keeps counts."""

    def __init__(self, total: int, *, desc: str = "reports", disable: bool = False, file=None):
        self.total, self.desc, self.disable = total, desc, disable
        self.file = file
        self.done, self.failed = 0, 0
        self._t0 = time.perf_counter()

    def _print(self, text: str) -> None:
        if not self.disable:
            print(text, file=self.file or sys.stderr, flush=True)

    def update(self, n: int = 1) -> None:
        self.done += n
        seconds = time.perf_counter() - self._t0
        self._print(
            f"{self.desc}: {self.done}/{self.total} runs finished, {self.failed} failed, "
            f"{seconds:.0f} s"
        )

    def set_postfix(self, failed: int = 0, refresh: bool = False, **_) -> None:
        self.failed = int(failed)

    def write(self, text: str) -> None:
        self._print(text)

    def __enter__(self) -> LineProgress:
        return self

    def __exit__(self, *exc) -> None:
        return None


def progress_bar(tqdm, total: int, *, enabled: bool, stream=None):
    """tqdm's bar on a terminal; :class:`LineProgress` when ``stream`` (stderr) is not one."""
    stream = stream or sys.stderr
    if getattr(stream, "isatty", lambda: False)():
        return tqdm(
            total=total, unit="run", desc="reports", disable=not enabled, dynamic_ncols=True
        )
    return LineProgress(total, disable=not enabled, file=stream)
