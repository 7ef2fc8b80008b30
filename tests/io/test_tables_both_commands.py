"""One rule, one sentence: the same bad table file gives the same words from the build and rate.

Each case is run through ``analysis rate FILE`` and through a build whose published key
questions file is that file (catalogue T-1 to T-8); both read a CSV with
:class:`analysis.io.tables.CsvRecords`, so a problem found part-way through a long file is
worded as one found at its start.
"""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import Workbook

from analysis import cli, config
from analysis.data.build import build
from analysis.exceptions import ValidationFailed
from analysis.io.tables import open_workbook, visible_sheets
from tests.conftest import append_frame

KQ = "published/key_questions.csv"
RATE_CSV = "unit,standard,area,pct_yes,n,rating\nYork,Assessment,engagement,70,20,\n"

CASES = {
    "utf-16": (RATE_CSV.encode("utf-16"), "the file is UTF-16 (Excel's 'Unicode text')"),
    "windows-1252": (
        RATE_CSV.replace("York", "York £").encode("cp1252"),
        "is not UTF-8 (the file was probably saved as Windows-1252 or Latin-1)",
    ),
    "semicolons": (
        RATE_CSV.replace(",", ";").encode(),
        "this file separates them with semicolons (a regional Excel export)",
    ),
    "nul": (RATE_CSV.replace("York", "Yo\x00rk").encode(), "a NUL byte (U+0000) on line 2"),
    "semicolons-below-a-blank-line": (
        ("\n" + RATE_CSV).replace(",", ";").encode(),
        "this file separates them with semicolons (a regional Excel export)",
    ),
    "empty": (b"", "a header row and data rows; the file is empty (0 bytes)"),
    "blank": (b"  \n\n", "a header row and data rows; the file holds only blank space"),
    "only-separators": (
        b",,,,,\n,,,,,\n",
        "a header row and data rows; the file holds only separators and no values",
    ),
    "quote-never-closed": (
        (RATE_CSV + 'Selby,"Planning,engagement,60,20,\n').encode(),
        "well-formed CSV; the reader stopped with 'unexpected end of data' (a quote is not "
        "closed: the file may be truncated)",
    ),
    "not-utf8-after-many-rows": (
        (RATE_CSV + "York,Planning,engagement,70,20,\n" * 3000 + "York £,Review,x,1,2,\n").encode(
            "cp1252"
        ),
        "byte 0xa3 at line 3003 is not UTF-8",
    ),
    "encrypted": (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504,
        "this file is password-protected (encrypted)",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_rule_gives_the_same_words(case, raw_copy, tmp_path, capsys):
    data, words = CASES[case]
    suffix = ".xlsx" if case == "encrypted" else ".csv"
    table = tmp_path / f"table{suffix}"
    table.write_bytes(data)
    assert cli.main(["rate", str(table)]) == 2
    rate_says = capsys.readouterr().err
    assert words in rate_says and "Traceback" not in rate_says

    (raw_copy / KQ).unlink()
    (raw_copy / "published" / f"key_questions{suffix}").write_bytes(data)
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    failures = info.value.failures
    said = failures[failures["file"].astype(str).str.contains("key_questions")]["expected"]
    build_says = [s for s in said if words in s]
    assert build_says, list(said)
    assert build_says[0] in rate_says  # the build's sentence, word for word, in rate's message


def _hidden_first(path, frame):
    wb = Workbook()
    old = wb.active
    old.title = "Old"
    old.append(["nothing", "to", "see"])
    old.sheet_state = "hidden"
    append_frame(wb.create_sheet("Data"), frame)
    wb.save(path)


def test_a_hidden_first_sheet_is_never_read(raw_copy, tmp_path):
    frame = pd.read_csv(raw_copy / KQ)
    (raw_copy / KQ).unlink()
    path = raw_copy / "published" / "key_questions.xlsx"
    _hidden_first(path, frame)
    shown, hidden = visible_sheets(open_workbook(path))
    assert [ws.title for ws in shown] == ["Data"] and hidden == ["Old"]
    report = build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    warned = report.warnings[report.warnings["check"] == "hidden_sheet"]["expected"]
    assert list(warned) == ["visible sheets only; hidden sheet(s) 'Old' were not read"]
    assert len(pd.read_parquet(tmp_path / "out" / "published_key_questions.parquet")) == len(frame)


def test_blank_lines_above_the_header_are_skipped_and_rows_keep_their_lines(
    raw_copy, tmp_path, capsys
):
    """Both commands take the header from the first line holding a value (catalogue T-8) and
    name a row by its line in the file: here a bad percentage on line 4, below two blank lines."""
    york = (config.PROJECT_ROOT / "examples" / "york-2024.csv").read_text(encoding="utf-8")
    table = tmp_path / "york.csv"
    table.write_text("\n\n" + york, encoding="utf-8")
    assert cli.main(["rate", str(table)]) == 0
    assert "3/21" in capsys.readouterr().out
    published = pd.read_csv(raw_copy / KQ)
    kq = (raw_copy / KQ).read_text(encoding="utf-8")
    (raw_copy / KQ).write_text("\n\n" + kq, encoding="utf-8")
    build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    built = pd.read_parquet(tmp_path / "out" / "published_key_questions.parquet")
    assert len(built) == len(published)

    table.write_text("\n\n" + RATE_CSV.replace(",70,", ",seventy,"), encoding="utf-8")
    assert cli.main(["rate", str(table)]) == 2
    assert f"{table}, row 4, column pct_yes: 'seventy'" in capsys.readouterr().err
    header, first, *rest = kq.splitlines(keepends=True)
    cells = first.split(",")
    cells[list(published.columns).index("pct_yes")] = "seventy"
    (raw_copy / KQ).write_text("\n\n" + header + ",".join(cells) + "".join(rest))
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw_copy, processed_dir=tmp_path / "again")
    failures = info.value.failures
    said = failures[failures["file"].astype(str).str.contains("key_questions")]
    assert said[["row", "column", "value"]].values.tolist() == [[4, "pct_yes", "seventy"]]


def _workbook(csv_path, path, defect):
    """``csv_path``'s table as an .xlsx at ``path`` with one of the grid's hidden things."""
    frame = pd.read_csv(csv_path, dtype=object)
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    append_frame(ws, frame)
    if defect == "hidden_sheet":
        notes = wb.create_sheet("Notes")
        notes.append(["checked by", "someone"])
        notes.sheet_state = "hidden"
    elif defect == "hidden_rows":
        ws.row_dimensions[3].hidden = True
    elif defect == "merged_cells":
        ws.merge_cells("A2:A3")
    elif defect == "hidden_table":
        ws.sheet_state = "hidden"
        wb.create_sheet("Sheet2")
    elif defect == "formula_value":
        ws["A2"] = "=UPPER(B2)"  # openpyxl saves no result, as a workbook never opened in Excel
    wb.save(path)


SHEET_RULES = {
    "hidden_sheet": ("warning", "visible sheets only; hidden sheet(s) 'Notes' were not read"),
    "hidden_rows": ("warning", "every row shown; row(s) 3 are hidden in Excel and were read"),
    "merged_cells": ("error", "one value per cell; cells A2:A3 are merged"),
    "formula_value": ("error", "a value; the cell holds a formula with no saved result"),
    "hidden_table": ("error", "sheet 'Sheet2' is empty and hidden sheet(s) 'Data' were not read"),
}
"""Each defect: the severity, and words of the sentence both commands give."""


@pytest.mark.parametrize("rule", sorted(SHEET_RULES))
def test_one_policy_for_what_a_workbook_hides(rule, raw_copy, tmp_path, capsys):
    severity, words = SHEET_RULES[rule]
    york = config.PROJECT_ROOT / "examples" / "york-2024.csv"
    table = tmp_path / "york.xlsx"
    _workbook(york, table, rule)
    code = cli.main(["rate", str(table)])
    said = capsys.readouterr()
    rate_says = said.out + said.err
    assert code == (0 if severity == "warning" else 2), rate_says
    assert words in rate_says and "Traceback" not in rate_says

    _workbook(raw_copy / KQ, raw_copy / "published" / "key_questions.xlsx", rule)
    (raw_copy / KQ).unlink()
    if severity == "warning":
        report = build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
        found = report.warnings
    else:
        with pytest.raises(ValidationFailed) as info:
            build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
        found = info.value.failures
    check = "hidden_sheet" if rule == "hidden_table" else rule
    found = found[found["check"] == check]
    assert list(found["severity"]) == [severity]
    build_says = found["expected"].item()
    assert words in build_says and build_says in rate_says  # the build's sentence, word for word
