"""Disclosure control at the export: a real run's page gets it whatever the kernel did.

The notebook helpers protect what they show, but they run in the kernel and trust what the
kernel knew. At the export the runner knows the run's kind (its provenance), and for any run
that is not positively synthetic :func:`guard_notebook` goes over every output a reader gets:

* every table's CSV is read back and checked; one that still shows a small count (a kernel
  that did not know it was real, a frame built by hand) is protected again and both its HTML
  and its CSV are rebuilt from the protected table;
* every sentence (notes, findings, main points, the headline, alt text) goes through
  :func:`~analysis.report.disclosure.scrub_text`;
* a figure drawn by a kernel that did not know the run is real, or not declared drawn under
  disclosure control by an :mod:`analysis.report.plots` function, or whose drawn text (kept
  in its metadata by ``figure_bundle``) gives a small count, or with no figure metadata at
  all, is withheld (a sentence says so).

It returns what it changed, so the runner can record it; nothing is silently passed.
"""

from __future__ import annotations

import io
from html import escape

from .disclosure import disclosure_threshold, scrub_text, small_counts

__all__ = ["guard_notebook", "WITHHELD"]

WITHHELD = (
    "Figure withheld: it was drawn without disclosure control for real data, so its labels "
    "could reveal a count below {threshold} cases."
)


def _scrub_data(data: dict, limit: int) -> int:
    """Scrub every text of an output in place; the number of texts it changed."""
    changed = 0
    for mime in ("text/plain", "text/html", "text/markdown"):
        if isinstance(data.get(mime), str):
            text = scrub_text(data[mime], real=True, threshold=limit)
            changed += text != data[mime]
            data[mime] = text
    return changed


def _table(output, table: dict, limit: int) -> bool:
    """Re-protect a table whose CSV still shows a small count; True when it did."""
    import pandas as pd

    from .display import table_bundle

    try:
        frame = pd.read_csv(io.StringIO(table.get("csv", "")))
    except (ValueError, pd.errors.ParserError):
        frame = pd.DataFrame()
    frame.attrs["dataset_kind"] = "real"
    if small_counts(frame, limit).empty:
        return False
    caption = str(table.get("caption", table.get("name", "table")))
    bundle, metadata = table_bundle(frame, table.get("name", "table"), caption)
    output["data"] = {**output.get("data", {}), **bundle}
    output["data"].pop("application/vnd.dataresource+json", None)
    output["metadata"] = {**output.get("metadata", {}), **metadata}
    return True


def _figure(output, limit: int) -> str | None:
    """Scrub a figure's alt text, or withhold it; ``"withheld"``, ``"scrubbed"`` or None."""
    metadata = output.setdefault("metadata", {})
    figure = metadata.get("analysis/figure")
    controlled = isinstance(figure, dict) and figure.get("disclosure") == "controlled"
    texts = [str(t) for t in figure.get("texts") or ()] if isinstance(figure, dict) else []
    drawn_small = any(scrub_text(t, real=True, threshold=limit) != t for t in texts)
    if controlled and figure.get("kind") == "real" and not drawn_small:
        alt = str(figure.get("alt", ""))
        figure["alt"] = scrub_text(alt, real=True, threshold=limit)
        output["data"]["text/plain"] = figure["alt"]
        return "scrubbed" if figure["alt"] != alt else None
    text = WITHHELD.format(threshold=limit)
    output["data"] = {"text/html": f'<p class="note">{escape(text)}</p>', "text/plain": text}
    metadata.pop("analysis/figure", None)
    metadata["analysis/note"] = text
    return "withheld"


def guard_notebook(nb, threshold: int | None = None) -> dict:
    """Apply disclosure control to every output of an executed notebook of a real run.

    Changes ``nb`` in place; returns ``{"threshold", "tables_reprotected", "figures_withheld",
    "texts_scrubbed"}``: all zero when the kernel's own control did everything.
    """
    limit = disclosure_threshold(threshold)
    report = {"threshold": limit, "tables_reprotected": 0, "figures_withheld": 0}
    report["texts_scrubbed"] = 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") not in ("display_data", "execute_result"):
                continue
            data, metadata = output.setdefault("data", {}), output.setdefault("metadata", {})
            table = metadata.get("analysis/table")
            if isinstance(table, dict):
                report["tables_reprotected"] += _table(output, table, limit)
                continue
            if "image/png" in data or "image/svg+xml" in data:
                what = _figure(output, limit)
                if what:
                    report["figures_withheld" if what == "withheld" else "texts_scrubbed"] += 1
                continue
            changed = False  # one count per output
            for key in ("analysis/note", "analysis/headline"):
                if isinstance(metadata.get(key), str):
                    text = scrub_text(metadata[key], real=True, threshold=limit)
                    changed |= text != metadata[key]
                    metadata[key] = text
            for key in ("analysis/findings", "analysis/main_points"):
                if isinstance(metadata.get(key), list):
                    items = [str(s) for s in metadata[key]]
                    scrubbed = [scrub_text(s, real=True, threshold=limit) for s in items]
                    changed |= scrubbed != items
                    metadata[key] = scrubbed
            changed |= bool(_scrub_data(data, limit))
            report["texts_scrubbed"] += changed
    return report
