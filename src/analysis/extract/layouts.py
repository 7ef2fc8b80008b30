"""Which layout a document has, and the reader for it.

>>> sorted(LAYOUTS)
['adult-2013', 'pdu', 'practice-guide', 'spotlight']
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ._collect import Collected
from .adult2013 import read_adult_2013
from .errors import UnrecognisedLayoutError
from .pdu import read_pdu
from .readers import Document
from .spotlight import read_spotlight

__all__ = ["detect_layout", "LAYOUTS", "NOT_REPORTS"]

_HEAD_LINES = 150
_SIGNS = [
    ("spotlight", re.compile(r"Effective Practice Spotlight", re.I)),
    ("pdu", re.compile(r"inspection of probation services in\b", re.I)),
    ("adult-2013", re.compile(r"inspection of adult offending work", re.I)),
    ("practice-guide", re.compile(r"effective practice guide", re.I)),
]

LAYOUTS: dict[str, Callable[[Document], Collected] | None] = {
    "pdu": read_pdu,
    "spotlight": read_spotlight,
    "adult-2013": read_adult_2013,
    "practice-guide": None,
}
"""Layout id -> reader; None for publications recognised but holding no inspection figures
(regional inspections share the ``pdu`` reader, which sets the layout to ``regional``)."""

NOT_REPORTS = {"practice-guide": "an effective practice guide (no inspection figures)"}


def detect_layout(doc: Document) -> str:
    """The layout id of ``doc`` from the first lines of its text.

    Raises
    ------
    UnrecognisedLayoutError
        When none of the known layouts' signs appear; the message names the file and lists
        what was looked for.
    """
    head = "\n".join(doc.lines[:_HEAD_LINES])
    for layout, sign in _SIGNS:
        if sign.search(head):
            return layout
    wanted = "; ".join(f"{name}: '{sign.pattern}'" for name, sign in _SIGNS)
    raise UnrecognisedLayoutError(
        f"{doc.path}: not a recognised inspection report layout (looked in the first "
        f"{_HEAD_LINES} lines for {wanted}). Known layouts: the PDU and regional inspection "
        "report, the 2013 adult offending work inspection, and the effective-practice spotlight."
    )
