"""analysis.models._design: input checks, exposures and design matrices of the case-level models.

Every expected value is worked by hand from the small frames below (quality score = share of
applicable key questions answered yes; treatment coding with the first level as reference).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import InputDataError, ParameterError
from analysis.frameworks import get
from analysis.models._design import (
    Exposure,
    as_list,
    build_design,
    check_columns,
    constant_columns,
    covariate_columns,
    exposures,
    outcome_vector,
    term_words,
)

KEY_QUESTIONS = get("pdu-2023").key_question_ids


def _cases() -> pd.DataFrame:
    """Four cases: all yes; assessment and planning yes (6 of 12); assessment only (3 of 12);
    nothing applicable."""
    rows = [
        ["yes"] * 12,
        ["yes"] * 6 + ["no"] * 6,
        ["yes"] * 3 + ["no"] * 9,
        ["not_applicable"] * 12,
    ]
    return pd.DataFrame(rows, columns=list(KEY_QUESTIONS))


def test_terms_read_as_words():
    assert term_words("sentence_type[licence]") == "sentence type: licence"
    assert term_words("gender") == "gender"
    assert term_words("some_new[level_x]") == "some new: level x"


def test_as_list_takes_none_one_name_or_many():
    assert as_list(None) == []
    assert as_list("rosh") == ["rosh"]
    assert as_list(("rosh", "gender")) == ["rosh", "gender"]


def test_constant_columns_have_fewer_than_two_values_once_missing_ones_are_dropped():
    frame = pd.DataFrame({"a": [1, 1, np.nan], "b": [1, 2, np.nan], "c": [np.nan] * 3})
    assert constant_columns(frame, ["a", "b", "c"]) == ["a", "c"]


def test_column_checks_name_the_column_and_what_is_there():
    frame = pd.DataFrame({"a": [1, 1, np.nan], "b": [1, 2, 3]})
    with pytest.raises(
        InputDataError, match=r"Outcome column 'zz' is not in .* Available columns: a, b\."
    ):
        check_columns(frame, ["zz"], "outcome")
    with pytest.raises(InputDataError, match=r"'a' is constant \(2 non-missing rows, value 1\.0\)"):
        check_columns(frame, ["a"], "covariate")
    check_columns(frame, ["a", "b"], "covariate", allow_constant=True)  # no error
    with pytest.raises(InputDataError, match="Expected a case-level DataFrame first, got list"):
        check_columns([1, 2], ["a"], "outcome")


def test_outcome_vector_is_float_with_nan_for_not_applicable():
    flags = pd.DataFrame({"y": pd.array([True, False, None], dtype="boolean")})
    np.testing.assert_array_equal(outcome_vector(flags, "y"), [1.0, 0.0, np.nan])
    numbers = pd.DataFrame({"y": [0, 1, np.nan]})
    np.testing.assert_array_equal(outcome_vector(numbers, "y"), [0.0, 1.0, np.nan])


@pytest.mark.parametrize("values, shown", [([1, "yes"], "'yes'"), ([0, 2], "2")])
def test_a_value_that_is_not_binary_names_its_row(values, shown):
    with pytest.raises(
        InputDataError, match=f"Outcome column 'y', row 1: value {shown} is not binary"
    ):
        outcome_vector(pd.DataFrame({"y": values}), "y")


def test_quality_score_exposure_is_the_share_of_yes_per_10_points():
    (exp,) = exposures(_cases(), "quality_score")
    assert (exp.family, exp.label, exp.kind) == ("quality_score", "quality_score", "continuous")
    np.testing.assert_allclose(exp.columns["quality_score_per_10pts"], [10, 5, 2.5, np.nan])
    (per_5,) = exposures(_cases(), "quality_score", per=5)
    np.testing.assert_allclose(per_5.columns["quality_score_per_5pts"], [20, 10, 5, np.nan])


def test_quality_band_exposure_has_one_indicator_per_band_above_the_worst():
    (exp,) = exposures(_cases(), "quality_band")
    # scores 1.0, 0.5, 0.25: high, adequate (0.5 is its lower bound), inadequate
    np.testing.assert_array_equal(exp.columns["quality_band[adequate]"], [0, 1, 0, np.nan])
    np.testing.assert_array_equal(exp.columns["quality_band[high]"], [1, 0, 0, np.nan])
    assert exp.kind == "indicator"
    assert exp.siblings == ["quality_band[adequate]", "quality_band[high]"]


def test_standard_exposures_are_one_model_per_case_based_standard():
    models = {e.label: e for e in exposures(_cases(), "standard")}
    assert list(models) == [
        "standard_assessment",
        "standard_planning",
        "standard_implementation_and_delivery",
        "standard_reviewing",
    ]
    np.testing.assert_allclose(
        models["standard_planning"].columns["standard_planning_per_10pts"], [10, 10, 0, np.nan]
    )
    assert {e.family for e in models.values()} == {"standard"}


def test_a_key_question_exposure_is_yes_one_no_zero_not_applicable_missing():
    (exp,) = exposures(_cases(), "planning_keeping_safe")
    assert (exp.family, exp.kind) == ("key_question", "indicator")
    np.testing.assert_array_equal(exp.columns["planning_keeping_safe"], [1, 1, 0, np.nan])
    assert [e.label for e in exposures(_cases(), "key_question")] == list(KEY_QUESTIONS)


def test_an_unknown_exposure_or_a_bad_answer_is_refused():
    with pytest.raises(ParameterError, match="exposure='nonsense' is not known; use one of"):
        exposures(_cases(), "nonsense")
    bad = _cases()
    bad.loc[0, "assessment_engagement"] = "maybe"
    with pytest.raises(InputDataError, match="'maybe' is not one of"):
        exposures(bad, "assessment_engagement")


def test_covariates_are_treatment_coded_and_say_which_levels_are_empty():
    rosh = pd.Categorical(["low", "medium", "low", "medium"], categories=["low", "medium", "high"])
    frame = pd.DataFrame({"rosh": rosh, "age": [20.0, 30.0, 40.0, 50.0]})
    cols, factors, notes = covariate_columns(frame, ["rosh", "age"], np.ones(4, bool))
    np.testing.assert_array_equal(cols["rosh[medium]"], [0, 1, 0, 1])
    np.testing.assert_array_equal(cols["age"], [20, 30, 40, 50])
    assert factors == {"rosh": ["rosh[medium]"]}
    assert notes == ["rosh: no cases at level(s) high"]


def test_an_ordered_level_that_separates_the_outcome_joins_the_level_below():
    rosh = pd.Categorical(
        ["low", "low", "medium", "medium", "high", "high"],
        categories=["low", "medium", "high"],
        ordered=True,
    )
    y = np.array([0, 1, 0, 1, 1, 1.0])  # every high-RoSH case has the outcome
    cols, factors, notes = covariate_columns(
        pd.DataFrame({"rosh": rosh}), ["rosh"], np.ones(6, bool), y
    )
    assert factors == {"rosh": ["rosh[medium]"]}
    np.testing.assert_array_equal(cols["rosh[medium]"], [0, 0, 1, 1, 1, 1])
    assert notes == [
        "risk of serious harm: level high merged into medium (its cases all had the same outcome)"
    ]


def test_a_reference_level_that_separates_the_outcome_joins_the_next_level():
    # text levels sort as high, low, medium: the reference "high" has only events
    frame = pd.DataFrame({"rosh": ["low", "low", "medium", "medium", "high", "high"]})
    y = np.array([0, 1, 0, 1, 1, 1.0])
    cols, factors, notes = covariate_columns(frame, ["rosh"], np.ones(6, bool), y)
    assert factors == {"rosh": ["rosh[medium]"]}
    np.testing.assert_array_equal(cols["rosh[medium]"], [0, 0, 1, 1, 0, 0])
    assert notes == [
        "risk of serious harm: reference level high merged into low "
        "(its cases all had the same outcome)"
    ]


def _design_cases() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pdu": ["A", "A", "A", "B", "B", "B", "C", "C"],
            "x": [1.0, 2, 3, 4, 5, 6, 7, np.nan],
            "gender": ["male", "female", "male", "female", "female", "male", "male", "female"],
        }
    )


def test_the_design_keeps_complete_rows_and_orders_intercept_exposure_covariates():
    cases = _design_cases()
    y = np.array([1, 0, 1, 0, 1, 0, np.nan, 1])  # PDU C loses both cases
    exposure = Exposure("quality_score", "x", {"x": cases["x"].to_numpy()}, "continuous")
    design = build_design(cases, y, exposure, covariates=["gender"], cluster_by="pdu")
    assert design.names == ["Intercept", "x", "gender[male]"]
    np.testing.assert_array_equal(
        design.X, [[1, 1, 1], [1, 2, 0], [1, 3, 1], [1, 4, 0], [1, 5, 0], [1, 6, 1]]
    )
    np.testing.assert_array_equal(design.y, [1, 0, 1, 0, 1, 0])
    np.testing.assert_array_equal(design.groups, [0, 0, 0, 1, 1, 1])
    assert design.n_groups == 2 and design.exposure_terms == ["x"]
    assert design.factor_terms == {"gender": ["gender[male]"]}
    assert design.notes == ["2 cases left out (outcome, exposure or covariate missing)"]


def test_within_pdu_adds_each_pdus_mean_of_the_exposure_last():
    cases = _design_cases()
    y = np.array([1, 0, 1, 0, 1, 0, np.nan, 1])
    exposure = Exposure("quality_score", "x", {"x": cases["x"].to_numpy()}, "continuous")
    design = build_design(cases, y, exposure, covariates=[], cluster_by="pdu", within_pdu=True)
    assert design.names == ["Intercept", "x", "x[pdu_mean]"]
    np.testing.assert_allclose(design.X[:, 2], [2, 2, 2, 5, 5, 5])  # means of 1-3 and 4-6
    assert (
        design.notes[-1] == "within-PDU association: adjusted for each pdu's mean of the exposure"
    )


def test_a_band_with_no_analysed_case_loses_its_indicator_and_keeps_the_other():
    cases = _design_cases()
    y = np.array([1, 0, 1, 0, 1, 0, 1, 0])
    bands = {"b[1]": np.array([1, 0, 1, 0, 1, 0, 1, 0.0]), "b[2]": np.zeros(8)}
    exposure = Exposure("quality_band", "b", bands, "indicator", siblings=["b[1]", "b[2]"])
    design = build_design(cases, y, exposure, covariates=[], cluster_by="pdu")
    assert design.names == ["Intercept", "b[1]"]
    assert (design.exposure_terms, design.empty_terms, design.siblings) == (
        ["b[1]"],
        ["b[2]"],
        ["b[1]"],
    )
    assert design.n_groups == 3 and design.notes == []
