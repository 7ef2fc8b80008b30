"""analysis.extract._report_md: the extraction report, each file, its layout, the counts of
values read, every warning, the rating check and the conflicts, as Markdown."""

from __future__ import annotations

import pandas as pd

from analysis.extract._report_md import extraction_report

_FILE_COLUMNS = (
    "file kind layout status report_id n_ratings n_key_questions n_prompts n_figures "
    "n_warnings message"
).split()
_CHECK_COLUMNS = [
    "report_id",
    "standard",
    "computed_rating",
    "published_rating",
    "agrees",
    "rule_rating",
    "note",
]


def _tables(*, files=(), warnings=(), checks=(), conflicts=(), n_reports=0, n_ratings=0):
    return {
        "files": pd.DataFrame(list(files), columns=_FILE_COLUMNS),
        "warnings": pd.DataFrame(list(warnings), columns=["file", "report_id", "warning"]),
        "rating_check": pd.DataFrame(list(checks), columns=_CHECK_COLUMNS).astype(
            {"agrees": "boolean"}
        ),
        "conflicts": pd.DataFrame(
            list(conflicts), columns=["report_id", "table", "item", "value_kept", "file_kept"]
        ),
        "reports": pd.DataFrame({"report_id": [f"r{i}" for i in range(n_reports)]}),
        "ratings": pd.DataFrame({"report_id": ["r0"] * n_ratings}),
        "key_questions": pd.DataFrame({"report_id": []}),
        "prompts": pd.DataFrame({"report_id": []}),
        "figures": pd.DataFrame({"report_id": []}),
    }


_OK = ("a.txt", "txt", "pdu-press", "ok", "r0", 1, 0, 0, 2, 1, None)
_ERROR = ("b.pdf", "pdf", None, "error", None, 0, 0, 0, 0, 0, "b.pdf: the PDF | is damaged")


def test_the_report_counts_files_by_status_and_values_by_table():
    text = extraction_report(_tables(files=[_OK, _OK, _ERROR], n_reports=2, n_ratings=3))
    lines = text.splitlines()
    assert lines[0] == "# Extraction report"
    assert lines[2] == "3 file(s): 2 ok, 1 error."
    assert lines[3] == (
        "2 report(s); 3 ratings, 0 key-question percentages, 0 prompt-level results, 0 figures."
    )
    assert text.endswith("\n")


def test_each_file_is_a_row_with_empty_cells_for_missing_values_and_pipes_escaped():
    text = extraction_report(_tables(files=[_OK, _ERROR]))
    assert (
        "| file | kind | layout | status | report_id | n_ratings | n_key_questions | n_prompts | "
        "n_figures | n_warnings | message |\n| --- |"
    ) in text
    assert "| a.txt | txt | pdu-press | ok | r0 | 1 | 0 | 0 | 2 | 1 |  |" in text
    assert (
        "| b.pdf | pdf |  | error |  | 0 | 0 | 0 | 0 | 0 | b.pdf: the PDF \\| is damaged |" in text
    )


def test_no_warnings_no_tables_and_no_conflicts_are_said_in_words():
    text = extraction_report(_tables(files=[_OK]))
    assert "## Warnings\n\nNone." in text
    assert "No key-question tables were extracted." in text
    assert text.endswith("## Conflicts between files holding the same report\n\nNone.\n")


def test_warnings_and_conflicts_are_listed_one_line_each():
    text = extraction_report(
        _tables(
            files=[_OK],
            warnings=[("a.txt", "r0", "figure not found:\ncaseload")],
            conflicts=[("r0", "figures", "score", "(5.0, 21.0)", "a.txt")],
        )
    )
    assert "| a.txt | r0 | figure not found: caseload |" in text
    assert "| r0 | figures | score | (5.0, 21.0) | a.txt |" in text


def test_ratings_that_agree_are_counted_and_those_that_differ_are_listed():
    agree = ("r0", "assessment", "Inadequate", "Inadequate", True, None, None)
    missing = ("r0", "reviewing", None, "Inadequate", None, None, "no table")
    text = extraction_report(_tables(files=[_OK], checks=[agree, agree, missing]))
    assert "All 2 comparable ratings agree." in text
    differs = ("r0", "planning", "Inadequate", "Good", False, None, "the report states no reason")
    departs = ("r0", "leadership", None, "Good", None, "Inadequate", "stated departure")
    text = extraction_report(_tables(files=[_OK], checks=[agree, differs, departs]))
    assert "comparable ratings agree" not in text
    assert "| r0 | planning | Inadequate | Good |  | the report states no reason |" in text
    assert "| r0 | leadership |  | Good | Inadequate | stated departure |" in text
    assert "| r0 | assessment |" not in text
