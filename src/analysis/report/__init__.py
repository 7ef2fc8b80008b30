"""Reports for readers: notebook display helpers, figures, sentences and the HTML export.

In a notebook, everything meant for readers goes through the helpers exported here
(:func:`show_table`, :func:`show_figure`, :func:`findings`, :func:`main_points`, …), which attach
the metadata that the export reads. Figures are in :mod:`analysis.report.plots`, plain-English
sentences in :mod:`analysis.report.summaries`, the interactive explorer in
:mod:`analysis.report.explore`; :func:`export_html` turns an executed notebook into one
self-contained HTML page (the index of every run is written by :mod:`analysis.runs.index`).
"""

from __future__ import annotations

from .display import (
    figure_bundle,
    findings,
    headline,
    interactive_table,
    main_points,
    methods_section,
    note,
    show_figure,
    show_methods_section,
    show_table,
    synthetic_notice,
    table_bundle,
)
from .export import ExportResult, audit_html, export_html, render_html

__all__ = [
    "ExportResult",
    "audit_html",
    "export_html",
    "figure_bundle",
    "findings",
    "headline",
    "interactive_table",
    "main_points",
    "methods_section",
    "note",
    "render_html",
    "show_figure",
    "show_methods_section",
    "show_table",
    "synthetic_notice",
    "table_bundle",
]
