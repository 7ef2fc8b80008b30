"""One rule, one sentence: the same bad percentage gives the same words from build, rate, extract.

Each value is put in York's assessment_engagement percentage three ways: a cell of the
build's published key questions, a cell of a table for ``analysis rate``, and the key-question
line of York's report text for ``analysis extract``. Each command names the file, the row (or
line), the column and the value, and says what was expected in the words of
:mod:`analysis.io.numbers` (catalogue N-1 to N-5).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import cli
from analysis.data.build import build
from analysis.exceptions import ValidationFailed
from analysis.extract import extract_reports
from analysis.io import numbers
from tests.extract.conftest import YORK, seeds  # noqa: F401 (the seed publications fixture)

KQ = "published/key_questions.csv"
LINE = "Does assessment focus sufficiently on engaging the person on probation?\t70%"
RATE_CSV = (
    'unit,standard,area,pct_yes,n\nYork,Assessment,engagement,"{value}",20\n'
    "York,Assessment,desistance,80,20\nYork,Assessment,keeping safe,25,20\n"
)

REFUSED = {
    "decimal-comma": ("70,5%", "has a decimal comma (or a misplaced thousands separator)"),
    "in-words": ("seventy%", "a percentage such as 70, '70%' or '70 per cent'"),
    "not-a-number": ("nan%", "a finite percentage such as 70; 'nan' is not one"),
    "infinite": ("inf %", "a finite percentage such as 70; 'inf' is not one"),
    "exponent": ("1e1%", "a percentage such as 70, '70%' or '70 per cent'"),
}
ACCEPTED = {"sign": ("+70%", 70.0), "space": ("70 %", 70.0), "decimal": ("70.0%", 70.0)}


def _build(raw, tmp_path, value):
    frame = pd.read_csv(raw / KQ, dtype=str, keep_default_na=False)
    at = frame.index[
        (frame["unit"] == "York PDU") & (frame["key_question"] == "assessment_engagement")
    ]
    frame.loc[at, "pct_yes"] = value
    frame.to_csv(raw / KQ, index=False, lineterminator="\n")
    return int(at[0]) + 2  # the row as a spreadsheet numbers it


def _extract(tmp_path, value):
    text = YORK.read_text(encoding="utf-8")
    assert LINE in text
    report = tmp_path / "york.txt"
    report.write_text(text.replace(LINE, LINE.replace("70%", value)), encoding="utf-8")
    result = extract_reports([report], out=tmp_path / "extracted", progress=False, jobs=1)
    return result, report


@pytest.mark.parametrize("case", sorted(REFUSED))
@pytest.mark.usefixtures("seeds")
def test_the_same_bad_percentage_gives_the_same_words(case, raw_copy, tmp_path, capsys):
    value, words = REFUSED[case]
    with pytest.raises(numbers.NumberProblem) as problem:
        numbers.percentage(value)
    sentence = str(problem.value)
    assert words in sentence

    row = _build(raw_copy, tmp_path, value)
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    failures = info.value.failures
    mine = failures[failures["check"] == "percentage"]
    assert mine[["file", "row", "column", "value"]].values.tolist() == [[KQ, row, "pct_yes", value]]
    assert mine["expected"].iloc[0].startswith(sentence)

    table = tmp_path / "table.csv"
    table.write_text(RATE_CSV.format(value=value), encoding="utf-8")
    assert cli.main(["rate", str(table)]) == 2
    rate_says = capsys.readouterr().err
    assert f"{table}, row 2, column pct_yes: {value!r} is not a percentage" in rate_says
    assert f"expected {sentence}." in rate_says

    result, report = _extract(tmp_path, value)
    warned = [w for w in result.tables["warnings"]["warning"] if "column pct_yes" in w]
    assert len(warned) == 1, list(result.tables["warnings"]["warning"])
    assert f"{report.name}, line " in warned[0] and f"column pct_yes: {value!r}" in warned[0]
    assert warned[0].endswith(f"expected {sentence}.")
    kq = result.tables["key_questions"]
    assert "assessment_engagement" not in set(kq["key_question"])  # never guessed


@pytest.mark.parametrize("case", sorted(ACCEPTED))
@pytest.mark.usefixtures("seeds")
def test_the_same_percentage_is_read_alike(case, raw_copy, tmp_path):
    value, read = ACCEPTED[case]
    assert numbers.percentage(value) == read

    _build(raw_copy, tmp_path, value)
    build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    kq = pd.read_parquet(tmp_path / "out" / "published_key_questions.parquet")
    york = kq[
        kq["unit"].astype(str).str.startswith("York")
        & kq["key_question"].eq("assessment_engagement")
    ]
    assert york["pct_yes"].tolist() == [read]

    table = tmp_path / "table.csv"
    table.write_text(RATE_CSV.format(value=value), encoding="utf-8")
    from analysis.ratings import rate_table

    rated = rate_table(table).key_questions.set_index("key_question")
    assert rated.loc["assessment_engagement", "pct_yes"] == read

    result, _ = _extract(tmp_path, value)
    kq = result.tables["key_questions"].set_index("key_question")
    assert kq.loc["assessment_engagement", "pct_yes"] == read


def test_a_percent_formatted_count_is_read_as_shown_and_refused_by_rate_as_by_the_build(tmp_path):
    """N-8: stored 0.2, shown 20%, in ``n``: '20.0%' is not a count (the build: D-60)."""
    from analysis.exceptions import InputDataError
    from analysis.ratings import rate_table
    from tests.ratings.test_rate_bad_inputs import _xlsx

    rows = [
        ["unit", "standard", "area", "pct_yes", "n"],
        ["X", "Assessment", "engagement", 70, 0.2],
        ["X", "Assessment", "desistance", 80, 20],
        ["X", "Assessment", "keeping safe", 65, 20],
    ]
    path = tmp_path / "t.xlsx"
    path.write_bytes(_xlsx(rows, percent_cells=["E2"]))
    with pytest.raises(numbers.NumberProblem) as problem:
        numbers.count("20.0%")
    with pytest.raises(InputDataError) as info:
        rate_table(path)
    assert str(info.value) == (
        f"{path}, row 2, column n: '20.0%' should be a whole number of cases; expected "
        f"{problem.value}."
    )


@pytest.mark.usefixtures("seeds")
def test_a_bad_number_in_an_extracted_table_gets_the_same_words_from_the_build(raw_copy, tmp_path):
    """N-9: the extracted tables' numbers are read as the build's own (before: a dtype error
    naming neither the row nor the value)."""
    out = raw_copy / "extracted"
    extract_reports([YORK], out=out, progress=False, jobs=1)
    path = out / "key_questions.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "pct_yes"] = "70,5"
    frame.to_csv(path, index=False, lineterminator="\n")
    with pytest.raises(numbers.NumberProblem) as problem:
        numbers.number("70,5")
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    failures = info.value.failures
    mine = failures[failures["column"] == "pct_yes"]
    assert mine[["file", "row", "value", "check", "expected"]].values.tolist() == [
        ["extracted/key_questions.csv", 2, "70,5", "number", str(problem.value)]
    ]
