"""analysis.ratings._common: what the rating modules share (unit keys, rating labels, band
lookup, the key-question table, the dataset marks and the checks of ``rate``'s inputs).

Bands are those of ``frameworks/pdu-2023.toml``; expected values are worked by hand.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks
from analysis.exceptions import InputDataError
from analysis.frameworks.dtypes import RATING_DTYPE
from analysis.ratings._common import (
    PROB_COLUMNS,
    band_index,
    by_columns,
    check_cases,
    check_other_ratings,
    keep_dataset,
    rating_labels,
    require_rating,
    scores_frame,
)

FW = frameworks.get("pdu-2023")


def _marked(name, kind):
    frame = pd.DataFrame({"x": [1]})
    frame.attrs.update(dataset=name, dataset_kind=kind)
    return frame


def test_probability_columns_are_best_first():
    assert PROB_COLUMNS == ["p_outstanding", "p_good", "p_requires_improvement", "p_inadequate"]


@pytest.mark.parametrize(
    "by, columns",
    [(None, []), ("pdu", ["pdu"]), (["region", "pdu"], ["region", "pdu"]), (("pdu",), ["pdu"])],
)
def test_by_columns(by, columns):
    assert by_columns(by) == columns


@pytest.mark.parametrize("value", [None, np.nan, pd.NA, "", "   "])
def test_a_missing_rating_is_none(value):
    assert require_rating(value) is None


def test_a_rating_is_read_whatever_its_case_and_any_other_text_refused():
    assert require_rating(" good ") == "Good"
    with pytest.raises(
        InputDataError,
        match="Unknown rating label 'Excellent'; expected one of Outstanding, Good, "
        "Requires improvement, Inadequate.",
    ):
        require_rating("Excellent")
    with pytest.raises(InputDataError, match="Unknown rating label 3"):
        require_rating(3)


def test_band_index_lower_bound_inclusive_worst_band_zero():
    edges = np.array([0, 50, 65, 80])
    values = np.array([0, 49.99, 50, 64.9, 65, 79.99, 80, 100, np.nan])
    assert band_index(values, edges).tolist() == [0, 0, 1, 1, 2, 2, 3, 3, -1]


def test_rating_labels_from_band_indexes():
    labels = rating_labels(np.array([0, 3, -1, 1]))
    assert labels.dtype == RATING_DTYPE
    assert list(labels[:2]) == ["Inadequate", "Outstanding"] and pd.isna(labels[2])
    assert labels[3] == "Requires improvement"


def test_scores_frame_lays_out_one_row_per_unit_and_key_question():
    keys = pd.DataFrame({"pdu": ["A", "B"]})
    n_app = np.full((2, 12), 20.0)
    n_yes = np.full((2, 12), 10.0)
    n_app[1, 0], n_yes[1, 0] = 0, 0  # B: no applicable case for the first key question
    out = scores_frame(keys, FW, n_app, n_yes)
    assert len(out) == 24 and list(out["pdu"]) == ["A"] * 12 + ["B"] * 12
    assert list(out["key_question"][:12]) == list(FW.key_question_ids)
    assert list(out.loc[:2, "area"]) == ["engagement", "desistance", "keeping_safe"]
    assert (out["standard"][:3] == "assessment").all()
    assert out["pct_yes"][0] == 50.0 and out["n_yes"].dtype == "int64"
    b_first = out.iloc[12]
    assert b_first["n_applicable"] == 0
    assert np.isnan(b_first["pct_yes"]) and np.isnan(b_first["ci_low"])


# --- dataset marks --------------------------------------------------------------------------


def test_the_first_input_that_names_a_dataset_gives_the_result_its_marks():
    result = keep_dataset(pd.DataFrame(), None, _marked("york-2024", "real"), _marked("x", "real"))
    assert (result.attrs["dataset"], result.attrs["dataset_kind"]) == ("york-2024", "real")


def test_marks_already_on_the_result_are_kept():
    result = _marked("mine", "synthetic")
    keep_dataset(result, _marked("theirs", "synthetic"))
    assert result.attrs["dataset"] == "mine"


def test_inputs_without_marks_leave_none():
    result = keep_dataset(pd.DataFrame(), pd.DataFrame(), [1, 2], None)
    assert result.attrs == {}


def test_inputs_of_two_kinds_are_refused_naming_both():
    with pytest.raises(
        InputDataError, match=r"'york-2024' \(real\), 'sample' \(synthetic\). Real and synthetic"
    ):
        keep_dataset(pd.DataFrame(), _marked("york-2024", "real"), _marked("sample", "synthetic"))


# --- checks of rate's inputs ----------------------------------------------------------------


def _cases(**columns):
    return pd.DataFrame({"pdu": ["York", "York", "Selby"], **columns})


def test_cases_of_one_declared_kind_or_source_pass():
    check_cases(_cases(dataset_kind=["synthetic"] * 3, source="synthetic"), ["pdu"])
    check_cases(_cases(source=["Synthetic ", "synthetic", "SYNTHETIC"]), ["pdu"])


def test_cases_of_two_declared_kinds_are_refused():
    with pytest.raises(InputDataError, match=r"column 'dataset_kind': real, synthetic"):
        check_cases(_cases(dataset_kind=["real", "synthetic", "real"]), ["pdu"])


def test_the_same_case_id_in_two_units_is_two_cases():
    check_cases(_cases(case_id=["c1", "c2", "c1"]), ["pdu"])
    # long format repeats a case's id on each of its answers
    check_cases(_cases(case_id=["c1", "c1", "c2"], key_question="x"), ["pdu"])
    with pytest.raises(InputDataError, match="same case_id more than once"):
        check_cases(_cases(case_id=["c1", "c1", "c2"]), ["pdu"])


def test_no_other_ratings_is_none_and_a_non_table_refused():
    assert check_other_ratings(None, ["pdu"]) is None
    with pytest.raises(InputDataError, match="must be a DataFrame .* got list"):
        check_other_ratings([{"pdu": "York"}], ["pdu"])


def test_other_ratings_name_the_columns_they_lack():
    with pytest.raises(InputDataError, match=r"lacks column\(s\) \['pdu', 'rating'\]"):
        check_other_ratings(pd.DataFrame({"unit": ["York"], "standard": ["leadership"]}), ["pdu"])


def test_repeats_of_one_rating_however_written_are_kept_once():
    other = pd.DataFrame(
        {
            "pdu": ["York", "York", "York", "Selby"],
            "standard": ["leadership", "leadership", "staffing", "leadership"],
            "rating": ["Good", " good", "Good", "Inadequate"],
        }
    )
    kept = check_other_ratings(other, ["pdu"])
    assert kept[["pdu", "standard"]].values.tolist() == [
        ["York", "leadership"],
        ["York", "staffing"],
        ["Selby", "leadership"],
    ]
