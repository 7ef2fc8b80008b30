"""Errors of report extraction, each naming the file and what was expected."""

from __future__ import annotations

from ..exceptions import InputDataError

__all__ = ["ExtractionError", "UnreadableFileError", "UnrecognisedLayoutError"]


class ExtractionError(InputDataError):
    """A report file that cannot be extracted; the message names the file."""


class UnreadableFileError(ExtractionError):
    """Empty, encrypted, damaged, without a text layer, or not the format its name says."""


class UnrecognisedLayoutError(ExtractionError):
    """A readable file whose layout is none of the inspection report layouts known here."""
