"""A build that reads CSV files in chunks gives what a build reading them whole gives.

The chunk size is forced small (13 rows) on the small sample, so every case file is read in
about 50 chunks; tables, warnings and every error (file, row, column, value) must be the same as
with chunks larger than any file.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.data import ingest
from analysis.data.build import build
from analysis.exceptions import ValidationFailed

CHUNK = 13
"""Rows per chunk in the chunked builds (a whole build reads every file as one chunk)."""


def _tables(folder):
    return {p.name: pd.read_parquet(p) for p in sorted(folder.glob("*.parquet"))}


def _failures(raw, processed, monkeypatch, chunk_rows: int) -> pd.DataFrame:
    monkeypatch.setattr(ingest, "CHUNK_ROWS", chunk_rows)
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw, processed_dir=processed)
    return info.value.failures


def test_chunked_build_writes_the_same_tables(small_raw_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 10**9)
    whole = build(raw_dir=small_raw_dir, processed_dir=tmp_path / "whole")
    monkeypatch.setattr(ingest, "CHUNK_ROWS", CHUNK)
    chunked = build(raw_dir=small_raw_dir, processed_dir=tmp_path / "chunked")
    assert chunked.rows == whole.rows
    pd.testing.assert_frame_equal(chunked.files, whole.files)
    pd.testing.assert_frame_equal(chunked.warnings, whole.warnings)
    a, b = _tables(tmp_path / "whole"), _tables(tmp_path / "chunked")
    assert a.keys() == b.keys() and "cases.parquet" in a
    for name in a:
        pd.testing.assert_frame_equal(b[name], a[name], obj=name)
    manifests = [
        json.loads((tmp_path / f / "manifest.json").read_text()) for f in ("whole", "chunked")
    ]
    for m in manifests:
        m.pop("built_at")
    assert manifests[0] == manifests[1]


def _break_cases(raw) -> None:
    """Bad values spread over the case file: chunks of 13 rows see one, several or none."""
    path = raw / "synthetic" / "cases.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    rosh, date, kq = (header.index(c) for c in ("rosh", "fieldwork_start", "planning_engagement"))
    for at, col, value in (
        (3, rosh, "extreme"),
        (17, date, "31/31/2023"),
        (18, rosh, "extreme"),
        (40, kq, "#N/A"),
        (41, kq, "ye\x07s"),
        (len(lines) - 2, rosh, "Very High"),
    ):
        cells = lines[at].rstrip("\n").split(",")
        cells[col] = value
        lines[at] = ",".join(cells) + "\n"
    lines[25] = ",".join(lines[25].split(",")[:5]) + "\n"  # a short row
    path.write_text("".join(lines), encoding="utf-8")


def test_chunked_build_reports_the_same_errors(raw_copy, tmp_path, monkeypatch):
    _break_cases(raw_copy)
    # the short row is a reading error: the file is not parsed, whichever the chunk size
    whole = _failures(raw_copy, tmp_path / "a", monkeypatch, 10**9)
    chunked = _failures(raw_copy, tmp_path / "b", monkeypatch, CHUNK)
    pd.testing.assert_frame_equal(chunked, whole)
    assert "row_length" in set(whole["check"])
    # without it, the values themselves are reported, row by row, in the same order
    path = raw_copy / "synthetic" / "cases.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:25] + lines[26:]), encoding="utf-8")
    whole = _failures(raw_copy, tmp_path / "c", monkeypatch, 10**9)
    chunked = _failures(raw_copy, tmp_path / "d", monkeypatch, CHUNK)
    pd.testing.assert_frame_equal(chunked, whole)
    cases = whole[whole["file"] == "synthetic/cases.csv"]
    assert {"allowed_value", "date", "spreadsheet_error", "control_character"} <= set(
        cases["check"]
    )
    assert (cases[cases["value"] == "extreme"]["row"].tolist()) == [4, 19]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:-40] + b"\xe9" + b[-40:], id="not-utf8-near-the-end"),
        pytest.param(lambda b: b[:-40] + b"\x00" + b[-40:], id="nul-near-the-end"),
        pytest.param(lambda b: b[:-30] + b'"' + b[-30:-1], id="open-quote-truncated"),
        pytest.param(lambda b: b[:-25], id="truncated-last-line"),
    ],
)
def test_problems_found_part_way_are_reported_as_for_a_whole_file(
    raw_copy, tmp_path, monkeypatch, damage
):
    path = raw_copy / "synthetic" / "cases.csv"
    path.write_bytes(damage(path.read_bytes()))
    whole = _failures(raw_copy, tmp_path / "a", monkeypatch, 10**9)
    chunked = _failures(raw_copy, tmp_path / "b", monkeypatch, CHUNK)
    pd.testing.assert_frame_equal(chunked, whole)
    assert (whole["file"] == "synthetic/cases.csv").any()
