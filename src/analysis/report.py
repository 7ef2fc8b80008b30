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
>>> bundle, meta = table_bundle(frame, "kq", "Key questions")
>>> meta["analysis/table"]["csv"].splitlines()
['pdu,pct_yes', 'York,25.0']
"""

from __future__ import annotations

import base64
import io
import os
import tempfile
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from .exceptions import InputDataError

__all__ = [
    "ExportResult",
    "base_css",
    "table_bundle",
    "show_table",
    "figure_bundle",
    "show_figure",
    "headline",
    "synthetic_notice",
    "is_synthetic",
    "findings",
    "render_html",
    "export_html",
    "write_text_atomic",
    "audit_html",
    "TEMPLATE_DIR",
]

TEMPLATE_DIR = Path(__file__).with_name("templates")
"""Folder holding the project's nbconvert templates (``reader``)."""

FIGURE_DPI = 100
"""Resolution of embedded figures: sharp on screen, small enough to keep a report under 3 MB."""


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_html` wrote, for the runner's manifest and the index."""

    html: Path
    tables: list[Path] = field(default_factory=list)
    headline: str | None = None
    synthetic: bool = False
    title: str = ""
    size_bytes: int = 0


# --- notebook helpers ---------------------------------------------------------------------


def _display(bundle: dict, metadata: dict) -> None:
    from IPython.display import display

    display(bundle, raw=True, metadata=metadata)


def _check_name(name: str) -> str:
    if not name or not all(ch.isalnum() or ch in "-_" for ch in name):
        raise InputDataError(
            f"A table or figure name must be letters, digits, '-' or '_' (it becomes a file "
            f"name), got {name!r}. Use for example 'ratings_by_standard'."
        )
    return name


def table_bundle(df, name: str, caption: str, *, index: bool = False) -> tuple[dict, dict]:
    """Build the display bundle and metadata for :func:`show_table` (no display).

    Numbers are rounded for reading only; the CSV keeps full precision.

    Raises
    ------
    InputDataError
        If ``name`` is not usable as a file name.
    """
    import pandas as pd

    _check_name(name)
    frame = df if isinstance(df, pd.DataFrame) else pd.DataFrame(df)
    csv = frame.to_csv(index=index, lineterminator="\n")
    shown = frame.copy()
    for column in shown.columns:
        shown[column] = shown[column].map(_cell_html(shown[column]))
    shown.columns = [escape(str(c).replace("_", " ")) for c in shown.columns]
    if index:
        shown.index = [escape(str(i)) for i in shown.index]
    table_html = shown.to_html(index=index, border=0, classes="data-table", na_rep="", escape=False)
    table_html = table_html.replace(' style="text-align: right;"', "").replace(
        '<table class="dataframe data-table">',
        f'<table class="data-table">\n<caption>{escape(caption)}</caption>',
        1,
    )
    bundle = {"text/html": table_html, "text/plain": f"{caption}\n{frame.to_string(index=index)}"}
    metadata = {"analysis/table": {"name": name, "caption": caption, "csv": csv}}
    return bundle, metadata


def _cell_html(column):
    """Cell formatter: one decimal for floats; ratings as labelled colour chips (text + colour)."""
    import pandas as pd

    from .frameworks import RATINGS

    def rating(value) -> str:
        slug = str(value).lower().replace(" ", "-")
        return f'<span class="rating rating-{slug}">{escape(str(value))}</span>'

    def cell(value) -> str:
        if value is None or (
            not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)
        ):
            return ""
        if isinstance(value, float):
            return f"{value:,.1f}"
        if isinstance(value, str) and value in RATINGS:
            return rating(value)
        return escape(str(value))

    return cell


def show_table(df, name: str, caption: str, *, index: bool = False) -> None:
    """Display ``df`` as a readable table and attach its CSV for the report.

    Parameters
    ----------
    df : DataFrame
        The table as readers should see it (column order is kept).
    name : str
        File name stem of the CSV written beside the report, e.g. ``"ratings_by_standard"``.
    caption : str
        One line saying what the table shows.
    index : bool
        Whether to include the index as a column.

    Raises
    ------
    InputDataError
        If ``name`` is not usable as a file name.
    """
    _display(*table_bundle(df, name, caption, index=index))


def _as_figure(fig_or_ax):
    figure = getattr(fig_or_ax, "figure", None)
    if figure is not None and hasattr(fig_or_ax, "get_figure") and figure is not fig_or_ax:
        return figure
    if hasattr(fig_or_ax, "savefig"):
        return fig_or_ax
    raise InputDataError(
        f"show_figure needs a matplotlib Figure or Axes, got {type(fig_or_ax).__name__}."
    )


def figure_bundle(fig_or_ax, alt: str | None = None, name: str | None = None) -> tuple[dict, dict]:
    """PNG bundle and metadata for :func:`show_figure`; closes the figure.

    Raises
    ------
    InputDataError
        If no alt text is given or found, or the object is not a figure.
    """
    import matplotlib.pyplot as plt

    from . import plots

    figure = _as_figure(fig_or_ax)
    if not alt:
        alt = plots.alt_text(fig_or_ax) or next(
            (plots.alt_text(ax) for ax in figure.axes if plots.alt_text(ax)), None
        )
    if not alt:
        raise InputDataError(
            "Every figure needs alt text describing what it shows (pass alt='...')."
        )
    if name is not None:
        _check_name(name)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
    width, height = (int(round(v * FIGURE_DPI)) for v in figure.get_size_inches())
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    bundle = {"image/png": data, "text/plain": alt}
    metadata = {"analysis/figure": {"alt": alt, "name": name}}
    return bundle, metadata


def show_figure(fig_or_ax, alt: str | None = None, name: str | None = None) -> None:
    """Display a figure as an embedded PNG with alt text, then close it.

    Parameters
    ----------
    fig_or_ax : matplotlib Figure or Axes
    alt : str, optional
        What the figure shows, in words, with its key numbers. Defaults to the alt text the
        :mod:`analysis.plots` function computed from the data.
    name : str, optional
        A stable name for the figure.

    Raises
    ------
    InputDataError
        If no alt text is given or found.
    """
    _display(*figure_bundle(fig_or_ax, alt, name))


def headline(text: str) -> None:
    """Show the report's one-sentence headline (also used on the index page)."""
    _display(
        {"text/html": f'<p class="headline-figure">{escape(text)}</p>', "text/plain": text},
        {"analysis/headline": text},
    )


def is_synthetic(frame) -> bool:
    """True when a frame holds synthetic data (``attrs['synthetic']`` or a synthetic source)."""
    if getattr(frame, "attrs", {}).get("synthetic"):
        return True
    source = getattr(frame, "get", lambda *_: None)("source")
    if source is None:
        return False
    return bool(source.astype(str).str.lower().eq("synthetic").any())


def synthetic_notice(frame) -> bool:
    """If ``frame`` is synthetic, show a visible notice and mark the report; return whether it is."""
    synthetic = is_synthetic(frame)
    if synthetic:
        text = (
            "These figures come from synthetic (simulated) inspection data. "
            "They are not real results about any probation service."
        )
        _display(
            {
                "text/html": f'<p class="notice-synthetic"><strong>{escape(text)}</strong></p>',
                "text/plain": text,
            },
            {"analysis/synthetic": True},
        )
    return synthetic


def findings(sentences) -> None:
    """Show plain-English findings as a bulleted list."""
    items = [str(s) for s in sentences if s]
    html = '<ul class="findings">' + "".join(f"<li>{escape(s)}</li>" for s in items) + "</ul>"
    _display(
        {"text/html": html, "text/plain": "\n".join(f"- {s}" for s in items)},
        {"analysis/findings": items},
    )


# --- export -------------------------------------------------------------------------------


def base_css() -> str:
    """The stylesheet shared by reports and the index page (inline, no web fonts)."""
    from .plots import RATING_COLOURS, RATING_TEXT_COLOURS

    css = (TEMPLATE_DIR / "reader" / "report.css").read_text(encoding="utf-8")
    rules = []
    for rating, colour in RATING_COLOURS.items():
        slug = rating.lower().replace(" ", "-")
        rules.append(
            f".rating-{slug} {{ background: {colour}; color: {RATING_TEXT_COLOURS[rating]}; }}"
        )
    return css + "\n" + "\n".join(rules) + "\n"


def render_html(nb, *, provenance: dict | None = None, tables_href: str = "tables") -> str:
    """Render an executed notebook as a reader-grade HTML page, returned as a string.

    Parameters
    ----------
    nb : NotebookNode or path
        The executed notebook.
    provenance : dict, optional
        notebook, region, parameters, data_hashes, code_version, started, finished, status,
        kernel (see the runner); shown in the footer.
    tables_href : str
        Relative folder the CSV links point into.

    Raises
    ------
    InputDataError
        If ``nb`` cannot be read as a notebook.
    """
    html, _ = _render(nb, provenance or {}, tables_href)
    return html


def _render(nb, provenance: dict, tables_href: str):
    import nbformat
    from nbconvert import HTMLExporter

    from ._reader import ReaderPreprocessor

    if not hasattr(nb, "cells"):
        try:
            nb = nbformat.read(os.fspath(nb), as_version=4)
        except Exception as error:
            raise InputDataError(f"Cannot read notebook {nb}: {error}") from error
    exporter = HTMLExporter(
        template_name="reader",
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.register_preprocessor(
        ReaderPreprocessor(provenance=provenance, tables_href=tables_href, css=base_css()),
        enabled=True,
    )
    html, resources = exporter.from_notebook_node(nb)
    return html, resources["reader"]


def audit_html(html: str) -> dict:
    """Check a rendered page: lang, h1 count, ids, links, images and alt text, remote loads.

    See :func:`analysis._reader.audit_html` for the keys; used by the tests and the runner.
    """
    from ._reader import audit_html as _audit

    return _audit(html)


def write_text_atomic(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` through a temporary file and ``os.replace`` (never half-written)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return path


def export_html(executed_notebook, out_html, *, provenance: dict | None = None) -> ExportResult:
    """Write the reader-grade HTML for an executed notebook, and its tables as CSV.

    The CSV files go to ``<stem>_tables/`` beside the HTML (stale CSVs there are removed);
    every file is written atomically in UTF-8. Works for a failed run too: the page then
    carries a failure banner and everything up to the failing step.

    Parameters
    ----------
    executed_notebook : NotebookNode or path
    out_html : path
    provenance : dict, optional
        See :func:`render_html`.

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
    html, reader = _render(executed_notebook, provenance or {}, tables_dir.name)
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
    )
