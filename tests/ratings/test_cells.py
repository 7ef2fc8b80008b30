"""analysis.ratings._cells: the cells of a CSV or .xlsx table as text, numbered as a spreadsheet
numbers its rows, and the files it refuses.

(What ``analysis rate`` says of each refused file is checked case by case in
test_rate_bad_inputs.py; here, what ``read_cells`` returns.)
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from analysis.exceptions import InputDataError, InputDataWarning
from analysis.ratings._cells import read_cells
from tests.ratings.test_rate_bad_inputs import _xlsx


def _csv(tmp_path, text: str, name: str = "t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def test_header_and_rows_with_their_line_numbers(tmp_path):
    path = _csv(
        tmp_path, ',,\n, ,\nunit,standard,n\nYork,Assessment,"1,000"\n\nSelby,Planning,20\n'
    )
    header, rows = read_cells(path)
    # rows of empty cells (above the header or below it) are skipped; rows keep their numbers
    assert header == ["unit", "standard", "n"]
    assert rows == [(4, ["York", "Assessment", "1,000"]), (6, ["Selby", "Planning", "20"])]


def test_a_byte_order_mark_is_not_part_of_the_first_header(tmp_path):
    header, _ = read_cells(_csv(tmp_path, "\ufeffunit,n\nYork,20\n"))
    assert header == ["unit", "n"]


def test_short_rows_are_read_and_rows_of_empty_cells_may_be_wider(tmp_path):
    _, rows = read_cells(_csv(tmp_path, "unit,standard,n\nYork\n,,,,\nSelby,Planning,20\n"))
    assert rows == [(2, ["York"]), (4, ["Selby", "Planning", "20"])]


def test_blank_lines_above_the_header_are_skipped_as_in_a_workbook(tmp_path):
    # the first physical line is blank (not a row of commas): the header is on line 3
    text = "\n\nunit,standard,area,pct_yes,n\nYork,Assessment,engagement,70,20\n"
    header, rows = read_cells(_csv(tmp_path, text))
    assert header == ["unit", "standard", "area", "pct_yes", "n"]
    assert rows == [(4, ["York", "Assessment", "engagement", "70", "20"])]
    path = tmp_path / "t.xlsx"
    path.write_bytes(_xlsx([[None], [None], header, rows[0][1]]))
    assert read_cells(path) == (header, rows)


def test_below_blank_lines_a_row_wider_than_the_header_is_named_by_its_line(tmp_path):
    with pytest.raises(
        InputDataError, match=r"t.csv, row 4: 3 values but the header has 2 columns \(a stray"
    ):
        read_cells(_csv(tmp_path, "\n\nunit,n\nYork,20,5\n"))


def test_below_blank_lines_semicolons_are_named_at_the_header(tmp_path):
    with pytest.raises(
        InputDataError,
        match=r"t.csv, line 2: expected values separated by commas; this file separates them "
        r"with semicolons",
    ):
        read_cells(_csv(tmp_path, "\nunit;n\nYork;20\n"))


def test_empty_cells_beyond_the_header_are_read_as_nothing(tmp_path):
    # as Excel may save a CSV: trailing empty (or blank) cells past the header's columns
    header, rows = read_cells(_csv(tmp_path, "unit,standard,n\nYork,Planning,20,,\nSelby,,, ,\n"))
    assert header == ["unit", "standard", "n"]
    assert rows == [(2, ["York", "Planning", "20", "", ""]), (3, ["Selby", "", "", " ", ""])]


def test_a_value_beyond_the_header_is_refused_even_after_empty_cells(tmp_path):
    with pytest.raises(InputDataError, match=r"t.csv, row 2: 5 values but the header has 3"):
        read_cells(_csv(tmp_path, "unit,standard,n\nYork,Planning,20,,x\n"))


def test_a_header_with_only_empty_rows_below_is_refused(tmp_path):
    with pytest.raises(InputDataError, match=r"t.csv: the file has a header only"):
        read_cells(_csv(tmp_path, "unit,n\n,\n , \n"))


def test_a_utf16_file_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("unit,n\nYork,20\n".encode("utf-16"))
    with pytest.raises(InputDataError, match=r"t.csv: expected UTF-8 text; the file is UTF-16"):
        read_cells(path)


@pytest.mark.parametrize("suffix", [".ods", ".numbers"])
def test_other_spreadsheet_formats_are_refused(tmp_path, suffix):
    path = tmp_path / f"t{suffix}"
    path.write_bytes(b"anything")
    with pytest.raises(InputDataError, match=f"{suffix} files are not read; save it as .xlsx"):
        read_cells(path)


def test_xlsx_cells_are_read_as_the_user_sees_them(tmp_path):
    rows = [
        ["unit", "pct_yes", "n", "share", "checked", "note"],
        ["York", 0.7, 20, 1 / 3, True, None],
        ["Selby", 65, 20.0, 0.125, False, "see p. 12"],
    ]
    path = tmp_path / "t.xlsx"
    path.write_bytes(_xlsx(rows, percent_cells=["B2"]))
    header, body = read_cells(path)
    assert header == rows[0]
    # 0.7 shown as a percentage is 70%; other numbers as stored, to 15 significant digits
    assert body == [
        (2, ["York", "70.0%", "20", "0.333333333333333", "True", ""]),
        (3, ["Selby", "65", "20", "0.125", "False", "see p. 12"]),
    ]


def test_a_hidden_sheet_is_never_read(tmp_path):
    book = Workbook()
    book.active.title = "old"
    book.active.append(["unit", "n"])
    book.active.append(["Hidden", 1])
    book.active.sheet_state = "hidden"
    shown = book.create_sheet("table")
    shown.append(["unit", "n"])
    shown.append(["York", 20])
    path = tmp_path / "t.xlsx"
    book.save(path)
    with pytest.warns(InputDataWarning, match="hidden sheet\\(s\\) 'old' were not read"):
        assert read_cells(path) == (["unit", "n"], [(2, ["York", "20"])])
