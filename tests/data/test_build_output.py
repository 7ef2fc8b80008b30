"""What `analysis build` prints about warnings: the value found, the expectation, and a count
that agrees with the lines shown."""

from pathlib import Path

import pandas as pd

from analysis.data.build import SHOWN_WARNINGS, BuildReport
from analysis.data.ingest import FAILURE_COLUMNS


def _report(n: int) -> BuildReport:
    warnings = pd.DataFrame(
        [
            {
                "file": "published/published_ratings.csv",
                "row": i + 1,
                "column": "unit",
                "value": f"Unit {i}" if i else None,
                "check": "known_unit",
                "expected": "a PDU in the reference list; kept as published",
                "severity": "warning",
            }
            for i in range(n)
        ],
        columns=FAILURE_COLUMNS,
    )
    return BuildReport(Path("raw"), Path("processed"), pd.DataFrame(), {}, warnings)


def test_each_warning_says_the_value_found_and_what_was_expected():
    text = repr(_report(2))
    assert "warnings: 2" in text
    assert (
        "published/published_ratings.csv row 2 unit: found 'Unit 1'; expected a PDU in the "
        "reference list; kept as published"
    ) in text
    assert "row 1 unit: found a blank; expected" in text
    assert "more" not in text


def test_the_count_and_the_lines_agree():
    text = repr(_report(SHOWN_WARNINGS + 4))
    shown = [line for line in text.splitlines() if ": found " in line]
    assert len(shown) == SHOWN_WARNINGS
    assert f"warnings: {SHOWN_WARNINGS + 4}" in text
    assert f"and 4 more; all {SHOWN_WARNINGS + 4} are in processed/build_warnings.parquet" in text
