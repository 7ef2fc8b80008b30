"""analysis.io.tables: a CSV file's records, a workbook's one sheet as Excel shows it, and
what its grid hides.

The same rules seen through both commands are in test_tables_both_commands.py; here, what
``CsvRecords``, ``read_sheet`` and ``Sheet.problems`` give, on files written byte by byte and
workbooks written cell by cell.
"""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from analysis.io.tables import CsvRecords, Sheet, TableProblem, csv_file_problem, read_sheet


def _book(tmp_path, rows, edit=None, name="t.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    for row in rows:
        ws.append(row)
    if edit is not None:
        edit(wb, ws)
    path = tmp_path / name
    wb.save(path)
    return path


def _records(tmp_path, data: bytes):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    with CsvRecords(path) as records:
        return records.header(), list(records), records.ends_with_newline


def test_records_are_numbered_as_a_spreadsheet_numbers_rows_and_blank_ones_skipped(tmp_path):
    data = b'\xef\xbb\xbf,,\nunit,note,n\nYork,"two\nlines",20\n, ,\nSelby,,9'
    header, body, ends = _records(tmp_path, data)
    assert header == (2, ["unit", "note", "n"])  # the byte-order mark is not part of it
    assert body == [(3, ["York", "two\nlines", "20"]), (5, ["Selby", "", "9"])]
    assert ends is False  # the last line has no line break: a file cut short looks like this


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "a header row and data rows; the file is empty (0 bytes)"),
        (b" \n\t\n", "a header row and data rows; the file holds only blank space"),
        (b",,\n ,\n", "a header row and data rows; the file holds only separators and no values"),
        (b"unit;n\nYork;20\n", "values separated by commas; this file separates them with semi"),
    ],
)
def test_a_file_without_a_header_says_what_it_holds(tmp_path, data, expected):
    with pytest.raises(TableProblem) as info:
        _records(tmp_path, data)
    assert info.value.expected.startswith(expected)


@pytest.mark.parametrize(
    ("tail", "check", "words"),
    [
        (b"York \xa3,1\n", "utf8_encoding", "byte 0xa3 at line 2002 is not UTF-8"),
        (b"Yo\x00rk,1\n", "control_character", "a NUL byte (U+0000) on line 2002"),
        (b'"York,1\n', "csv_syntax", "a quote is not closed"),
    ],
)
def test_a_problem_found_part_way_is_worded_from_the_whole_file(tmp_path, tail, check, words):
    data = b"unit,n\n" + b"York,1\n" * 2000 + tail
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    with CsvRecords(path) as records:
        records.header()
        with pytest.raises(TableProblem) as info:
            for _ in records:
                pass
    assert (info.value.check, words in info.value.expected) == (check, True)
    assert csv_file_problem(path) == info.value


def test_a_utf16_file_is_named_as_such(tmp_path):
    with pytest.raises(TableProblem, match="the file is UTF-16"):
        _records(tmp_path, "unit,n\nYork,20\n".encode("utf-16"))


ROWS = [["unit", "pct_yes", "n"], ["York", 0.7, 20], ["Selby", 0.55, 9], ["Leeds", 0.8, 30]]


def test_cells_as_excel_shows_them(tmp_path):
    def percent(wb, ws):
        ws["B2"].number_format = "0%"

    sheet = read_sheet(_book(tmp_path, ROWS, percent))
    assert sheet.title == "Data"
    assert sheet.rows[:2] == [["unit", "pct_yes", "n"], ["York", "70.0%", 20]]
    assert sheet.rows[2] == ["Selby", 0.55, 9]  # not formatted as a percentage: as stored
    assert sheet.problems(header_row=1) == []


def test_hidden_rows_below_the_header_warn_and_are_still_read(tmp_path):
    def hide(wb, ws):
        ws.row_dimensions[1].hidden = True  # the header row: not a data row
        ws.row_dimensions[3].hidden = True

    sheet = read_sheet(_book(tmp_path, ROWS, hide))
    assert sheet.hidden_rows == (1, 3) and len(sheet.rows) == 4
    (problem,) = sheet.problems(header_row=1)
    assert (problem.check, problem.severity, problem.line) == ("hidden_rows", "warning", 3)
    assert problem.expected.startswith("every row shown; row(s) 3 are hidden in Excel")


