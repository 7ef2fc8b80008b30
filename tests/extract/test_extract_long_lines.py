"""End to end, ``analysis.extract.extract_reports`` on files with very long lines: reading stays
linear in the size of the file through every stage (reader, normalisation, layouts, prose)."""

from __future__ import annotations

import time

import pytest

from analysis.extract import extract_reports

from .conftest import FIXTURES, YORK


@pytest.mark.parametrize("filler", [" " * 200_000, "\t " * 100_000, "word " * 40_000])
def test_reading_is_linear_on_long_lines(seeds, tmp_path, filler):
    for source in (YORK, FIXTURES / "pdu-web.html", FIXTURES / "pdu-press.txt"):
        text = source.read_text(encoding="utf-8")
        cut = text.index("\n", len(text) // 3) + 1
        path = tmp_path / f"long{source.suffix}"
        path.write_text(text[:cut] + filler + "\n" + text[cut:], encoding="utf-8")
        start = time.perf_counter()
        result = extract_reports([path], write=False, progress=False, jobs=1)
        # a backtracking pattern takes minutes here (50,000 spaces once took 37 s)
        assert time.perf_counter() - start < 20
        assert result.files["status"].tolist() == ["ok"]
