"""The reference list of probation regions and PDUs: its names, and the one sentence for a
region that is not on it.

The list is ``data/raw/reference/regions_pdus.csv`` (:func:`analysis.config.reference_list_path`),
read once with the standard library. Names are matched by
:func:`analysis.data.normalise.match_name` (case, spacing, punctuation and '&' ignored) and the
closest name is suggested by :func:`analysis.data.normalise.suggest`, the one rule, in the one
sentence of :func:`match_region`, which the data loaders, the synthetic generator and the
report runner give alike.

>>> len(regions()), regions()[0]
(12, 'Wales')
>>> match_region("yorkshire AND the humber")
'Yorkshire and the Humber'
>>> match_region("Yorkshire & Humber")
Traceback (most recent call last):
...
analysis.exceptions.InputDataError: Unknown region 'Yorkshire & Humber'. Did you mean 'Yorkshire and the Humber'? Known regions: ...
"""

from __future__ import annotations

import csv
from functools import lru_cache

from .. import config
from ..exceptions import InputDataError
from .normalise import match_name

__all__ = ["regions", "pdus", "did_you_mean", "match_region"]


@lru_cache(maxsize=4)
def _names(path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(regions, PDUs) of a reference list, each in the order of the file; empty if unreadable."""
    found: dict[str, dict[str, None]] = {"region": {}, "pdu": {}}
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                for key, names in found.items():
                    if (row.get(key) or "").strip():
                        names[row[key].strip()] = None
    except OSError:
        return (), ()
    return tuple(found["region"]), tuple(found["pdu"])


def regions(path=None) -> tuple[str, ...]:
    """The probation regions of the reference list, in its order (empty if it cannot be read)."""
    return _names(str(path or config.reference_list_path()))[0]


def pdus(path=None) -> tuple[str, ...]:
    """The PDUs of the reference list, in its order (empty if it cannot be read)."""
    return _names(str(path or config.reference_list_path()))[1]


def did_you_mean(hint: str | None) -> str:
    """The suggestion as a sentence: `` Did you mean 'York'?``, or nothing without one."""
    return f" Did you mean {hint!r}?" if hint else ""


def match_region(
    region: str, known=None, *, error: type[Exception] = InputDataError, also: str = ""
):
    """The reference list's spelling of ``region``; raise ``error`` naming the closest region.

    ``known`` defaults to :func:`regions`; ``also`` is added to the list of known regions in
    the message (for example ``" (or 'national' / None for national)"``).
    """
    known = list(regions() if known is None else known)
    match, hint = match_name(region, known)
    if match is None:
        raise error(
            f"Unknown region {region!r}.{did_you_mean(hint)} Known regions: "
            f"{', '.join(known)}{also}."
        )
    return match
