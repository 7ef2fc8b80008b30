"""The Python rating API refuses what it cannot rate honestly, with clear errors."""

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks, ratings
from analysis.exceptions import InputDataError

FW = frameworks.get("pdu-2023")


def _cases(pdu: str = "York", n: int = 6, source: str = "case records", kind: str = "real"):
    rows = [
        {"case_id": f"{pdu}-{i}", "pdu": pdu, "source": source}
        | {k: "yes" if i % 2 else "no" for k in FW.key_question_ids}
        for i in range(n)
    ]
    frame = pd.DataFrame(rows)
    frame.attrs.update(dataset=f"{kind}-set", dataset_kind=kind)
    return frame


def test_real_and_synthetic_rows_pooled_with_concat_are_refused():
    pooled = pd.concat([_cases(), _cases("Selby", source="synthetic", kind="synthetic")])
    assert "dataset_kind" not in pooled.attrs  # pandas dropped both marks
    with pytest.raises(InputDataError, match="pools synthetic and other rows"):
        ratings.rate(pooled)


def test_rows_of_two_datasets_named_in_a_column_are_refused():
    pooled = pd.concat([_cases().assign(dataset="a"), _cases("Selby").assign(dataset="b")])
    with pytest.raises(InputDataError, match="several datasets .*'dataset': a, b"):
        ratings.rate(pooled)


def test_a_case_twice_in_a_unit_is_refused():
    cases = _cases()
    doubled = pd.concat([cases, cases.iloc[[2]]], ignore_index=True)
    with pytest.raises(InputDataError, match="same case_id more than once.*'York-2' at rows 3, 7"):
        ratings.rate(doubled)
    ratings.rate(cases)  # the same cases once are rated


def test_conflicting_domain_one_ratings_are_refused_and_exact_repeats_kept_once():
    other = pd.DataFrame(
        {
            "pdu": ["York"] * 4,
            "standard": ["leadership", "staffing", "services", "leadership"],
            "rating": ["Good", "Good", "Good", "Inadequate"],
        }
    )
    with pytest.raises(
        InputDataError, match="different ratings.*pdu='York', standard='leadership'"
    ):
        ratings.rate(_cases(), other_ratings=other)
    repeated = other.assign(rating="Good")
    result = ratings.rate(_cases(), other_ratings=repeated)
    assert result.overall["n_standards_rated"].iloc[0] == len(FW.standards)


@pytest.mark.parametrize("value", [np.nan, -0.1, 1.5, "high", None, True])
def test_borderline_at_must_be_a_probability(value):
    with pytest.raises(InputDataError, match="borderline_at must be a probability"):
        ratings.rate(_cases(), borderline_at=value)


@pytest.mark.parametrize(
    "frame, message",
    [
        (pd.DataFrame(), "no rows"),
        ([{"pdu": "York"}], "must be a pandas DataFrame"),
        (pd.DataFrame({"pdu": ["York"]}), "Key-question column"),
        (pd.DataFrame({"unit": ["York"]}), "Unit column"),
        (pd.concat([_cases(), _cases()], axis=1), "more than once"),
        (_cases().assign(pdu=[None, "York", "York", "York", "York", "York"]), "row 1: no unit"),
        (_cases().assign(**{FW.key_question_ids[0]: 1}), "is not one of yes, no"),
    ],
)
def test_ordinary_bad_frames_give_errors_not_tracebacks(frame, message):
    with pytest.raises(InputDataError, match=message):
        ratings.rate(frame)
