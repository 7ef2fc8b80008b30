"""Report extraction: published inspection reports in, tidy and traceable tables out.

``extract_reports(paths)`` reads report text (.txt), PDFs and saved web pages (.html),
recognises the layout (PDU, regional, national and youth justice inspection reports and their
press releases, the 2013 adult offending work inspection, the effective-practice spotlight;
pages that are not an inspection report are recognised and skipped), and returns the tables declared in :data:`TABLES`, every value
with the sentence it came from, its location and how it was read. ``compare_published`` sets
the extracted reports beside the published ratings table. See docs/extraction.md.
"""

from __future__ import annotations

from ..data.extracted import TABLES, describe_tables, validate_table
from ._numbers import Quantity, find_quantities, parse_number
from ._text import normalise_lines
from .compare import compare_published
from .errors import ExtractionError, UnreadableFileError, UnrecognisedLayoutError
from .layouts import detect_layout
from .readers import Document, read_document
from .run import DEFAULT_OUT, ExtractionResult, extract_reports

__all__ = [
    "extract_reports",
    "compare_published",
    "ExtractionResult",
    "DEFAULT_OUT",
    "read_document",
    "Document",
    "detect_layout",
    "normalise_lines",
    "find_quantities",
    "parse_number",
    "Quantity",
    "TABLES",
    "validate_table",
    "describe_tables",
    "ExtractionError",
    "UnreadableFileError",
    "UnrecognisedLayoutError",
]
