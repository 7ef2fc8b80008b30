"""analysis.ratings.reading: the table ``analysis rate`` reads, as its two tables (key-question
figures and published ratings), with labels as reports print them.

(Every refused table is checked, message by message, in test_rate_bad_inputs.py; here, what
``read_rating_table`` returns.) Labels are those of ``frameworks/pdu-2023.toml``.
"""

from __future__ import annotations

import numpy as np
import pytest

from analysis.exceptions import InputDataError
from analysis.ratings.reading import read_rating_table


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def printed(tmp_path):
    """A table with headers, standards, areas and percentages as a report prints them."""
    return _write(
        tmp_path,
        "PDU,Standard,Area,% Yes,Cases,Published\n"
        "York,P2.1 Assessment,Engagement,71 per cent,17,Good\n"
        "York,Assessment,desistance,+82%,17,\n"
        "York,Assessment,Keeping other people safe,76,17,\n"
        "York,Leadership,,,,requires improvement\n"
        "York,Overall,,,,Inadequate\n",
    )


def test_key_question_rows_in_canonical_form(printed):
    kq, _ = read_rating_table(printed)
    assert list(kq.columns) == [
        *("unit", "key_question", "pct_yes", "pct_given", "n", "n_yes", "where", "source")
    ]
    assert list(kq["key_question"]) == [
        "assessment_engagement",
        "assessment_desistance",
        "assessment_keeping_safe",
    ]
    assert kq["pct_yes"].tolist() == [71.0, 82.0, 76.0]
    assert kq["pct_given"].tolist() == ["71", "82", "76"]  # as written, without sign or '%'
    assert kq["n"].tolist() == [17.0] * 3 and kq["n_yes"].isna().all()
    assert set(kq["unit"]) == {"York"}
    assert kq["where"].tolist() == [f"{printed}, row {i}" for i in (2, 3, 4)]
    assert set(kq["source"]) == {"table entered by hand: t.csv"}


def test_published_ratings_of_standards_and_overall(printed):
    _, pub = read_rating_table(printed)
    assert pub[["unit", "standard", "rating"]].values.tolist() == [
        ["York", "assessment", "Good"],
        ["York", "leadership", "Requires improvement"],
        ["York", "overall", "Inadequate"],
    ]
    assert pub["where"].tolist() == [f"{printed}, row {i}" for i in (2, 5, 6)]


def test_without_a_unit_column_the_unit_is_the_file_name(tmp_path):
    path = _write(
        tmp_path,
        "key_question,pct_yes,n,n_yes\nplanning_desistance,,20,14\n"
        "Does planning focus sufficiently on keeping other people safe?,35,20,\n",
        "york-2024.csv",
    )
    kq, pub = read_rating_table(path)
    assert set(kq["unit"]) == {"york-2024"} and pub.empty
    assert list(kq["key_question"]) == ["planning_desistance", "planning_keeping_safe"]
    row = kq.iloc[0]
    assert (row["n"], row["n_yes"], row["pct_given"]) == (20.0, 14.0, "")
    assert np.isnan(row["pct_yes"])


def test_not_applicable_is_read_as_no_applicable_case(tmp_path):
    path = _write(
        tmp_path,
        "unit,standard,area,pct_yes,n\nX,Reviewing,engagement,N/A,\nX,Reviewing,desistance,"
        "Not applicable,0\n",
    )
    kq, _ = read_rating_table(path)
    assert kq["pct_given"].tolist() == ["not applicable"] * 2
    assert kq["n"].tolist() == [0.0, 0.0] and kq["pct_yes"].isna().all()


def test_a_rating_repeated_alike_is_kept_once(tmp_path):
    path = _write(
        tmp_path,
        "unit,standard,published_rating\nX,Leadership,Good\nX,P1.1,good\nX,Staffing,Good\n",
    )
    _, pub = read_rating_table(path)
    assert pub[["standard", "rating"]].values.tolist() == [
        ["leadership", "Good"],
        ["staffing", "Good"],
    ]
    assert pub["where"].iloc[0].endswith("row 2")  # the first of the repeats


def test_a_rating_on_a_keeping_safe_row_is_the_rating_of_its_standard(tmp_path):
    # the area 'keeping safe' names key question assessment_keeping_safe, whose standard is
    # assessment (before: KeyError 'assessment_keeping' from cutting the id at its last '_')
    path = _write(
        tmp_path,
        "unit,standard,area,pct_yes,n,published_rating\n"
        "X,Assessment,engagement,70,20,\n"
        "X,Assessment,desistance,80,20,\n"
        "X,Assessment,keeping safe,90,20,Inadequate\n",
    )
    kq, pub = read_rating_table(path)
    assert kq["key_question"].tolist() == [
        "assessment_engagement",
        "assessment_desistance",
        "assessment_keeping_safe",
    ]
    assert kq["pct_yes"].tolist() == [70.0, 80.0, 90.0]
    assert pub[["unit", "standard", "rating"]].values.tolist() == [
        ["X", "assessment", "Inadequate"]
    ]
    assert pub["where"].tolist() == [f"{path}, row 4"]


def test_empty_cells_beyond_the_header_are_not_read(tmp_path):
    path = _write(tmp_path, "unit,standard,area,pct_yes,n\nYork,Planning,engagement,70,20,,\n")
    kq, _ = read_rating_table(path)
    assert kq[["key_question", "pct_yes", "n"]].values.tolist() == [
        ["planning_engagement", 70.0, 20.0]
    ]


def test_a_row_wider_than_the_header_says_so_when_it_cannot_be_read(tmp_path):
    # '64,9' unquoted, with the rating cell left empty: 20 lands in published_rating
    header = "unit,standard,area,pct_yes,n,published_rating\n"
    wide = _write(tmp_path, header + "York,Assessment,engagement,64,9,20,\n")
    with pytest.raises(InputDataError) as err:
        read_rating_table(wide)
    assert str(err.value).startswith(
        f"{wide}, row 2, column published_rating: Unknown rating label '20'"
    )
    assert str(err.value).endswith(
        "This row has 7 values but the header has 6 columns (a stray comma? a decimal comma "
        "such as 12,9 must be written 12.9), so its values may be in the wrong columns."
    )
    fitting = _write(tmp_path, header + "York,Assessment,engagement,64,9,20\n", "fits.csv")
    with pytest.raises(InputDataError, match="Unknown rating label '20'") as err:
        read_rating_table(fitting)
    assert "This row has" not in str(err.value)


def test_figures_without_an_area_say_whether_the_standard_has_key_questions(tmp_path):
    planning = _write(tmp_path, "unit,standard,pct_yes,n\nYork,Planning,70,20\n")
    with pytest.raises(InputDataError) as err:
        read_rating_table(planning)
    assert str(err.value) == (
        f"{planning}, row 2: figures 70, 20 are given, but no key question: give 'area' "
        "(engagement, desistance, keeping safe) or 'key_question'; planning has a key "
        "question per area, so the row needs its area."
    )
    staffing = _write(tmp_path, "unit,standard,pct_yes,n\nYork,Staffing,70,20\n", "s.csv")
    with pytest.raises(InputDataError, match="; staffing is not rated from key questions.$"):
        read_rating_table(staffing)
