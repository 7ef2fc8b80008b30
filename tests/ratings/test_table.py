"""analysis.ratings.table: rating a table of published key-question percentages beside the
published ratings (``rate_table``, ``rate_published``) and what ``TableRating`` holds.

(What ``analysis rate`` prints and writes for such a table is checked in
test_rate_accepted_inputs.py and test_rate_output.py.) Expected ratings are worked by hand
from the band rule of ``frameworks/pdu-2023.toml`` (Outstanding >= 80, Good >= 65, RI >= 50,
unrounded).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import config, frameworks, ratings
from analysis.exceptions import InputDataError, ParameterError
from analysis.ratings import rate_published, rate_table
from analysis.ratings.table import TIDY_COLUMNS, check_borderline_at

YORK = config.PROJECT_ROOT / "examples" / "york-2024.csv"
FW = frameworks.get("pdu-2023")


def _rows(unit, standard, pcts, n):
    kqs = [k.id for k in FW.key_questions if k.standard == standard]
    return [
        {"unit": unit, "key_question": k, "pct_yes": p, "n": n, "n_yes": np.nan}
        for k, p in zip(kqs, pcts, strict=True)
    ]


@pytest.fixture(scope="module")
def two_units() -> ratings.TableRating:
    """A: assessment on the Good edge at 200 cases (65% is 129 to 131 of 200), planning 70%
    (Good); B: assessment 25% (Inadequate). Published: A assessment RI, planning Inadequate,
    leadership Good; B assessment Inadequate."""
    key_questions = pd.DataFrame(
        _rows("A", "assessment", (65, 80, 90), 200)
        + _rows("A", "planning", (70, 70, 70), 20)
        + _rows("B", "assessment", (25, 30, 35), 20)
    )
    published = pd.DataFrame(
        {
            "unit": ["A", "A", "A", "B"],
            "standard": ["assessment", "planning", "leadership", "assessment"],
            "rating": ["Requires improvement", "Inadequate", "Good", "Inadequate"],
        }
    )
    return rate_published(key_questions, published, name="two units")


def test_rate_table_of_a_dataframe_says_what_to_call():
    with pytest.raises(ParameterError, match="needs its path .*rate_published"):
        ratings.rate_table(pd.read_csv(YORK))


def test_borderline_at_is_checked_by_the_library_too():
    with pytest.raises(ParameterError, match="strictly between 0 and 1"):
        rate_table(YORK, borderline_at=-0.1)


@pytest.mark.parametrize("value", [0, 1])
def test_rate_published_refuses_borderline_at_0_and_1_naming_the_value(value):
    key_questions = pd.DataFrame(_rows("A", "planning", (70, 70, 70), 20))
    published = pd.DataFrame(columns=["unit", "standard", "rating"])
    with pytest.raises(ParameterError, match=rf"strictly between 0 and 1 .*, got {value};"):
        rate_published(key_questions, published, borderline_at=value)


def test_a_published_rating_on_a_keeping_safe_row_is_compared_with_its_standard(tmp_path):
    # lowest 70% (engagement): Good, beside the Inadequate given on the keeping-safe row
    path = tmp_path / "t.csv"
    path.write_text(
        "unit,standard,area,pct_yes,n,published_rating\n"
        "X,Assessment,engagement,70,20,\n"
        "X,Assessment,desistance,80,20,\n"
        "X,Assessment,keeping safe,90,20,Inadequate\n",
        encoding="utf-8",
    )
    row = rate_table(path).comparison.set_index("standard").loc["assessment"]
    assert (row["computed_rating"], row["published_rating"]) == ("Good", "Inadequate")
    assert row["status"] == "differs" and row["band_difference"] == -2  # two bands below


def test_court_work_is_a_case_standard_of_pdu_2021_rated_as_published():
    """Essex North 2022: 'Inadequate' for eight of nine standards, 'one point out of 27'."""
    fw = frameworks.get("pdu-2021")
    assert "court_work" in fw.case_based_standards
    assert "court_work" not in fw.standards_with_key_questions  # no key questions held
    published = pd.DataFrame(
        {
            "unit": ["Essex North PDU"] * 9,
            "standard": list(fw.standard_slugs),
            "rating": ["Requires improvement"] + ["Inadequate"] * 8,
        }
    )
    empty = pd.DataFrame(columns=["unit", "key_question", "pct_yes", "n", "n_yes"])
    overall = rate_published(empty, published, fw).overall.iloc[0]
    assert (overall["overall_score"], overall["overall_rating"]) == (1, "Inadequate")


@pytest.mark.parametrize("value", [0, 1, 0.0, 1.0, -0.1, 1.5, float("nan")])
def test_borderline_at_lies_strictly_between_0_and_1(value):
    with pytest.raises(ParameterError, match="strictly between 0 and 1"):
        check_borderline_at(value)


def test_borderline_at_must_be_a_number():
    assert check_borderline_at("0.35") == 0.35 and check_borderline_at(0.2) == 0.2
    with pytest.raises(ParameterError, match="borderline_at must be a number, got 'abc'"):
        check_borderline_at("abc")


def test_a_framework_without_key_questions_is_refused_naming_those_that_can_be_rated():
    with pytest.raises(InputDataError, match="'youth-2018' .* has no key questions rated") as err:
        rate_table(YORK, "youth-2018")
    assert "Frameworks it can rate: pdu-2021, pdu-2023, probation-2018." in str(err.value)


def test_each_unit_is_rated_from_its_own_rows(two_units):
    std = two_units.standards.set_index(["unit", "standard"])
    assert std.loc[("A", "assessment"), "rating"] == "Good"  # 130/200 = 65%, on the edge
    assert std.loc[("A", "planning"), "rating"] == "Good"  # 14/20 = 70%
    assert std.loc[("B", "assessment"), "rating"] == "Inadequate"  # 5/20 = 25%
    assert pd.isna(std.loc[("B", "planning"), "rating"])  # no rows for B's planning
    assert list(two_units.standards.columns[-3:]) == ["published_rating", "status", "source"]


def _pairs(frame):
    return list(zip(frame["unit"], frame["standard"], strict=True))


def test_differences_ambiguities_and_departures_are_the_comparison_by_status(two_units):
    # planning: Good computed, Inadequate published: published minus computed, -2 bands
    assert _pairs(two_units.differences) == [("A", "planning")]
    assert two_units.differences.iloc[0]["band_difference"] == -2
    # assessment: 64.5% to 65.5% spans RI and Good, so the published RI is not a difference
    assert _pairs(two_units.ambiguous) == [("A", "assessment")]
    assert two_units.departures.empty
    status = two_units.comparison.set_index(["unit", "standard"])["status"]
    assert status[("B", "assessment")] == "agrees"
    assert status[("A", "leadership")] == "not rated from cases"


def test_overall_needs_every_standard(two_units):
    overall = two_units.overall.set_index("unit")
    assert overall["overall_score"].isna().all() and set(overall["basis"]) == {"computed"}
    assert overall.loc["A", "missing_standards"] == (
        "staffing, services, implementation_and_delivery, reviewing"
    )  # leadership is published; assessment and planning are computed


def test_the_tidy_table_keeps_unit_order_and_the_documented_columns(two_units):
    tidy = two_units.tidy()
    known = [c for c in tidy.columns if c in TIDY_COLUMNS]
    assert known == [c for c in TIDY_COLUMNS if c in known] == list(tidy.columns)
    assert list(dict.fromkeys(tidy["unit"])) == ["A", "B"]
    a = tidy[tidy["unit"] == "A"]
    assert list(a["standard"]) == [
        *("leadership", "assessment", "planning", "implementation_and_delivery", "reviewing"),
        "overall",
    ]
    assert tidy["differs_from_published"].sum() == 1 and set(tidy["source"]) == {"two units"}


def test_the_text_account_is_the_representation(two_units):
    assert repr(two_units) == two_units.to_text()
    assert "Difference: planning computed Good, published Inadequate." in repr(two_units)
