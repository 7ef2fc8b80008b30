"""analysis.data.ingest: raw files read as values, with the file's own row numbers and problems.

Small files are written per test; a CSV is streamed in chunks, so each test reads every chunk
(:func:`values`) before looking at ``failures``, which are complete only then.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis.data import ingest
from analysis.data.ingest import FAILURE_COLUMNS, failure, file_failure, read_raw

EXPECTED = ("region", "unit", "pct_yes", "n")


def csv_file(tmp_path: Path, data: bytes | str, name: str = "key_questions.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def values(raw) -> tuple[list[list[dict]], list[list[int]]]:
    """Every chunk's records and row numbers."""
    chunks = list(raw.frames())
    return [f.to_dict("records") for f, _ in chunks], [rows for _, rows in chunks]


def checks(raw) -> list[tuple]:
    return [(f["row"], f["column"], f["check"], f["severity"]) for f in raw.failures]


def read(path: Path):
    return read_raw(path, f"published/{path.name}", EXPECTED)


def test_a_failure_record_is_a_row_of_the_failures_table():
    found = failure("published/figures.csv", 4, "value", 12.5, "number", "a number")
    assert list(found) == FAILURE_COLUMNS
    assert found == {
        "file": "published/figures.csv",
        "row": 4,
        "column": "value",
        "value": "12.5",  # values are kept as text, as the user typed them
        "check": "number",
        "expected": "a number",
        "severity": "error",
    }
    whole = file_failure("published/figures.csv", "file_present", "the file", "warning")
    assert (whole["row"], whole["column"], whole["value"], whole["severity"]) == (
        None,
        None,
        None,
        "warning",
    )


# --- CSV ------------------------------------------------------------------------------------------
def test_csv_values_come_back_as_text_with_file_line_numbers(tmp_path):
    data = "\ufeffRegion, Unit ,Pct Yes,N\nWales,Gwent,70%,20\n\n,,,\nWales,Dyfed Powys,25,20\n"
    raw = read(csv_file(tmp_path, data))
    records, rows = values(raw)
    assert raw.names == ["region", "unit", "pct_yes", "n"]
    assert records == [
        [
            {"region": "Wales", "unit": "Gwent", "pct_yes": "70%", "n": "20"},
            {"region": "Wales", "unit": "Dyfed Powys", "pct_yes": "25", "n": "20"},
        ]
    ]
    assert rows == [[2, 5]]  # blank lines are skipped, never renumbered
    assert raw.n_rows == 2 and raw.failures == []


def test_a_large_csv_is_read_in_chunks_numbered_as_one_file(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 2)
    lines = "".join(f"Wales,PDU {i},{i},20\n" for i in range(5))
    raw = read(csv_file(tmp_path, "region,unit,pct_yes,n\n" + lines))
    records, rows = values(raw)
    assert rows == [[2, 3], [4, 5], [6]]
    assert [r["unit"] for chunk in records for r in chunk] == [f"PDU {i}" for i in range(5)]
    assert raw.n_rows == 5


def test_a_row_of_the_wrong_length_is_reported_and_left_out(tmp_path):
    raw = read(csv_file(tmp_path, "region,unit,pct_yes,n\nWales,Gwent,70\nWales,Gwent,70,20\n"))
    _, rows = values(raw)
    assert rows == [[3]]
    assert raw.failures == [
        failure(
            "published/key_questions.csv",
            2,
            None,
            "3 values",
            "row_length",
            "4 values, one per header column; check for an unquoted comma or a missing value",
        )
    ]


def test_empty_cells_beyond_the_header_are_not_read_as_in_analysis_rate(tmp_path):
    text = "region,unit,pct_yes,n\nWales,Gwent,70,20,,\nWales,Dyfed,71,20, ,\nWales,Café,7,20,x\n"
    raw = read(csv_file(tmp_path, text))
    records, rows = values(raw)
    assert rows == [[2, 3]]
    assert [r["unit"] for chunk in records for r in chunk] == ["Gwent", "Dyfed"]
    [found] = [f for f in raw.failures if f["check"] == "row_length"]
    assert (found["row"], found["value"]) == (4, "5 values")  # a value beyond: refused


def test_a_last_line_cut_short_reads_as_truncated(tmp_path):
    raw = read(csv_file(tmp_path, "region,unit,pct_yes,n\nWales,Gwent,70,20\nWales,Dyf"))
    values(raw)
    [found] = raw.failures
    assert (found["row"], found["value"], found["check"]) == (3, "2 values", "row_length")
    assert found["expected"].endswith("the last line stops part-way, so the file looks truncated")


def test_a_column_named_twice_is_an_error_and_an_unnamed_one_is_dropped(tmp_path):
    raw = read(csv_file(tmp_path, "region,n,,n\nWales,20,x,21\n"))
    records, _ = values(raw)
    assert records == [[{"region": "Wales", "n": "20"}]]  # the first of the two is kept
    assert checks(raw) == [(1, "n", "duplicate_column", "error")]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "a header row and data rows; the file is empty (0 bytes)"),
        (b"  \n\n", "a header row and data rows; the file holds only blank space"),
        (b",,,\n,,\n", "a header row and data rows; the file holds only separators and no values"),
    ],
    ids=["zero-bytes", "blank", "only-commas"],
)
def test_files_with_no_values(tmp_path, data, words):
    raw = read(csv_file(tmp_path, data))
    assert values(raw) == ([], [])
    assert [(f["check"], f["expected"]) for f in raw.failures] == [("file_not_empty", words)]


