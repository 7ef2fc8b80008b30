"""docs/extraction.md against the extracted tables' contract: every table and column declared
in ``analysis.extract.TABLES`` is documented with its dtype."""

from __future__ import annotations

from analysis import config
from analysis.extract import describe_tables


def test_docs_list_every_table_and_column():
    doc = (config.DOCS_DIR / "extraction.md").read_text(encoding="utf-8")
    for row in describe_tables().itertuples(index=False):
        assert f"### `{row.table}`" in doc, row.table
        assert f"| `{row.column}` | {row.dtype} |" in doc, (row.table, row.column)