def test_many_hidden_rows_are_named_ten_at_most(tmp_path):
    rows = [["unit", "n"], *[[f"PDU {i}", 20] for i in range(15)]]

    def hide(wb, ws):
        for r in range(2, 17):
            ws.row_dimensions[r].hidden = True

    (problem,) = read_sheet(_book(tmp_path, rows, hide)).problems(header_row=1)
    assert "row(s) 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ... are hidden" in problem.expected


def test_merged_cells_are_an_error_below_the_header_only(tmp_path):
    def merge(wb, ws):
        ws.insert_rows(1)
        ws["A1"] = "Inspection figures"
        ws.merge_cells("A1:C1")  # a title above the header: harmless
        ws.merge_cells("A3:A4")

    sheet = read_sheet(_book(tmp_path, ROWS, merge))
    assert sheet.merged == ((1, "A1:C1"), (3, "A3:A4"))
    (problem,) = sheet.problems(header_row=2)
    assert (problem.check, problem.severity, problem.line, problem.value) == (
        "merged_cells",
        "error",
        3,
        "A3:A4",
    )


def test_a_formula_without_a_saved_result_is_named_by_its_cell(tmp_path):
    def formula(wb, ws):
        ws["B3"] = "=B2*2"

    sheet = read_sheet(_book(tmp_path, ROWS, formula))
    assert sheet.rows[2][1] is None and sheet.formulas == {(3, 1): "=B2*2"}
    (problem,) = sheet.problems(header_row=1)
    assert (problem.check, problem.line, problem.column, problem.value) == (
        "formula_value",
        3,
        1,
        "=B2*2",
    )
    assert sheet.problems(header_row=3) == []  # above the table's header: not its data


def test_a_hidden_sheet_is_a_warning_and_never_read(tmp_path):
    def hidden(wb, ws):
        old = wb.create_sheet("Old", 0)
        old.append(["unit", "n"])
        old.append(["Hidden", 1])
        old.sheet_state = "hidden"

    sheet = read_sheet(_book(tmp_path, ROWS, hidden))
    assert sheet.title == "Data" and sheet.hidden_sheets == ("Old",)
    (problem,) = sheet.problems(header_row=1)
    assert (problem.check, problem.severity) == ("hidden_sheet", "warning")
    assert problem.expected == "visible sheets only; hidden sheet(s) 'Old' were not read"


def test_an_empty_visible_sheet_beside_a_hidden_table_is_refused(tmp_path):
    def hide_the_table(wb, ws):
        ws.sheet_state = "hidden"
        wb.create_sheet("Sheet2")
        wb.create_sheet("Old").sheet_state = "hidden"

    with pytest.raises(TableProblem) as err:
        read_sheet(_book(tmp_path, ROWS, hide_the_table))
    assert err.value.check == "hidden_sheet"
    assert err.value.expected == (
        "the table on a visible sheet; sheet 'Sheet2' is empty and hidden sheet(s) 'Data', "
        "'Old' were not read. Unhide the sheet that holds the table"
    )


def test_a_second_visible_sheet_holding_data_is_refused(tmp_path):
    def second(wb, ws):
        wb.create_sheet("Notes").append(["checked"])

    with pytest.raises(TableProblem) as err:
        read_sheet(_book(tmp_path, ROWS, second))
    assert err.value.check == "first_sheet_only" and "'Notes'" in err.value.expected