def test_a_file_that_is_not_clean_csv_part_way_is_read_again_whole(tmp_path, monkeypatch):
    """A NUL byte on line 4, after the first chunk was read: reported at that line."""
    monkeypatch.setattr(ingest, "CHUNK_ROWS", 1)
    data = b"region,unit,pct_yes,n\nWales,Gwent,70,20\nWales,Gwent,70,20\nWales,Gw\x00ent,70,20\n"
    raw = read(csv_file(tmp_path, data))
    values(raw)
    assert checks(raw) == [(4, None, "control_character", "error")]
    assert "a NUL byte (U+0000) on line 4" in raw.failures[0]["expected"]


def test_an_unclosed_quote_is_a_syntax_error(tmp_path):
    raw = read(csv_file(tmp_path, 'region,unit,pct_yes,n\nWales,"Gwent,70,20\n'))
    values(raw)
    assert [f["check"] for f in raw.failures] == ["csv_syntax"]
    assert "a quote is not closed: the file may be truncated" in raw.failures[0]["expected"]


def test_a_path_that_cannot_be_opened_is_reported_not_raised(tmp_path):
    (tmp_path / "key_questions.csv").mkdir()
    raw = read(tmp_path / "key_questions.csv")
    assert raw.frame is None and raw.chunks is None
    assert [f["check"] for f in raw.failures] == ["file_readable"]
    assert raw.failures[0]["expected"] == (
        "a file the build can read; reading it failed: Is a directory"
    )


# --- parquet and Excel ----------------------------------------------------------------------------
def test_parquet_values_come_back_as_objects_with_none_for_missing(tmp_path):
    path = tmp_path / "key_questions.parquet"
    pd.DataFrame({"Region": ["Wales", "Wales"], "N": [20.0, None]}).to_parquet(path)
    raw = read(path)
    records, _ = values(raw)
    assert records == [[{"region": "Wales", "n": 20.0}, {"region": "Wales", "n": None}]]


def workbook(tmp_path: Path, rows: list[list], **sheets) -> tuple[Workbook, Path]:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    for title, state in sheets.items():
        wb.create_sheet(title).sheet_state = state
    path = tmp_path / "key_questions.xlsx"
    wb.save(path)
    return wb, path


def test_title_rows_above_the_header_are_skipped_with_a_warning(tmp_path):
    _, path = workbook(
        tmp_path,
        [
            ["York PDU key questions"],
            [],
            ["region", "unit", "pct_yes", "n"],
            ["Y&H", "York", 70, 20],
        ],
    )
    raw = read(path)
    records, rows = values(raw)
    assert records == [[{"region": "Y&H", "unit": "York", "pct_yes": 70, "n": 20}]]
    assert rows == [[4]]  # the spreadsheet's own row number
    assert checks(raw) == [(3, None, "title_rows", "warning")]
    assert raw.failures[0]["expected"] == (
        "the header in row 1; 2 title row(s) above the header in row 3 were skipped"
    )


def test_a_percent_formatted_cell_reads_as_excel_shows_it(tmp_path):
    wb, path = workbook(tmp_path, [["region", "unit", "pct_yes", "n"], ["Y&H", "York", 0.7, 20]])
    wb.active["C2"].number_format = "0%"
    wb.save(path)
    records, _ = values(read(path))
    assert records[0][0]["pct_yes"] == "70.0%"


def test_merged_cells_and_formulas_without_values_are_errors(tmp_path):
    wb, path = workbook(
        tmp_path,
        [["region", "unit", "pct_yes", "n"], ["Y&H", "York", 70, 20], ["Y&H", "Leeds", "=C2", 20]],
    )
    wb.active.merge_cells("A2:A3")
    wb.save(path)
    raw = read(path)
    values(raw)
    assert checks(raw) == [
        (2, None, "merged_cells", "error"),
        (3, "pct_yes", "formula_value", "error"),
    ]
    assert raw.failures[0]["value"] == "A2:A3" and raw.failures[1]["value"] == "=C2"


def test_a_hidden_sheet_is_not_read_and_is_noted(tmp_path):
    _, path = workbook(
        tmp_path, [["region", "unit", "pct_yes", "n"], ["Y&H", "York", 70, 20]], Notes="hidden"
    )
    raw = read(path)
    assert len(values(raw)[0][0]) == 1
    assert raw.failures[0]["check"] == "hidden_sheet"
    assert (
        raw.failures[0]["expected"] == "visible sheets only; hidden sheet(s) 'Notes' were not read"
    )


def test_a_sheet_without_the_header_names_the_columns_looked_for(tmp_path):
    _, path = workbook(tmp_path, [["a", "b"], [1, 2]])
    raw = read(path)
    assert values(raw) == ([], [])
    assert raw.failures[0]["check"] == "header_row"
    assert raw.failures[0]["expected"] == (
        "a header row naming the columns (region, unit, pct_yes, n, ...) within the first 20 "
        "rows of sheet 'Sheet'"
    )
