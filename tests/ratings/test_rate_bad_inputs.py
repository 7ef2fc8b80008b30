"""`analysis rate`: every bad table or option in docs/bad-input-catalogue.md ("Rating tables
and options") gives exit status 2 and a message naming what to fix, and nothing is written.

Each case writes one input file into an empty folder, runs the command, and checks the exact
message, that no traceback is shown, and that the folder is byte-for-byte unchanged (the rate
command never writes: checksums of every file before and after).
"""

from __future__ import annotations

import io
import os

import pytest

from analysis import cli, config
from tests.conftest import tree_digest

YORK = config.PROJECT_ROOT / "examples" / "york-2024.csv"
H = "unit,standard,area,pct_yes,n,published_rating\n"
ASSESSMENT = "York,Assessment,desistance,80,20,\nYork,Assessment,keeping safe,25,20,\n"


@pytest.fixture(autouse=True, scope="module")
def _project_data_untouched():
    """Raw data, processed data, reports and examples: byte-for-byte the same after every case."""
    folders = [config.RAW_DIR, config.PROCESSED_DIR, config.REPORTS_DIR, YORK.parent]
    before = [tree_digest(f) for f in folders]
    yield
    assert [tree_digest(f) for f in folders] == before


def _xlsx(rows, percent_cells=()) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref in percent_cells:
        sheet[ref].number_format = "0%"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# (catalogue id, file name, content, extra arguments, message the user sees)
