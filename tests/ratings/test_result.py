"""analysis.ratings.result: ``rate``, one call from case answers to key-question scores,
standard and overall ratings, its refusals of what it cannot rate honestly, and
``RatingResult``.

Expected figures come from York PDU 2024 (seed 003): four Inadequate case-supervision standards
and, with domain one Requires improvement, 3/21 Inadequate.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks, ratings
from analysis.exceptions import InputDataError, ParameterError

FW = frameworks.get("pdu-2023")


def test_york_2024_key_questions_standards_and_overall(york_cases, york_domain_one):
    """Seed 003: four Inadequate case-supervision standards; with domain one RI, 3/21 Inadequate."""
    result = ratings.rate(york_cases, by="pdu", other_ratings=york_domain_one)
    kq = result.key_questions.set_index("key_question")
    assert kq.loc["assessment_keeping_safe", "pct_yes"] == 25
    assert kq.loc["implementation_and_delivery_desistance", "pct_yes"] == 30
    assert (kq["n_applicable"] == 20).all()
    std = result.standards.set_index("standard")
    assert list(std["rating"].astype(str)) == ["Inadequate"] * 4
    assert std.loc["assessment", "lowest_key_question"] == "assessment_keeping_safe"
    overall = result.overall.iloc[0]
    assert overall["overall_score"] == 3
    assert overall["max_score"] == 21
    assert overall["overall_rating"] == "Inadequate"


def test_synthetic_flag_travels_into_every_rating_table(york_cases):
    """Simulated cases must never produce a rating table that could pass for real results."""
    from analysis.synthetic.generate import simulate

    sample = simulate(seed=5, cases_per_pdu=6, regions=["North East"])
    result = ratings.rate(sample.cases, by="pdu", other_ratings=sample.unit_ratings)
    for table in (result.key_questions, result.standards, result.overall):
        assert table.attrs["synthetic"] is True
        assert (table["source"] == "synthetic").all()
        assert table.columns[-1] == "source"
    assert "SYNTHETIC DATA" in repr(result)
    real = ratings.rate(york_cases, by="pdu")
    assert real.standards.attrs["synthetic"] is False and "SYNTHETIC" not in repr(real)


# --- RatingResult ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def york_and_a_strong_unit(york_cases_shared) -> ratings.RatingResult:
    """York (seed 003) beside 'Strong', whose 20 cases are all answered yes."""
    strong = york_cases_shared.assign(pdu="Strong")
    strong[list(FW.key_question_ids)] = "yes"
    cases = pd.concat([york_cases_shared, strong], ignore_index=True)
    return ratings.rate(cases, by="pdu", probability_model="independent")


def test_rating_counts_count_units_per_standard_and_rating(york_and_a_strong_unit):
    counts = york_and_a_strong_unit.rating_counts()
    assert list(counts.index) == list(FW.case_based_standards)
    assert list(counts.columns) == list(frameworks.RATINGS)
    # York: every case standard Inadequate; Strong: 100% everywhere, Outstanding
    assert counts["Outstanding"].tolist() == [1, 1, 1, 1]
    assert counts["Inadequate"].tolist() == [1, 1, 1, 1]
    assert counts[["Good", "Requires improvement"]].to_numpy().sum() == 0


def test_the_result_names_framework_units_and_counts(york_and_a_strong_unit):
    result = york_and_a_strong_unit
    assert (result.framework, result.by) == ("pdu-2023", ("pdu",))
    text = repr(result)
    assert text.splitlines()[0] == "<RatingResult pdu-2023: 2 unit(s), 8 standard ratings>"
    # no domain-one ratings given: no overall rating, so none is counted (worst band first)
    assert text.splitlines()[-1] == (
        "overall: Inadequate 0, Requires improvement 0, Good 0, Outstanding 0"
    )
    html = result._repr_html_()
    assert html.startswith("<p><b>RatingResult</b> (pdu-2023)</p><table")
    assert "Synthetic data" not in html


def test_all_cases_as_one_unit(york_cases, york_domain_one):
    result = ratings.rate(
        york_cases.drop(columns="pdu"),
        by=None,
        other_ratings=york_domain_one.drop(columns="pdu"),
        probability_model="independent",
    )
    assert result.by == () and len(result.standards) == 4
    assert result.overall.iloc[0]["overall_score"] == 3
    assert repr(result).startswith("<RatingResult pdu-2023: 1 unit(s), 4 standard ratings>")


def test_borderline_at_reaches_the_standards_and_the_overall_rating(york_cases, york_domain_one):
    # each of York's ratings differs from its true band with probability above 1e-6 (the least,
    # implementation and delivery, 6.8e-5): at borderline_at = 1e-6 every rating is borderline
    result = ratings.rate(
        york_cases,
        other_ratings=york_domain_one,
        borderline_at=1e-6,
        probability_model="independent",
    )
    assert result.standards["borderline"].all() and result.overall["borderline"].all()


# --- refusals -------------------------------------------------------------------------------


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


@pytest.mark.parametrize("value", [0, 1, 0.0, 1.0, np.nan, -0.1, 1.5, True, False])
def test_borderline_at_lies_strictly_between_0_and_1(value):
    with pytest.raises(ParameterError, match="borderline_at must lie strictly between 0 and 1"):
        ratings.rate(_cases(), borderline_at=value)


@pytest.mark.parametrize("value", ["high", None])
def test_borderline_at_must_be_a_number(value):
    with pytest.raises(ParameterError, match=f"borderline_at must be a number, got {value!r}"):
        ratings.rate(_cases(), borderline_at=value)


@pytest.mark.parametrize("value", [0, 1])
def test_borderline_at_is_one_rule_for_cases_tables_and_published_figures(tmp_path, value):
    """rate, rate_table and rate_published refuse the same values with the same words."""
    table = tmp_path / "t.csv"
    table.write_text("unit,standard,published_rating\nYork,Leadership,Good\n", encoding="utf-8")
    published = pd.DataFrame({"unit": ["York"], "standard": ["leadership"], "rating": ["Good"]})
    no_figures = pd.DataFrame(columns=["unit", "key_question", "pct_yes", "n", "n_yes"])
    calls = [
        lambda: ratings.rate(_cases(), borderline_at=value),
        lambda: ratings.rate_table(table, borderline_at=value),
        lambda: ratings.rate_published(no_figures, published, borderline_at=value),
    ]
    said = set()
    for call in calls:
        with pytest.raises(ParameterError) as err:
            call()
        said.add(str(err.value))
    assert said == {
        f"borderline_at must lie strictly between 0 and 1 (a probability), got {value!r}; "
        "the default is 0.2."
    }


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
