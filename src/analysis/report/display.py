"""Notebook display helpers: every reader-facing output carries metadata for the export.

Public through :mod:`analysis.report`; see its docstring.
"""

from __future__ import annotations

import base64
import io
import re
from html import escape
from pathlib import Path

from ..data.provenance import kind_words, label_kind, origin, reader_kind, run_origin
from ..exceptions import InputDataError
from ._tables import table_html as reader_table_html
from .csv_safety import to_safe_csv
from .disclosure import caption_note, protect, scrub_text

FIGURE_DPI = 100
"""Resolution of embedded figures: sharp on screen, small enough to keep a report under 3 MB."""


INTERACTIVE_MAX_BYTES = 2**20
"""Interactive tables up to this size are embedded whole (itables would otherwise downsample)."""

ROW_HEADER_COLUMNS = ("unit", "pdu")
"""Columns naming the unit a row is about; the first present is the row header by default."""

COLLAPSE_ROWS = 15
"""Tables longer than this are folded (HTML ``details``) so the findings stay in view."""


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


def table_bundle(
    df, name: str, caption: str, *, index: bool = False, row_header: str | None = None
) -> tuple[dict, dict]:
    """Build the display bundle and metadata for :func:`show_table` (no display).

    Readers see human column headings and formatted values (see :mod:`analysis.report._labels`):
    rounded numbers, probabilities as percentages, Yes/No, ids in words. The CSV keeps the
    machine column names and full precision. Each row's unit (by default ``unit`` or ``pdu``,
    else the first column when it holds text) is marked up as the row header.

    Raises
    ------
    InputDataError
        If ``name`` is not usable as a file name, or ``row_header`` is not a column.
    """
    import pandas as pd

    _check_name(name)
    given = df if isinstance(df, pd.DataFrame) else pd.DataFrame(df)
    frame = protect(given)
    caption = caption_note(caption, frame)
    labels = dataset_columns(given)
    csv = to_safe_csv(frame.assign(**labels), index=index)
    shown = frame.reset_index() if index else frame
    before = given.reset_index() if index else given  # column types before any [c]
    table_html = reader_table_html(shown, caption, _row_header(before, row_header, name), before)
    if len(frame) > COLLAPSE_ROWS:
        table_html = (
            f'<details class="long-table"><summary>Show the table: {escape(caption)} '
            f"({len(frame)} rows; also as CSV below)</summary>\n{table_html}\n</details>"
        )
    bundle = {"text/html": table_html, "text/plain": f"{caption}\n{frame.to_string(index=index)}"}
    stamp = frame.attrs.get("disclosure") or {"kind": reader_kind(given)}
    metadata = {
        "analysis/table": {"name": name, "caption": caption, "csv": csv, "disclosure": stamp}
    }
    return bundle, metadata


def dataset_columns(frame) -> dict:
    """The ``dataset`` and ``data_kind`` columns every downloadable CSV has on every row.

    The dataset is the frame's own (published tables in a report on a case-level dataset name
    themselves), else the run's (as the runner declared it); the kind is
    how the table is treated (:func:`analysis.data.provenance.reader_kind`), so a synthetic
    table says so in words on every row and a table of unknown kind is labelled real.
    """
    run = run_origin()
    name = origin(frame).dataset or (run.dataset if run else None) or "not stated"
    labels = {"data_kind": kind_words(reader_kind(frame))}
    if "dataset" not in getattr(frame, "columns", ()):
        labels = {"dataset": name, **labels}
    return labels


