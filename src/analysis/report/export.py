"""Reader-grade reports: notebook display helpers and the HTML export.

In a notebook, everything meant for readers goes through the helpers here, which attach
machine-readable metadata to each output so the export can find it:

- :func:`show_table` displays a readable table and carries its CSV (``analysis/table``);
- :func:`show_figure` displays a PNG with its alt text (``analysis/figure``) and closes it;
- :func:`headline` gives the one-sentence headline for the index (``analysis/headline``);
- :func:`synthetic_notice` marks the report as using synthetic data (``analysis/synthetic``);
- :func:`findings` shows plain-English findings as a list (``analysis/findings``).

After a run, :func:`export_html` turns the executed notebook into one self-contained HTML
file (no code, a table of contents, embedded figures with alt text, a provenance footer, a
banner for synthetic data) and writes every table beside it as CSV. :func:`render_html` is the
pure half: it returns the page as a string and writes nothing.

>>> frame = __import__("pandas").DataFrame({"pdu": ["York"], "pct_yes": [25.0]})
>>> from analysis.report import table_bundle
>>> bundle, meta = table_bundle(frame, "kq", "Key questions")
>>> meta["analysis/table"]["csv"].splitlines()
['pdu,pct_yes,dataset,data_kind', 'York,25.0,not stated,real']
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..exceptions import InputDataError
from ..io.atomic import write_text_atomic
from .run_provenance import RunProvenance

__all__ = ["ExportResult", "TEMPLATE_DIR", "audit_html", "base_css", "export_html", "render_html"]

TEMPLATE_DIR = Path(__file__).with_name("templates")
"""Folder holding the project's nbconvert templates (``reader``)."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_html` wrote, for the runner's manifest and the index."""

    html: Path
    tables: list[Path] = field(default_factory=list)
    headline: str | None = None
    synthetic: bool = False
    title: str = ""
    size_bytes: int = 0
    disclosure: dict = field(default_factory=dict)
    """For a real run: what the export's own disclosure control changed (``export_guard``)."""


# --- export -------------------------------------------------------------------------------


def base_css() -> str:
    """The stylesheet shared by reports and the index page (inline, no web fonts)."""
    from .palette import RATING_COLOURS, RATING_TEXT_COLOURS

    css = (TEMPLATE_DIR / "reader" / "report.css").read_text(encoding="utf-8")
    rules = []
    for rating, colour in RATING_COLOURS.items():
        slug = rating.lower().replace(" ", "-")
        rules.append(
            f".rating-{slug} {{ background: {colour}; color: {RATING_TEXT_COLOURS[rating]}; }}"
        )
    return css + "\n" + "\n".join(rules) + "\n"


def render_html(
    nb, *, provenance: RunProvenance | Mapping | None = None, tables_href: str = "tables"
) -> str:
    """Render an executed notebook as a reader-grade HTML page, returned as a string.

    Parameters
    ----------
    nb : NotebookNode or path
        The executed notebook.
    provenance : RunProvenance or mapping, optional
        The run's identity and timings (:class:`~analysis.report.run_provenance.RunProvenance`,
        or a mapping of its fields); shown in the footer.
    tables_href : str
        Relative folder the CSV links point into.

    Raises
    ------
    InputDataError
        If ``nb`` cannot be read as a notebook.
    """
    html, _ = _render(nb, RunProvenance.of(provenance), tables_href)
    return html


def _read_notebook(nb):
    import nbformat

    if not hasattr(nb, "cells"):
        try:
            nb = nbformat.read(os.fspath(nb), as_version=4)
        except Exception as error:
            raise InputDataError(f"Cannot read notebook {nb}: {error}") from error
    return nb


_EXPORTERS = threading.local()
"""Each thread's exporter and reader preprocessor, built once (templates, CSS) and reused."""


def _exporter():
    """This thread's reader exporter: built on first use, then reused for every export.

    Building it loads the templates and the stylesheet; a batch worker pays that once. Only the
    reader preprocessor's per-page settings (provenance, tables folder) change between pages,
    and it keeps no other state from one page to the next.
    """
    cached = getattr(_EXPORTERS, "pair", None)
    if cached is None:
        from nbconvert import HTMLExporter

        from ._reader import ReaderPreprocessor

        exporter = HTMLExporter(
            template_name="reader",
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
        )
        reader = ReaderPreprocessor(css=base_css())
        exporter.register_preprocessor(reader, enabled=True)
        cached = _EXPORTERS.pair = (exporter, reader)
    return cached


def _render(nb, provenance: RunProvenance, tables_href: str):
    nb = _read_notebook(nb)
    exporter, reader = _exporter()
    reader.provenance = provenance
    reader.tables_href = tables_href
    html, resources = exporter.from_notebook_node(nb)
    return html, resources["reader"]


def audit_html(html: str) -> dict:
    """Check a rendered page: lang, h1 count, ids, links, images and alt text, remote loads.

    See :func:`analysis.report._reader.audit_html` for the keys; used by the tests and the runner.
    """
    from ._reader import audit_html as _audit

    return _audit(html)


def export_html(
    executed_notebook, out_html, *, provenance: RunProvenance | Mapping | None = None
) -> ExportResult:
    """Write the reader-grade HTML for an executed notebook, and its tables as CSV.

    The CSV files go to ``<stem>_tables/`` beside the HTML (stale CSVs there are removed);
    every file is written atomically in UTF-8. Works for a failed run too: the page then
    carries a failure banner and everything up to the failing step.

    Parameters
    ----------
    executed_notebook : NotebookNode or path
    out_html : path
    provenance : RunProvenance or mapping, optional
        See :func:`render_html`. Every output of a run not declared ``synthetic`` goes through
        the export's own disclosure control first
        (:func:`analysis.report.export_guard.guard_notebook`), with ``disclosure_threshold`` if
        given; except a run on the public record alone (``public_record`` True: published
        reports, no case-level dataset). With no provenance the run is treated as real.

    Returns
    -------
    ExportResult

    Raises
    ------
    InputDataError
        If the notebook cannot be read.
    """
    out_html = Path(out_html)
    tables_dir = out_html.with_name(f"{out_html.stem}_tables")
    provenance = RunProvenance.of(provenance)
    guarded: dict = {}
    if provenance.guarded:
        from .export_guard import guard_notebook

        executed_notebook = _read_notebook(executed_notebook)
        guarded = guard_notebook(executed_notebook, provenance.disclosure_threshold)
    html, reader = _render(executed_notebook, provenance, tables_dir.name)
    written = []
    for table in reader["tables"]:
        written.append(write_text_atomic(tables_dir / f"{table['name']}.csv", table["csv"]))
    if tables_dir.is_dir():
        for stale in tables_dir.glob("*.csv"):
            if stale not in written:
                stale.unlink()
    write_text_atomic(out_html, html)
    return ExportResult(
        html=out_html,
        tables=written,
        headline=reader["headline"],
        synthetic=reader["synthetic"],
        title=reader["title"],
        size_bytes=out_html.stat().st_size,
        disclosure=guarded,
    )
