"""Interactive (sortable, searchable) tables that work from a keyboard and a screen reader.

The tables are itables (DataTables), offline. On top of the library's defaults:

- a column sorts from its whole heading (text included), with Enter or Space as well as a click;
- the sort arrows are drawn at a contrast of at least 3:1 against white (``#505a5f``, 7:1;
  the active arrow ``#0b0c0c``), instead of the library's 12.5% and 60% opacity;
- each pagination landmark is labelled with its table's caption, so two tables on a page do
  not give a screen-reader user two landmarks called "pagination";
- headings are the reader labels and values are rounded as in reader tables
  (:mod:`analysis.report._labels`), while numbers stay numbers so that they sort by value.

The script that labels the landmarks and adds Space is inline and tiny; it runs in the exported
report and in JupyterLab alike.
"""

from __future__ import annotations

import json
import re

SORT_ARROW_CSS = """
table.dataTable thead > tr > th .dt-column-order:before,
table.dataTable thead > tr > th .dt-column-order:after { opacity: 1 !important; color: #505a5f; }
table.dataTable thead > tr > th.dt-ordering-asc .dt-column-order:before,
table.dataTable thead > tr > th.dt-ordering-desc .dt-column-order:after { color: #0b0c0c; }
table.dataTable thead > tr > th.dt-ordering-asc .dt-column-order:after,
table.dataTable thead > tr > th.dt-ordering-desc .dt-column-order:before { visibility: hidden; }
table.dataTable thead > tr > th [role=button]:focus-visible { outline: 3px solid #fd0;
  box-shadow: inset 0 0 0 3px #0b0c0c; }
"""
"""Sort arrows at 3:1 or more, the sorted direction alone in the sorted column, a visible focus."""

_SCRIPT = """<script>
(function () {
  var id = %(id)s, label = %(label)s, tries = 0;
  function fix() {
    var table = document.getElementById(id);
    var box = table && table.closest('.dt-container');
    if (!box) { if (tries++ < 100) { setTimeout(fix, 50); } return; }
    box.querySelectorAll('nav').forEach(function (nav) {
      nav.setAttribute('aria-label', 'Pages of the table: ' + label);
    });
    if (box.dataset.spaceSorts) { return; }
    box.dataset.spaceSorts = '1';
    box.addEventListener('keydown', function (event) {
      var key = event.target.closest &&
        event.target.closest('thead th[tabindex], thead [role=button][tabindex]');
      if (key && (event.key === ' ' || event.key === 'Spacebar')) {
        event.preventDefault();
        key.click();
      }
    });
  }
  fix();
})();
</script>"""


def datatable_html(df, caption: str, *, max_bytes: int) -> str:
    """HTML for an offline itables table of ``df`` with the keyboard and contrast fixes.

    Parameters
    ----------
    df : DataFrame
        The table with machine column names; headings and values are made readable here.
    caption : str
        The table's caption, also its pagination landmark's label.
    max_bytes : int
        Tables up to this size are embedded whole.

    Returns
    -------
    str
    """
    from itables import to_html_datatable

    from ._labels import numeric_for_sorting

    html = to_html_datatable(
        numeric_for_sorting(df),
        caption=caption,
        connected=False,
        maxBytes=max_bytes,
        showIndex=False,
        text_in_header_can_be_selected=False,
        css=SORT_ARROW_CSS,
    )
    match = re.search(r'<table id="([^"]+)"', html)
    if match is None:  # pragma: no cover - itables always writes a table id
        return html
    return html + _SCRIPT % {"id": json.dumps(match.group(1)), "label": json.dumps(caption)}