def _row_header(frame, row_header, name):
    import pandas as pd

    if row_header is not None:
        if row_header not in frame.columns:
            raise InputDataError(
                f"Table {name!r}: row_header {row_header!r} is not one of its columns "
                f"({', '.join(map(str, frame.columns))})."
            )
        return row_header
    for unit in ROW_HEADER_COLUMNS:
        if unit in frame.columns:
            return unit
    if len(frame.columns) and not pd.api.types.is_numeric_dtype(frame[frame.columns[0]]):
        return frame.columns[0]
    return None


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
    controlled_axes = fig_or_ax
    if not alt:
        alt = plots.alt_text(fig_or_ax) or " ".join(
            filter(None, (plots.alt_text(ax) for ax in figure.axes))
        )
    if not alt:
        raise InputDataError(
            "Every figure needs alt text describing what it shows (pass alt='...')."
        )
    alt = scrub_text(alt)
    if name is not None:
        _check_name(name)
    texts = figure_texts(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight")
    width, height = (int(round(v * FIGURE_DPI)) for v in figure.get_size_inches())
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    bundle = {"image/png": data, "text/plain": alt}
    controlled = plots.drawn_under_control(controlled_axes)
    metadata = {
        "analysis/figure": {
            "alt": alt,
            "name": name,
            "kind": reader_kind(None),
            "disclosure": "controlled" if controlled else "not declared",
            "texts": texts,
        }
    }
    return bundle, metadata


def figure_texts(figure) -> list[str]:
    """Every piece of text drawn in a figure (labels, ticks, titles, legends, annotations).

    Kept with the figure's metadata, so the export and the tests can read what the picture
    says (a PNG's text cannot be searched).
    """
    from matplotlib.text import Text

    found = [t.get_text() for t in figure.findobj(Text) if t.get_visible()]
    return [t for t in found if t and t.strip()]


def show_figure(fig_or_ax, alt: str | None = None, name: str | None = None) -> None:
    """Display a figure as an embedded PNG with alt text, then close it.

    Parameters
    ----------
    fig_or_ax : matplotlib Figure or Axes
    alt : str, optional
        What the figure shows, in words, with its key numbers. Defaults to the alt text the
        :mod:`analysis.report.plots` function computed from the data.
    name : str, optional
        A stable name for the figure.

    Raises
    ------
    InputDataError
        If no alt text is given or found.
    """
    _display(*figure_bundle(fig_or_ax, alt, name))


def note(text: str) -> None:
    """Show a sentence of interpretation (plain text, escaped) as a paragraph."""
    text = scrub_text(text)
    _display(
        {"text/html": f'<p class="note">{escape(text)}</p>', "text/plain": text},
        {"analysis/note": text},
    )


def interactive_table(df, name: str, caption: str) -> None:
    """An interactive (sortable, searchable) table for JupyterLab, with its CSV for the report.

    Headings and values are the reader's (the CSV keeps machine names); columns sort from the
    heading with a click, Enter or Space (see :mod:`analysis.report._interactive`).

    Uses itables offline (call ``itables.init_notebook_mode(connected=False)`` first), so the
    exported page needs no network.

    Raises
    ------
    InputDataError
        If ``name`` is not usable as a file name.
    """
    from ._interactive import datatable_html

    bundle, metadata = table_bundle(df, name, caption)
    bundle["text/html"] = datatable_html(protect(df), caption, max_bytes=INTERACTIVE_MAX_BYTES)
    _display(bundle, metadata)


def methods_section(keyword: str = "caveat", path=None) -> str | None:
    """The markdown body of the first section of ``docs/methods.md`` whose heading has ``keyword``.

    Read at run time, so reports quote the methods document rather than retyping it. Returns
    None when there is no such section.
    """
    import re

    from .. import config

    path = Path(path) if path else config.DOCS_DIR / "methods.md"
    if not path.is_file():
        return None
    lines, body, level = path.read_text(encoding="utf-8").splitlines(), [], None
    for line in lines:
        match = re.match(r"^(#{1,6})\s+(.*)", line)
        if level is None:
            if match and keyword.lower() in match.group(2).lower():
                level = len(match.group(1))
            continue
        if match and len(match.group(1)) <= level:
            break
        body.append(line)
    return "\n".join(body).strip() if level is not None else None


def show_methods_section(keyword: str = "caveat", path=None) -> None:
    """Display a section of ``docs/methods.md`` (see :func:`methods_section`), or say it is missing."""
    text = methods_section(keyword, path)
    if text is None:
        note(f"The methods document (docs/methods.md) has no section about '{keyword}' yet.")
        return
    text = "\n".join(
        "**" + line.lstrip("#").strip() + "**" if line.startswith("#") else line
        for line in text.splitlines()
    )
    _display({"text/markdown": text, "text/plain": text}, {"analysis/methods": keyword})


MAIN_POINTS_MAX = 5
"""At most this many main points (GOV.UK statistical releases give three to five)."""

MAIN_POINT_CHARS = 200
"""A main point aims at one plain sentence of at most this many characters (the tests hold the
notebooks' main points to it)."""

MAIN_POINT_REFUSED = 250
"""A main point longer than this is refused: it is a paragraph, not a headline. Between the
aim and this limit a long region or outcome name is let through rather than stop the report."""

_MACHINE_NAME = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def check_main_points(sentences) -> list[str]:
    """The main points as shown: non-empty sentences, at most five, each plain and short.

    Raises
    ------
    InputDataError
        If there are more than :data:`MAIN_POINTS_MAX`, a sentence is longer than
        :data:`MAIN_POINT_REFUSED` characters, or one holds a machine name (``new_offence``).
    """
    items = [str(s).strip() for s in sentences if s and str(s).strip()]
    if len(items) > MAIN_POINTS_MAX:
        raise InputDataError(
            f"A report has at most {MAIN_POINTS_MAX} main points; got {len(items)}: "
            + " | ".join(items)
        )
    for number, text in enumerate(items, 1):
        if len(text) > MAIN_POINT_REFUSED:
            raise InputDataError(
                f"Main point {number} has {len(text)} characters; expected about "
                f"{MAIN_POINT_CHARS} and at most {MAIN_POINT_REFUSED} (one plain sentence; "
                f"methods belong in the body): {text!r}"
            )
        machine = _MACHINE_NAME.search(text)
        if machine:
            raise InputDataError(
                f"Main point {number} holds the machine name {machine.group(0)!r}; expected "
                f"words a reader knows: {text!r}"
            )
    return items


def main_points(sentences) -> None:
    """Show the report's main points: three to five plain sentences, each with its number.

    The HTML export puts them at the top of the page, whatever cell shows them, and the
    index card shows the first. See :func:`check_main_points` for what is refused. Each
    sentence goes through :func:`~analysis.report.disclosure.scrub_text` (a count such as
    "2 of 4" from a real dataset is shown as ``[c] of [c]``).
    """
    items = [scrub_text(s) for s in check_main_points(sentences)]
    html = '<ul class="main-points">' + "".join(f"<li>{escape(s)}</li>" for s in items) + "</ul>"
    _display(
        {"text/html": html, "text/plain": "\n".join(f"- {s}" for s in items)},
        {"analysis/main_points": items},
    )


def headline(text: str) -> None:
    """Show the report's one-sentence headline (used on the index page when a report has no
    main points; see :func:`main_points`)."""
    text = scrub_text(text)
    _display(
        {"text/html": f'<p class="headline-figure">{escape(text)}</p>', "text/plain": text},
        {"analysis/headline": text},
    )


def synthetic_notice(frame) -> bool:
    """If ``frame`` is synthetic, show a visible notice and mark the report; return whether it is.

    The notice follows the declared kind (:func:`analysis.data.provenance.label_kind`): a
    dataset declared synthetic always gets it, outside a run too; a frame in a run on a real
    dataset, a frame declared real, and one whose kind nobody declared never do.
    """
    synthetic = label_kind(frame) == "synthetic"
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
    items = [scrub_text(str(s)) for s in sentences if s]
    html = '<ul class="findings">' + "".join(f"<li>{escape(s)}</li>" for s in items) + "</ul>"
    _display(
        {"text/html": html, "text/plain": "\n".join(f"- {s}" for s in items)},
        {"analysis/findings": items},
    )
