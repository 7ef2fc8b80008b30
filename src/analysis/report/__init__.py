"""Reports for readers: notebook display helpers, figures, sentences and the HTML export.

In a notebook, everything meant for readers goes through the helpers exported here
(:func:`show_table`, :func:`show_figure`, :func:`findings`, :func:`main_points`, …), which attach
the metadata that the export reads. Figures are in :mod:`analysis.report.plots`, plain-English
sentences in :mod:`analysis.report.summaries`, the interactive explorer in
:mod:`analysis.report.explore`; :func:`export_html` turns an executed notebook into one
self-contained HTML page (the index of every run is written by :mod:`analysis.runs.index`).

The helpers are imported on first use, so a module that needs one sentence helper (the
runner's index) does not load the display and export machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import lazy as _lazy

_HOMES = {
    **dict.fromkeys(
        (
            "figure_bundle",
            "findings",
            "headline",
            "interactive_table",
            "main_points",
            "methods_section",
            "note",
            "show_figure",
            "show_methods_section",
            "show_table",
            "synthetic_notice",
            "table_bundle",
        ),
        "display",
    ),
    **dict.fromkeys(("ExportResult", "audit_html", "export_html", "render_html"), "export"),
}
"""Each public name and the module that defines it."""

__all__ = sorted(_HOMES)

if TYPE_CHECKING:  # pragma: no cover
    from .display import (  # noqa: F401
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
    from .export import ExportResult, audit_html, export_html, render_html  # noqa: F401


# The public names load on first use (see the module docstring); submodules import as usual.
__getattr__, __dir__ = _lazy.attach(__name__, _HOMES)