CASES = [
    (
        "RT-1",
        "t.csv",
        H + "York,Assessment,engagement,,20,\n" + ASSESSMENT,
        (),
        "row 2, column pct_yes: no percentage for key question assessment_engagement (n = 20)",
    ),
    (
        "RT-2",
        "t.csv",
        H + "York,Assessment,engagement,NaN,20,\n" + ASSESSMENT,
        (),
        "row 2, column pct_yes: 'NaN' is not a percentage",
    ),
    (
        "RT-3",
        "t.csv",
        H + "York,Assessment,engagement,70,,\n" + ASSESSMENT,
        (),
        "row 2, column n: missing; give the number of applicable cases",
    ),
    (
        "RT-4",
        "t.csv",
        H + "York,Assessment,engagement,70,nan,\n" + ASSESSMENT,
        (),
        "row 2, column n: 'nan' should be a whole number of cases",
    ),
    (
        "RT-5",
        "t.csv",
        H + "York,Assessment,engagement,70,20,\nYork,Assessment,desistance,80,20,\n",
        (),
        "row(s) 2, 3: unit 'York': standard 'assessment' has 2 of its 3 key questions; "
        "missing assessment_keeping_safe",
    ),
    (
        "RT-6",
        "t.csv",
        H + "York,Assessment,engagement,49.99,1,\n" + ASSESSMENT,
        (),
        "row 2, column pct_yes: 49.99% cannot come from 1 case(s)",
    ),
    (
        "RT-7",
        "t.csv",
        H + "York,Assessment,engagement,64.9,20,\n" + ASSESSMENT,
        (),
        "64.9% cannot come from 20 case(s): no whole number of cases out of 20 prints as 64.9% "
        "(nearest: 12/20 = 60% and 13/20 = 65%)",
    ),
    (
        "RT-8",
        "t.csv",
        "unit,standard,area,n,n_yes\nYork,Assessment,engagement,20,25\n",
        (),
        "row 2, column n_yes: 25 is more than n = 20",
    ),
    (
        "RT-9",
        "t.csv",
        "unit,standard,area,pct_yes,n,n_yes\nYork,Assessment,engagement,70,20,15\n"
        "York,Assessment,desistance,80,20,\nYork,Assessment,keeping safe,25,20,\n",
        (),
        "row 2, columns pct_yes and n_yes disagree: 15 of 20 is 75%, which does not print as 70%",
    ),
    (
        "RT-10",
        "t.csv",
        H + "York,Assessment,engagement,170,20,\n",
        (),
        "row 2, column pct_yes: '170' should be between 0 and 100",
    ),
    (
        "RT-11",
        "t.csv",
        H + "York,Assessment,engagement,-5%,20,\n",
        (),
        "row 2, column pct_yes: '-5%' should be between 0 and 100",
    ),
    (
        "RT-12",
        "t.csv",
        H + "York,Assessment,engagement,inf,20,\n",
        (),
        "row 2, column pct_yes: 'inf' is not a percentage",
    ),
    (
        "RT-13",
        "t.csv",
        H + "York,Assessment,engagement,1e30,20,\n",
        (),
        "row 2, column pct_yes: '1e30' is not a percentage",
    ),
    (
        "RT-14",
        "t.csv",
        H + 'York,Assessment,engagement,"64,9",20,\n',
        (),
        "row 2, column pct_yes: '64,9' is not a percentage (nor 'not applicable'); expected a "
        "percentage with a decimal point such as 70; '64,9' has a decimal comma (or a misplaced "
        "thousands separator). Write it with a point (64.9).",
    ),
    (
        "RT-15",
        "t.csv",
        H + "York,Assessment,engagement,64,9,20,\n",
        (),
        "row 2, column published_rating: Unknown rating label '20'; expected one of "
        "Outstanding, Good, Requires improvement, Inadequate. This row has 7 values but the "
        "header has 6 columns (a stray comma? a decimal comma such as 12,9 must be written "
        "12.9), so its values may be in the wrong columns.",
    ),
    (
        "RT-16",
        "t.csv",
        H + "York,Assessment,engagement,70,20.5,\n",
        (),
        "row 2, column n: '20.5' should be a whole number of cases",
    ),
    (
        "RT-17",
        "t.csv",
        H + "York,Assessment,engagement,70,-20,\n",
        (),
        "row 2, column n: '-20' should be a whole number of cases",
    ),
    (
        "RT-18",
        "t.csv",
        H + "York,Assessment,engagement,70,0,\n" + ASSESSMENT,
        (),
        "row 2, column n: 0 applicable cases, but a percentage or n_yes is given",
    ),
    (
        "RT-19",
        "t.csv",
        H + "York,Assessment,engagement,not applicable,20,\n" + ASSESSMENT,
        (),
        "row 2: key question assessment_engagement is marked 'not applicable' but n = '20'",
    ),
    (
        "RT-20",
        "t.csv",
        H
        + "York,Assessment,engagement,70,20,\n"
        + ASSESSMENT
        + "York,Assessment,engagement,75,20,\n",
        (),
        "A key question appears more than once for the same unit: ",
    ),
    (
        "RT-21",
        "t.csv",
        H + "York,Planing,engagement,70,20,\n",
        (),
        "row 2, column standard: Framework 'pdu-2023' has no standard 'Planing'",
    ),
    (
        "RT-22",
        "t.csv",
        H + "York,P2.2 Assessment,engagement,70,20,\n",
        (),
        "row 2, column standard: 'P2.2 Assessment': P2.2 is 'Planning' in pdu-2023, not 'Assessment'",
    ),
    (
        "RT-23",
        "t.csv",
        H + "York,Assessment,safety first,70,20,\n",
        (),
        "row 2, column area: 'safety first' is not an area",
    ),
    (
        "RT-24",
        "t.csv",
        H + "York,Leadership,engagement,70,20,\n",
        (),
        "row 2, column standard: 'Leadership' has no key questions in pdu-2023",
    ),
    (
        "RT-25",
        "t.csv",
        H + "York,Assessment,,70,20,Inadequate\n",
        (),
        "row 2: figures 70, 20 are given, but no key question",
    ),
    (
        "RT-26",
        "t.csv",
        "unit,key_question,pct_yes,n\nYork,assessment_safety,70,20\n",
        (),
        "row 2, column key_question: 'assessment_safety' is not a key question of pdu-2023",
    ),
    (
        "RT-27",
        "t.csv",
        H + "York,Leadership,,,,Excellent\n",
        (),
        "row 2, column published_rating: Unknown rating label 'Excellent'",
    ),
    (
        "RT-28",
        "t.csv",
        H + "York,Leadership,,,,Good\nYork,Leadership,,,,Inadequate\n",
        (),
        "unit 'York' gives different published ratings for 'leadership': Good (row 2); "
        "Inadequate (row 3)",
    ),
    (
        "RT-29",
        "t.csv",
        H + "York,,,,,Inadequate\n",
        (),
        "row 2, column standard: empty, but a published rating 'Inadequate' is given",
    ),
    (
        "RT-30",
        "t.csv",
        H + ",Leadership,,,,Good\n",
        (),
        "row 2, column unit: empty; name the unit on every row",
    ),
    (
        "RT-31",
        "t.csv",
        H + "Yo\x00rk,Leadership,,,,Good\n",
        (),
        "line 2: expected text without control characters; a NUL byte (U+0000) on line 2",
    ),
    (
        "RT-32",
        "t.csv",
        H + "Yo\x07rk,Leadership,,,,Good\n",
        (),
        "row 2, column unit: 'Yo\\x07rk' contains a control character",
    ),
    ("RT-33", "t.csv", "", (), "expected a header row and data rows; the file is empty (0 bytes)"),
    ("RT-34", "t.csv", H, (), "the file has a header only"),
    ("RT-35", "t.csv", ",,,,,\n,,,,,\n", (), "the file holds only separators and no values"),
    (
        "RT-36",
        "t.csv",
        (H + "York £,Leadership,,,,Good\n").encode("cp1252"),
        (),
        "expected UTF-8 text; byte 0xa3 at line 2 is not UTF-8 (the file was probably saved as "
        "Windows-1252",
    ),
    (
        "RT-37",
        "t.csv",
        "unit;standard;area;pct_yes;n\nYork;Assessment;engagement;70;20\n",
        (),
        "this file separates them with semicolons (a regional Excel export)",
    ),
    (
        "RT-38",
        "t.csv",
        "unit,standrd,area,pct_yes,n\nYork,Assessment,engagement,70,20\n",
        (),
        "needs a 'standard' column (with 'area') or a 'key_question' column; found ['unit', "
        "'standrd', 'area', 'pct_yes', 'n']. Did you mean 'standard' for 'standrd'?",
    ),
    (
        "RT-39",
        "t.csv",
        "unit,standard,area,pct_yes,% yes,n\nYork,Assessment,engagement,70,70,20\n",
        (),
        "row 1: columns 'pct_yes' and '% yes' both give 'pct_yes'; keep one",
    ),
    (
        "RT-40",
        "t.csv",
        H + 'York,"Assessment,engagement,70,20,\n',
        (),
        "well-formed CSV; the reader stopped",
    ),
    ("RT-41", "t.csv", None, (), "no such file"),
    ("RT-42", "folder", "dir", (), "is a folder, not a file"),
    ("RT-43", "looks-like.csv", "dir", (), "is a folder, not a file"),
    ("RT-44", "loop.csv", "loop", (), "a symbolic link whose target is missing or loops"),
    ("RT-45", "pipe.csv", "fifo", (), "not a regular file (a named pipe, socket or device)"),
    ("RT-46", "~$york.xlsx", b"\x00" * 165, (), "an Office lock file"),
    (
        "RT-47",
        "._york.csv",
        b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        ",
        (),
        "line 1: expected text without control characters; a NUL byte",
    ),
    (
        "RT-48",
        "t.xls",
        b"\xd0\xcf\x11\xe0" + b"\x00" * 60,
        (),
        ".xls files are not read; save it as .xlsx or CSV UTF-8",
    ),
    ("RT-49", "t.csv", "xlsx", (), "looks like an Excel workbook with a .csv extension"),
    (
        "RT-50",
        "t.xlsx",
        b"not a workbook at all",
        (),
        "expected a readable .xlsx workbook; opening failed",
    ),
    (
        "RT-51",
        "york.csv",
        YORK.read_text(encoding="utf-8"),
        ("--framework", "adult-2013"),
        "Framework 'adult-2013' (Inspection of Adult Offending Work (2013–2015)) has no key "
        "questions rated in bands",
    ),
    (
        "RT-52",
        "york.csv",
        YORK.read_text(encoding="utf-8"),
        ("--framework", "pdu-1999"),
        "Unknown inspection framework 'pdu-1999'",
    ),
    (
        "RT-53",
        "t.csv",
        "unit,standard\nYork,\n",
        (),
        "no key-question figures and no published ratings found",
    ),
    (
        "RT-54",
        "t.csv",
        "unit,key_question,pct_yes,n\nYork,Does assesment focus on safety?,70,20\n",
        (),
        "'Does assesment focus on safety?' is not a key question of pdu-2023",
    ),
    (
        "RT-56",
        "t.csv",
        H
        + "York,Assessment,engagement,70,20,\n"
        + ASSESSMENT
        + "York,Planning,engagement,70,20,\n",
        (),
        "standard 'planning' has 1 of its 3 key questions; missing planning_desistance, "
        "planning_keeping_safe",
    ),
    (
        "RT-57",
        "t.csv",
        "unit,standard,area,n,n_yes\nYork,Assessment,engagement,20,12.5\n",
        (),
        "row 2, column n_yes: '12.5' should be a whole number of cases",
    ),
    (
        "RT-63",
        "t.csv",
        "unit,standard,area,pct_yse,n\nYork,Assessment,engagement,70,20\n",
        (),
        "has key questions ('area' or 'key_question') but no 'pct_yes' (or 'n_yes') column to "
        "read their figures from; found ['unit', 'standard', 'area', 'pct_yse', 'n']. Did you "
        "mean 'pct_yes' for 'pct_yse'?",
    ),
    (
        "RT-64",
        "t.xlsx",
        "two-sheets",
        (),
        "sheet(s) 'Sheet2' also hold data besides 'Sheet', and only one table can be read",
    ),
    (
        "RT-65",
        "t.csv",
        H + "York,Leadership,,,,Good\nyork ,Staffing,,,,Good\n",
        (),
        "column unit: 'York' and 'york' differ only in case or spacing",
    ),
    (
        "RT-66",
        "t.csv",
        H + "York,Assessment,engagement,0.7,20,\n" + ASSESSMENT,
        (),
        "0.7% cannot come from 20 case(s): no whole number of cases out of 20 prints as 0.7% "
        "(nearest: 0/20 = 0% and 1/20 = 5%). Check the percentage and n; if 0.7 is a "
        "fraction, write it as a percentage (70)",
    ),
    (
        "RT-67",
        "t.csv",
        "unit,standard,area,pct_yes\nYork,Assessment,engagement,70\n",
        (),
        "row 2, column n: missing; give the number of applicable cases",
    ),
    (
        "RT-68",
        "t.csv",
        "unit,standard,area,n,n_yes\nYork,Assessment,engagement,20,fourteen\n",
        (),
        "row 2, column n_yes: 'fourteen' should be a whole number of cases",
    ),
    (
        "RT-69",
        "t.xlsx",
        "xlsx-error-value",
        (),
        "row 2, column pct_yes: '#DIV/0!' is not a percentage",
    ),
    (
        "RT-70",
        "t.xlsx",
        "xlsx-formula",
        (),
        "row 2, column pct_yes: expected a value; the cell holds a formula with no saved result. "
        "Open and save the workbook in Excel, or paste values (found =A1/0).",
    ),
    (
        "RT-71",
        "t.xlsx",
        "xlsx-date",
        (),
        "row 2, column n: '2024-09-16 00:00:00' should be a whole number of cases",
    ),
    (
        "RT-72",
        "t.csv",
        H + "York,Leadership,,,,Requires improvment\n",
        (),
        "Unknown rating label 'Requires improvment'; expected one of Outstanding, Good, "
        "Requires improvement, Inadequate. Did you mean 'Requires improvement'?",
    ),
    (
        "RT-73",
        "t.csv",
        H + "York,Assessment,engagement,%,20,\n",
        (),
        "row 2, column pct_yes: '%' is not a percentage",
    ),
    (
        "RT-75",
        "t.csv",
        H + "York,Assessment,engagement,64,9,20,Good\n",
        (),
        "row 2: 7 values but the header has 6 columns (a stray comma? a decimal comma such as "
        "12,9 must be written 12.9).",
    ),
]

