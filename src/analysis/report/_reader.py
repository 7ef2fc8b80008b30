"""The nbconvert preprocessor behind :mod:`analysis.report` (reader-grade HTML).

It removes what readers must not see (parameters cells, code, streams, developer reprs,
widget state), finds what the page needs (title, headings for the table of contents, tables,
figures, headline, synthetic-data marks, failures) and puts it in ``resources["reader"]`` for
the ``reader`` template.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape
from html.parser import HTMLParser

from nbconvert.preprocessors import Preprocessor
from traitlets import Instance, Unicode

from ._offline import is_loader, lighter_loader, uses_tables
from .run_provenance import RunProvenance
from .summaries.words import human_time

HIDDEN_TAGS = frozenset(
    {
        "parameters",
        "injected-parameters",
        "remove-cell",
        "remove_cell",
        "papermill-error-cell-tag",
    }
)
"""Cells with any of these tags are dropped from the report (papermill's error markers too:
the page has its own failure box)."""

NOT_THE_AUTHORS = frozenset({"injected-parameters", "papermill-error-cell-tag"})
"""Cells the runner adds: not counted when a failed cell is numbered as the author sees it."""

READER_MIMETYPES = ("text/html", "image/png", "text/markdown")
"""Output types a reader sees; anything else (plain reprs, widgets, scripts) is dropped."""

RESERVED_IDS = frozenset(
    {
        "title",
        "main",
        "main-points",
        "contents-heading",
        "about-this-report",
        "synthetic-data-banner",
        "run-failed-banner",
        "provenance-parameters",
        "provenance-data",
        "provenance-tables",
    }
)

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_MARKUP = re.compile(r"[*_`]|\[([^\]]*)\]\([^)]*\)")


def slugify(text: str) -> str:
    """Lower-case id from heading text: letters and digits, words joined by '-'.

    >>> slugify("Ratings by standard: region beside national")
    'ratings-by-standard-region-beside-national'
    """
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


def plain_heading(text: str) -> str:
    """Heading text without inline markdown (emphasis, code, links)."""
    return _INLINE_MARKUP.sub(lambda m: m.group(1) or "", text).strip()


def _for_readers(kind: str, data: dict, metadata: dict) -> bool:
    """Whether an output belongs in the report.

    Outputs made by :mod:`analysis.report` helpers always do. Otherwise a bare expression's
    value (a developer repr) does not; nor does an HTML table without its CSV (every table a
    reader sees must have one); the interactive-table library's offline loader does.
    """
    if any(key.startswith("analysis/") for key in metadata):
        return True
    html = data.get("text/html", "")
    if "_itables_" in html and "<table" not in html:
        return True
    if kind == "execute_result":
        return False
    return "<table" not in html and "<script" not in html


def _html(output) -> str:
    html = output.get("data", {}).get("text/html", "")
    return "".join(html) if isinstance(html, list) else html


def _table_loader(cells: list) -> list:
    """Cells with the interactive-table loader compressed, or left out if no table uses it."""
    code = [c for c in cells if c.cell_type == "code"]
    needed = uses_tables(_html(o) for c in code for o in c.outputs)
    out = []
    for cell in cells:
        if cell.cell_type == "code":
            kept = []
            for output in cell.outputs:
                if is_loader(_html(output)):
                    if not needed:
                        continue
                    output["data"]["text/html"] = lighter_loader(_html(output))
                kept.append(output)
            cell.outputs = kept
            if not kept:
                continue
        out.append(cell)
    return out


class ReaderPreprocessor(Preprocessor):
    """Prepare an executed notebook for the ``reader`` template."""

    provenance = Instance(RunProvenance, args=(), help="The run shown in the footer.").tag(
        config=True
    )
    tables_href = Unicode("tables", help="Relative folder of the CSV tables.").tag(config=True)
    css = Unicode("", help="Inline stylesheet.").tag(config=True)

    def preprocess(self, nb, resources):
        self._ids: set[str] = set(RESERVED_IDS)
        self._toc: list[dict] = []
        self._title: str | None = None
        self._tables: list[dict] = []
        self._headline: str | None = None
        self._synthetic = self.provenance.synthetic
        self._failure: str | None = None
        self._main_points: list[str] | None = None
        cells, number = [], 0
        for cell in nb.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if not NOT_THE_AUTHORS & tags:
                number += 1  # the cell's place in the notebook as written, from 1
            if HIDDEN_TAGS & tags:
                continue
            index = number
            if cell.cell_type == "markdown":
                cell.source = self._markdown(cell.source)
            elif cell.cell_type == "code":
                cell.source = ""
                cell.outputs = [o for o in (self._output(o, index) for o in cell.outputs) if o]
                if not cell.outputs:
                    continue
            cells.append(cell)
        nb.cells = _table_loader(cells)
        nb.metadata.pop("widgets", None)
        resources["reader"] = self._reader(nb)
        return nb, resources

    # --- markdown ---------------------------------------------------------------------------
    def _unique_id(self, text: str) -> str:
        base = slugify(text)
        candidate, number = base, 2
        while candidate in self._ids:
            candidate, number = f"{base}-{number}", number + 1
        self._ids.add(candidate)
        return candidate

    def _markdown(self, source: str) -> str:
        lines, fenced = [], False
        for line in source.splitlines():
            if _FENCE.match(line):
                fenced = not fenced
            match = None if fenced else _HEADING.match(line)
            if not match:
                lines.append(line)
                continue
            level, text = len(match.group(1)), plain_heading(match.group(2))
            if level == 1 and self._title is None:
                self._title = text
                continue
            level = max(level, 2)
            anchor = self._unique_id(text)
            if level <= 3:
                self._toc.append({"level": level, "id": anchor, "text": text})
            lines.extend(["", f'<h{level} id="{anchor}">{escape(text)}</h{level}>', ""])
        return "\n".join(lines)

    # --- outputs ----------------------------------------------------------------------------
    def _output(self, output, index: int):
        kind = output.get("output_type")
        if kind == "error":
            output["cell_number"] = index
            self._failure = self._failure or (
                f"Cell {index} of the notebook stopped with {output.get('ename')}: "
                f"{_first_line(output.get('evalue'))}"
            )
            return output
        if kind not in ("display_data", "execute_result"):
            return None
        metadata = output.get("metadata", {})
        if metadata.get("analysis/synthetic"):
            self._synthetic = True
        if metadata.get("analysis/main_points"):
            # shown once, at the top of the page; the first is the index card's headline
            if self._main_points is None:
                self._main_points = [str(p) for p in metadata["analysis/main_points"]]
            return None
        if metadata.get("analysis/headline"):
            # shown once, at the top of the page (and on the index)
            self._headline = self._headline or str(metadata["analysis/headline"])
            return None
        data = {k: v for k, v in output.get("data", {}).items() if k in READER_MIMETYPES}
        if not data or not _for_readers(kind, data, metadata):
            return None
        output["data"] = data
        if "analysis/table" in metadata:
            self._table(metadata["analysis/table"])
        if "image/png" in data:
            self._figure(output)
        return output

    def _table(self, table) -> None:
        name, taken = table["name"], {t["name"] for t in self._tables}
        number = 2
        while name in taken:
            name, number = f"{table['name']}_{number}", number + 1
        table["name"] = name
        table["href"] = f"{self.tables_href}/{name}.csv"
        self._tables.append(
            {
                "name": name,
                "caption": table.get("caption", name),
                "csv": table.get("csv", ""),
                "href": table["href"],
            }
        )

    def _figure(self, output) -> None:
        figure = dict(output.get("metadata", {}).get("analysis/figure") or {})
        if not figure.get("alt"):
            figure["alt"] = "Figure without a description (the notebook gave no alt text)."
        if figure.get("name"):
            figure["id"] = self._unique_id(f"figure-{figure['name']}")
        output.setdefault("metadata", {})["analysis/figure"] = figure

    # --- page -------------------------------------------------------------------------------
    def _contents(self) -> list[dict]:
        """Level-2 headings, each with its level-3 headings as ``children`` (one numbering)."""
        entries: list[dict] = []
        if self._main_points:
            entries.append({"level": 2, "id": "main-points", "text": "Main points", "children": []})
        for entry in self._toc:
            if entry["level"] == 3 and entries:
                entries[-1]["children"].append(entry)
            else:
                entries.append({**entry, "level": 2, "children": []})
        return entries

    def _reader(self, nb) -> dict:
        prov = self.provenance
        parameters = prov.parameters
        if parameters is None:
            parameters = nb.metadata.get("papermill", {}).get("parameters", {}) or {}
        region = prov.region if prov.region is not None else parameters.get("region")
        place = region or "England and Wales (national)"
        base_title = self._title or prov.notebook or "Report"
        status = prov.status or ("failed" if self._failure else "ok")
        failed = status == "failed" or self._failure is not None
        failure = self._failure or prov.error or "The run did not finish."
        now = human_time(prov.finished or datetime.now(UTC).isoformat())
        items = [
            ("Notebook", prov.notebook),
            ("Region", place),
            ("Status", status),
            ("Code version", prov.code_version),
            ("Run started", human_time(prov.started) if prov.started else ""),
            ("Run finished", human_time(prov.finished) if prov.finished else ""),
            ("Kernel", prov.kernel),
            ("Data", "synthetic (simulated)" if self._synthetic else "as listed below"),
        ]
        hashes = prov.data_hashes or {}
        return {
            "title": f"{base_title}: {place}",
            "subtitle": f"Region: {place}. Figures as of {now}.",
            "css": self.css,
            "toc": self._contents(),
            "tables": self._tables,
            "headline": (self._main_points or [self._headline])[0],
            "main_points": self._main_points or [],
            "synthetic": self._synthetic,
            "failed": failed,
            "failure": failure,
            "provenance_items": [(k, str(v)) for k, v in items if v not in ("", None)],
            "parameters": [(k, _parameter_words(k, v)) for k, v in parameters.items()],
            "data_hashes": sorted((str(k), str(v)) for k, v in hashes.items()),
        }


def _first_line(text) -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""


def _parameter_words(name: str, value) -> str:
    """A parameter as a reader reads it: ``None`` says what it means, text has no quotes."""
    if value is None:
        return "national (all regions)" if name == "region" else "not set (the default)"
    return value if isinstance(value, str) else repr(value)


# --- checking a rendered page ---------------------------------------------------------------

_RESOURCE_ATTRS = {"src", "srcset", "poster", "data"}
_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_REMOTE = re.compile(r"(@import\s+|url\(\s*)['\"]?\s*(https?:)?//", re.IGNORECASE)


class _Audit(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.facts = {
            "lang": None,
            "viewport": False,
            "h1": 0,
            "ids": set(),
            "fragment_links": [],
            "links": [],
            "images": [],
            "remote_loads": [],
            "code_blocks": 0,
        }
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        facts = self.facts
        if tag == "html":
            facts["lang"] = attrs.get("lang")
        if tag == "meta" and attrs.get("name") == "viewport":
            facts["viewport"] = True
        if tag == "h1":
            facts["h1"] += 1
        if "id" in attrs:
            facts["ids"].add(attrs["id"])
        if tag == "img":
            facts["images"].append({"alt": attrs.get("alt"), "src": (attrs.get("src") or "")[:40]})
        if tag in ("pre", "code") and "hash" not in (attrs.get("class") or ""):
            facts["code_blocks"] += tag == "pre"
        if "class" in attrs and any(c in attrs["class"] for c in ("jp-InputArea", "input_area")):
            facts["code_blocks"] += 1
        for name in _RESOURCE_ATTRS & attrs.keys():
            if _REMOTE.match(attrs[name] or ""):
                facts["remote_loads"].append(f"<{tag} {name}={attrs[name]}>")
        href = attrs.get("href") or ""
        if tag == "link" and _REMOTE.match(href):
            facts["remote_loads"].append(f"<link href={href}>")
        if tag == "a" and href.startswith("#"):
            facts["fragment_links"].append(href[1:])
        elif tag == "a" and href and not _REMOTE.match(href):
            facts["links"].append(href)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style and _CSS_REMOTE.search(data):
            self.facts["remote_loads"].append("CSS @import/url() of a remote address")


def audit_html(html: str) -> dict:
    """Facts a reader-grade page must satisfy, read from its HTML.

    Returns a dict: lang, viewport, h1 (count), ids, fragment_links, links (relative), images
    (alt and start of src), remote_loads (anything that would fetch from the network), and
    code_blocks (``pre`` elements or notebook input areas).

    >>> facts = audit_html('<html lang="en"><h1 id="t">T</h1><a href="#t">x</a></html>')
    >>> facts["lang"], facts["h1"], facts["fragment_links"], facts["remote_loads"]
    ('en', 1, ['t'], [])
    """
    parser = _Audit()
    parser.feed(html)
    parser.close()
    return parser.facts