def test_a_damaged_workbook_is_named(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(TableProblem) as err:
        read_sheet(path)
    assert err.value.check == "xlsx_readable"
    assert err.value.expected.startswith("a readable .xlsx workbook; opening failed")


def test_problems_come_warnings_first_then_errors_in_row_order():
    sheet = Sheet(
        "Data",
        [["unit"], [None], [None], ["x"]],
        hidden_sheets=("Old",),
        hidden_rows=(4,),
        merged=((3, "A3:A4"),),
        formulas={(2, 0): "=1"},
    )
    found = [(p.check, p.severity, p.line) for p in sheet.problems(header_row=1)]
    assert found == [
        ("hidden_sheet", "warning", None),
        ("hidden_rows", "warning", 4),
        ("formula_value", "error", 2),
        ("merged_cells", "error", 3),
    ]


def _rows(n):
    return [["unit", "n"], *[[f"PDU {i}", 20] for i in range(n)]]


@pytest.mark.parametrize(
    ("hidden", "named"), [(10, "2, 3, 4, 5, 6, 7, 8, 9, 10, 11 are"), (11, "10, 11, ... are")]
)
def test_ten_hidden_rows_are_all_named_and_an_eleventh_is_an_ellipsis(tmp_path, hidden, named):
    def hide(wb, ws):
        for r in range(2, 2 + hidden):
            ws.row_dimensions[r].hidden = True

    (problem,) = read_sheet(_book(tmp_path, _rows(hidden), hide)).problems(header_row=1)
    assert f"row(s) {', '.join(str(r) for r in range(2, 12))}" in problem.expected
    assert named in problem.expected


def test_a_hidden_last_row_counts_and_rows_shown_or_past_the_data_do_not(tmp_path):
    def rows(wb, ws):
        ws.row_dimensions[2].height = 30  # a row with its own size, not hidden
        ws.row_dimensions[4].hidden = True  # the last row of the table
        ws.row_dimensions[40].hidden = True  # an empty row far below

    assert read_sheet(_book(tmp_path, ROWS, rows)).hidden_rows == (4,)


@pytest.mark.parametrize(
    ("cells", "reported"),
    [("B1:C1", False), ("A1:A2", True), ("A2:B2", True)],  # header only; header and below
)
def test_merged_cells_touching_the_data_rows_are_errors(tmp_path, cells, reported):
    sheet = read_sheet(_book(tmp_path, ROWS, lambda wb, ws: ws.merge_cells(cells)))
    assert [p.value for p in sheet.problems(header_row=1)] == ([cells] if reported else [])


def test_every_sentence_in_full(tmp_path):
    def all_of_them(wb, ws):
        for name in ("Old", "Older"):
            wb.create_sheet(name).sheet_state = "hidden"
        ws.row_dimensions[3].hidden = True
        ws.merge_cells("A4:B4")
        ws["C2"] = "=B2*20"

    problems = read_sheet(_book(tmp_path, ROWS, all_of_them)).problems(header_row=1)
    assert [p.expected for p in problems] == [
        "visible sheets only; hidden sheet(s) 'Old', 'Older' were not read",
        "every row shown; row(s) 3 are hidden in Excel and were read as data. Unhide them to "
        "check them, and delete any that are not data",
        "a value; the cell holds a formula with no saved result. Open and save the workbook in "
        "Excel, or paste values",
        "one value per cell; cells A4:B4 are merged. Unmerge them and fill every cell",
    ]


def test_a_sheet_read_is_frozen_and_empty_by_default():
    sheet = Sheet("Data", [["unit"]])
    assert sheet.problems(header_row=1) == [] and sheet.formulas == {}
    with pytest.raises(AttributeError):
        sheet.title = "Other"


def test_a_workbook_with_every_sheet_hidden_is_refused(tmp_path):
    import zipfile

    def hidden(wb, ws):
        wb.create_sheet("Old").sheet_state = "hidden"

    path = _book(tmp_path, ROWS, hidden)
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b'name="Data" sheetId="1" state="visible"', b'name="Data" sheetId="1" state="hidden"'
    )
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    with pytest.raises(TableProblem) as err:
        read_sheet(path)
    assert (err.value.check, err.value.expected) == (
        "xlsx_readable",
        "a workbook with a visible sheet; none is",
    )