OPTION_CASES = [
    ("RT-58", ("--borderline-at", "1.5"), "borderline_at must lie strictly between 0 and 1"),
    ("RT-59", ("--borderline-at", "0"), "borderline_at must lie strictly between 0 and 1"),
    ("RT-60", ("--borderline-at", "nan"), "borderline_at must lie strictly between 0 and 1"),
    ("RT-61", ("--borderline-at", "abc"), "'abc' is not a number"),
    ("RT-62", ("--format", "xml"), "invalid choice: 'xml'"),
    ("RT-74", ("--borderline-at", "-0.1"), "borderline_at must lie strictly between 0 and 1"),
]


def _make(folder, name, content):
    path = folder / name
    if content is None:
        return path
    if content == "dir":
        path.mkdir()
    elif content == "loop":
        os.symlink(folder / "loop2.csv", path)
        os.symlink(path, folder / "loop2.csv")
    elif content == "fifo":
        os.mkfifo(path)
    elif content == "two-sheets":
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(["unit", "standard", "published_rating"])
        book.active.append(["York", "Leadership", "Good"])
        book.create_sheet("Sheet2").append(["unit", "standard", "published_rating"])
        book.save(path)
    elif isinstance(content, str) and content.startswith("xlsx-"):
        import datetime

        value = {
            "xlsx-error-value": ("#DIV/0!", 20),
            "xlsx-formula": ("=A1/0", 20),
            "xlsx-date": (70, datetime.datetime(2024, 9, 16)),
        }[content]
        rows = [["unit", "standard", "area", "pct_yes", "n"]]
        rows.append(["York", "Assessment", "engagement", *value])
        rows += [["York", "Assessment", a, 80, 20] for a in ("desistance", "keeping safe")]
        path.write_bytes(_xlsx(rows))
    elif content == "xlsx":
        path.write_bytes(_xlsx([["unit", "standard"], ["York", "Leadership"]]))
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("case,name,content,args,message", CASES, ids=[c[0] for c in CASES])
def test_bad_table_exit_2_with_message_and_nothing_written(
    tmp_path, capsys, case, name, content, args, message
):
    folder = tmp_path / "input"
    folder.mkdir()
    path = _make(folder, name, content)
    before = tree_digest(tmp_path)
    assert cli.main(["rate", str(path), *args]) == 2
    out, err = capsys.readouterr()
    assert message in err, err
    assert err.startswith("error: ") and "Traceback" not in err and out == ""
    if case not in ("RT-51", "RT-52"):
        assert str(path) in err  # the message names the file
    assert tree_digest(tmp_path) == before


@pytest.mark.parametrize("case,args,message", OPTION_CASES, ids=[c[0] for c in OPTION_CASES])
def test_bad_option_exit_2_with_message_and_nothing_written(tmp_path, capsys, case, args, message):
    path = tmp_path / "york.csv"
    path.write_text(YORK.read_text(encoding="utf-8"), encoding="utf-8")
    before = tree_digest(tmp_path)
    with pytest.raises(SystemExit) as stop:
        cli.main(["rate", str(path), *args])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert tree_digest(tmp_path) == before


def test_catalogue_lists_every_case():
    """Every case above has its row in docs/bad-input-catalogue.md, and no row lacks a case."""
    text = (config.PROJECT_ROOT / "docs" / "bad-input-catalogue.md").read_text(encoding="utf-8")
    section = text.split("## Rating tables and options", 1)[1].split("\n## ", 1)[0]
    listed = {
        line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| RT")
    }
    from tests.ratings import test_rate_accepted_inputs as accepted

    tested = {c[0] for c in CASES} | {c[0] for c in OPTION_CASES} | set(accepted.CASE_IDS)
    assert listed == tested
