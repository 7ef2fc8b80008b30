"""What a run tells the export about itself: :class:`RunProvenance`, one frozen record.

The runner builds it (:mod:`analysis.runs.execute`); the export reads it twice, to decide
whether the page goes through the export's own disclosure control and to write the page's
provenance footer. The kind fails closed: only a run declared ``synthetic`` skips the
export's disclosure control, and only a run on the public record alone (published reports,
no case-level dataset) is let through as real; a page exported with no provenance, or with a
kind that is neither ``real`` nor ``synthetic``, is treated as real.

>>> RunProvenance().guarded, RunProvenance(dataset_kind="synthetic").guarded
(True, False)
>>> RunProvenance.of({"dataset_kind": "real", "public_record": True}).guarded
False
>>> RunProvenance.of({"regoin": "Wales"})
Traceback (most recent call last):
...
analysis.exceptions.ParameterError: provenance: unknown field 'regoin'; the fields are ...
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from ..exceptions import ParameterError

__all__ = ["RunProvenance"]


@dataclass(frozen=True)
class RunProvenance:
    """The identity and timings of one run, as its page shows them and its export acts on.

    ``dataset_kind`` is ``"real"`` or ``"synthetic"`` as the run's dataset declares (None: not
    said, treated as real); ``public_record`` is True for a run on published reports alone;
    ``error`` is the run's failure in one line, if it failed.
    """

    dataset_kind: str | None = None
    dataset: str | None = None
    public_record: bool = False
    disclosure_threshold: int | None = None
    notebook: str = ""
    region: str | None = None
    parameters: Mapping[str, Any] | None = None
    data_hashes: Mapping[str, str] = field(default_factory=dict)
    code_version: str = ""
    started: str | None = None
    finished: str | None = None
    status: str | None = None
    kernel: str = ""
    error: str | None = None
    synthetic: bool = False
    """Mark the page synthetic (its banner) whatever its outputs say."""

    @property
    def guarded(self) -> bool:
        """Whether the export's own disclosure control runs: every run not declared synthetic,
        except one on the public record alone."""
        if self.dataset_kind == "synthetic":
            return False
        return not (self.dataset_kind == "real" and self.public_record is True)

    @classmethod
    def of(cls, value: RunProvenance | Mapping[str, Any] | None) -> RunProvenance:
        """``value`` as a record: a record as it is, a mapping by field name, None as empty.

        Raises
        ------
        ParameterError
            For a mapping with a key that is not a field (a misspelt field is never ignored).
        """
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if not isinstance(value, Mapping):
            raise ParameterError(
                f"provenance: expected a RunProvenance or a mapping, got {type(value).__name__}."
            )
        known = [f.name for f in fields(cls)]
        for key in value:
            if key not in known:
                raise ParameterError(
                    f"provenance: unknown field {key!r}; the fields are {', '.join(known)}."
                )
        return cls(**value)
