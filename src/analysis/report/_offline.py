"""The interactive-table library's offline loader on exported pages: only where used, compressed.

In a notebook, ``itables.init_notebook_mode(connected=False)`` displays a loader holding the
whole DataTables bundle (itables' ``dt_bundle.js``, already minified, and ``dt_bundle.css``,
MIT licence) base64-encoded: about 1 MB, on every page that calls it. At export:

- a page with no interactive table gets no loader (:func:`uses_tables`);
- a page with one gets the same bundle gzip-compressed before base64 (a quarter of its size),
  unpacked by the browser's own ``DecompressionStream`` (every current browser) when the page
  opens, and announced exactly as the library's loader announces it
  (the promise ``window._itables_<version>``, the ``itables-<version>-ready`` event; the rest
  of the loader's output is kept), so pages stay
  self-contained and work offline (:func:`lighter_loader`).

The bundle's bytes are not changed: compression is lossless, and its licence header stays in it.
"""

from __future__ import annotations

import base64
import gzip
import re

__all__ = ["is_loader", "uses_tables", "lighter_loader"]

_MARK = "_itables_"
_GLOBAL = re.compile(r"window\.(_itables_\w+)")
_EVENT = re.compile(r'new Event\("([\w.-]+)"\)')
_BLOCK = re.compile(r"<script>\s*function injectCSS.*?</script>", re.S)
_CSS = re.compile(r'injectCSS\("([A-Za-z0-9+/=]+)"\)')
_JS = re.compile(r'injectModule\("([A-Za-z0-9+/=]+)"\)')

_LOADER = """<script>
(function () {
  function unpack(packed) {
    var bytes = Uint8Array.from(atob(packed), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  if (window.%(name)s) { return; }
  // the stylesheet first, as the library's loader does, then the module
  window.%(name)s = unpack("%(css)s").then(function (css) {
    var style = document.createElement("style");
    style.textContent = css;
    document.head.appendChild(style);
    return unpack("%(js)s");
  }).then(function (js) {
    var url = URL.createObjectURL(new Blob([js], { type: "application/javascript" }));
    return import(url).then(function (module) { URL.revokeObjectURL(url); return module; });
  });
  window.%(name)s.then(function () {
    window.dispatchEvent(new Event("%(event)s"));
  });
})();
</script>"""


def is_loader(html: str) -> bool:
    """Whether an output's HTML is the library's offline loader (the bundle, no table)."""
    return _MARK in html and "<table" not in html


def uses_tables(htmls) -> bool:
    """Whether any of these outputs' HTML is an interactive table that needs the loader."""
    return any(_MARK in html and "<table" in html for html in htmls)


def _packed(encoded: str) -> str:
    data = base64.b64decode(encoded)
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


def lighter_loader(html: str) -> str:
    """The loader with its bundle compressed; ``html`` unchanged if it is not one we know."""
    block = _BLOCK.search(html)
    if block is None:
        return html
    found = [r.search(block.group()) for r in (_CSS, _JS, _GLOBAL, _EVENT)]
    if any(f is None for f in found):
        return html
    css, js, name, event = (f.group(1) for f in found)
    script = _LOADER % {"css": _packed(css), "js": _packed(js), "name": name, "event": event}
    return html[: block.start()] + script + html[block.end() :]
