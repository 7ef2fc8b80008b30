"""The table library's offline loader on exported pages: left out where unused, compressed where used."""

from __future__ import annotations

import base64
import gzip
import re

import nbformat
import pytest

from analysis.report._offline import is_loader, lighter_loader, uses_tables
from analysis.report._reader import _table_loader


@pytest.fixture(scope="module")
def loader_html() -> str:
    """The loader itables displays in offline mode (the bundle inline, base64)."""
    pytest.importorskip("itables")
    from itables import options
    from itables.javascript import generate_init_offline_itables_html

    return generate_init_offline_itables_html(options.dt_bundle)


def _payloads(html: str) -> list[bytes]:
    return [base64.b64decode(p) for p in re.findall(r'"([A-Za-z0-9+/=]{1000,})"', html)]


def test_the_compressed_loader_carries_the_same_bundle(loader_html):
    lighter = lighter_loader(loader_html)
    assert is_loader(loader_html) and is_loader(lighter)
    assert len(lighter) < len(loader_html) / 2
    assert [gzip.decompress(p) for p in _payloads(lighter)] == _payloads(loader_html)
    name = re.search(r"window\.(_itables_\w+)", loader_html).group(1)
    event = re.search(r'new Event\("([^"]+)"\)', loader_html).group(1)
    assert f"window.{name} = " in lighter and f'new Event("{event}")' in lighter
    assert "DecompressionStream" in lighter
    assert lighter_loader(lighter) == lighter  # not one it knows: unchanged
    assert lighter_loader("<p>no loader</p>") == "<p>no loader</p>"


def _cell(*htmls):
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": h}) for h in htmls]
    return cell


def test_a_page_without_an_interactive_table_gets_no_loader(loader_html):
    cells = [_cell(loader_html), _cell("<p>A figure</p>"), nbformat.v4.new_markdown_cell("x")]
    kept = _table_loader(cells)
    assert len(kept) == 2
    assert not any(is_loader(o["data"]["text/html"]) for c in kept[:1] for o in c.outputs)


def test_a_page_with_an_interactive_table_gets_the_compressed_loader(loader_html):
    table = '<table id="itables_1"></table><script>window._itables_2_9_1</script>'
    assert uses_tables([table]) and not uses_tables([loader_html])
    kept = _table_loader([_cell(loader_html), _cell(table)])
    html = kept[0].outputs[0]["data"]["text/html"]
    assert html == lighter_loader(loader_html)
    assert kept[1].outputs[0]["data"]["text/html"] == table
