"""analysis.ratings.scores: key-question scores from case answers, standard ratings from the
lowest key question (rule properties at every edge), and the borderline flag.

Expected figures come from York PDU 2024 (seed 003), the band rule of
``frameworks/pdu-2023.toml`` (Outstanding >= 80, Good >= 65, RI >= 50, unrounded) worked by
hand, and statsmodels for the Wilson interval.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import frameworks, ratings
from analysis.exceptions import InputDataError
from analysis.frameworks.dtypes import RATING_DTYPE
from analysis.ratings import published
from analysis.ratings.scores import fit_population, unit_keys

FW = frameworks.get("pdu-2023")
ASSESSMENT = list(FW.key_question_ids[:3])


def test_wilson_columns_match_stats_module(york_cases):
    kq = ratings.key_question_scores(york_cases, by="pdu")
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(kq["n_yes"], kq["n_applicable"], method="wilson")
    np.testing.assert_allclose(kq["ci_low"], 100 * low, atol=1e-9)
    np.testing.assert_allclose(kq["ci_high"], 100 * high, atol=1e-9)


def test_not_applicable_leaves_the_denominator(york_cases):
    cases = york_cases
    cases.loc[:4, "reviewing_engagement"] = "not_applicable"  # 5 cases had no review due
    kq = ratings.key_question_scores(cases, by="pdu").set_index("key_question")
    assert kq.loc["reviewing_engagement", "n_applicable"] == 15
    assert kq.loc["reviewing_engagement", "n_yes"] == 5  # 10 yes minus the 5 recoded


def test_long_format_equals_wide(york_cases):
    wide = york_cases.assign(case_id=[f"c{i}" for i in range(20)])
    long = wide.melt(id_vars=["pdu", "case_id"], var_name="key_question", value_name="answer")
    pd.testing.assert_frame_equal(
        ratings.key_question_scores(long, by="pdu"),
        ratings.key_question_scores(wide, by="pdu"),
        check_dtype=False,
    )


def test_bad_answer_names_column_row_and_value(york_cases):
    cases = york_cases
    cases.loc[3, "planning_desistance"] = "maybe"
    with pytest.raises(InputDataError, match=r"'planning_desistance', row 4: answer 'maybe'"):
        ratings.key_question_scores(cases, by="pdu")


def test_missing_key_question_column_is_named(york_cases):
    with pytest.raises(InputDataError, match="reviewing_keeping_safe"):
        ratings.key_question_scores(york_cases.drop(columns="reviewing_keeping_safe"), by="pdu")


def test_categorical_units_keep_only_observed_units_in_order(york_cases):
    cases = pd.concat([york_cases.assign(pdu="B"), york_cases.assign(pdu="A")], ignore_index=True)
    cases["pdu"] = pd.Categorical(cases["pdu"], categories=["A", "B", "C"])
    kq = ratings.key_question_scores(cases, by="pdu")
    assert list(kq["pdu"].unique()) == ["A", "B"]
    assert (kq["n_applicable"] == 20).all()


def test_key_question_table_has_the_documented_columns_one_row_per_key_question(york_cases):
    kq = ratings.key_question_scores(york_cases, by="pdu")
    assert list(kq.columns) == [
        *("pdu", "standard", "area", "key_question", "n_applicable", "n_yes", "pct_yes"),
        *("ci_low", "ci_high", "source"),
    ]
    assert list(kq["key_question"]) == list(FW.key_question_ids)  # framework order
    # York's planning keeping-safe question: 35% of 20 is 7 cases
    row = kq.set_index("key_question").loc["planning_keeping_safe"]
    assert (row["standard"], row["area"], row["n_yes"], row["pct_yes"]) == (
        "planning",
        "keeping_safe",
        7,
        35.0,
    )


def test_without_unit_columns_all_cases_are_one_unit(york_cases):
    kq = ratings.key_question_scores(york_cases.drop(columns="pdu"), by=None)
    assert "pdu" not in kq.columns and len(kq) == 12
    assert kq.set_index("key_question").loc["assessment_desistance", "n_yes"] == 16  # 80% of 20


def test_a_question_with_no_applicable_case_has_no_score_never_zero(york_cases):
    cases = york_cases
    cases["reviewing_engagement"] = "not_applicable"
    kq = ratings.key_question_scores(cases, by="pdu").set_index("key_question")
    row = kq.loc["reviewing_engagement"]
    assert row["n_applicable"] == 0 and row["n_yes"] == 0
    assert np.isnan(row["pct_yes"]) and np.isnan(row["ci_low"]) and np.isnan(row["ci_high"])


def test_long_format_needs_case_ids_and_known_key_questions():
    long = pd.DataFrame({"pdu": ["York"], "key_question": ["planning_desistance"], "answer": "yes"})
    with pytest.raises(InputDataError, match="need a 'case_id' column"):
        ratings.key_question_scores(long, by="pdu")
    unknown = long.assign(case_id="c1", key_question="planning_safety")
    with pytest.raises(InputDataError, match=r"Unknown key question\(s\) \['planning_safety'\]"):
        ratings.key_question_scores(unknown, by="pdu")


def test_a_missing_unit_column_is_named(york_cases):
    with pytest.raises(InputDataError, match=r"Unit column\(s\) \['region'\] not found"):
        ratings.key_question_scores(york_cases, by=["region", "pdu"])


# --- the band rule --------------------------------------------------------------------------


counts = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=3, max_size=3)
units = st.lists(counts, min_size=1, max_size=16)


def _ratings_of(units_triples) -> list:
    """The rating of each unit's standard, all units rated in one call (as a batch rates them).

    The rating is the band rule on the lowest key question; ``independent`` keeps the call cheap
    and does not touch the rating (the probability model changes only the probabilities).
    """
    rows = [
        {"unit": u, "key_question": kq, "n_yes": y, "n": y + n, "pct_yes": np.nan}
        for u, triples in enumerate(units_triples)
        for kq, (y, n) in zip(ASSESSMENT, triples, strict=True)
    ]
    kq = published.key_question_scores_from_percentages(pd.DataFrame(rows), by="unit")
    std = ratings.standard_ratings(kq, by="unit", probability_model="independent")
    rated = std[std["standard"] == "assessment"]  # the standard of ASSESSMENT's key questions
    return list(rated.sort_values("unit")["rating"])


@settings(max_examples=25, deadline=None)
@given(units, st.data())
def test_more_yes_answers_never_lower_a_rating(units_triples, data):
    after = []
    for triples in units_triples:
        which = data.draw(st.integers(0, 2))
        extra = data.draw(st.integers(1, 10))
        y, n = triples[which]
        moved = list(triples)
        moved[which] = (y + extra, n)  # `extra` more cases answered yes
        after.append(moved)
    order = list(RATING_DTYPE.categories)  # worst first
    for before, later in zip(_ratings_of(units_triples), _ratings_of(after), strict=True):
        if pd.notna(before):
            assert order.index(later) >= order.index(before)


@settings(max_examples=25, deadline=None)
@given(units)
def test_lowest_key_question_drives_the_standard(units_triples):
    for triples, rating in zip(units_triples, _ratings_of(units_triples), strict=True):
        pcts = [100 * y / (y + n) for y, n in triples if y + n > 0]
        if not pcts:
            assert pd.isna(rating)
        else:
            assert rating == FW.band_for_pct(min(pcts))


def test_the_rating_does_not_depend_on_the_probability_model():
    units_triples = [
        [(10, 5), (20, 3), (4, 4)],
        [(0, 0), (0, 0), (0, 0)],
        [(18, 2), (19, 1), (17, 3)],
    ]
    rows = [
        {"unit": u, "key_question": kq, "n_yes": y, "n": y + n, "pct_yes": np.nan}
        for u, triples in enumerate(units_triples)
        for kq, (y, n) in zip(ASSESSMENT, triples, strict=True)
    ]
    kq = published.key_question_scores_from_percentages(pd.DataFrame(rows), by="unit")
    rated = {
        model: ratings.standard_ratings(kq, by="unit", probability_model=model)["rating"]
        for model in ("pooled", "national", "independent")
    }
    pd.testing.assert_series_equal(rated["pooled"], rated["independent"])
    pd.testing.assert_series_equal(rated["national"], rated["independent"])
    assert _ratings_of(units_triples)[::2] == ["Requires improvement", "Outstanding"]  # 50%, 85%


def test_standard_ratings_refuse_part_of_a_standard():
    table = pd.DataFrame({"pdu": "X", "key_question": ASSESSMENT, "pct_yes": [70, 80, 90], "n": 20})
    kq = published.key_question_scores_from_percentages(table)
    with pytest.raises(InputDataError, match="standard 'assessment' has 2 key-question row"):
        ratings.standard_ratings(kq.drop(index=1))
    broken = kq.copy()
    broken.loc[1, "pct_yes"] = np.nan
    with pytest.raises(InputDataError, match="assessment_desistance has 20 applicable case"):
        ratings.standard_ratings(broken)


def _standards_of(cases, **options):
    kq = ratings.key_question_scores(cases, by="pdu")
    return ratings.standard_ratings(kq, by="pdu", probability_model="independent", **options)


def test_york_standards_are_rated_on_their_lowest_key_question(york_cases):
    std = _standards_of(york_cases).set_index("standard")
    # seed 003: keeping safe is the lowest in every standard (25, 35, 20, 25): all Inadequate
    assert list(std.index) == list(FW.case_based_standards)
    assert list(std["lowest_key_question"]) == [f"{s}_keeping_safe" for s in std.index]
    assert list(std["lowest_pct"]) == [25.0, 35.0, 20.0, 25.0]
    assert list(std["rating"].astype(str)) == ["Inadequate"] * 4
    assert std.loc["implementation_and_delivery", "standard_name"] == "Implementation and delivery"


def test_a_tie_for_the_lowest_names_the_first_key_question_in_framework_order(york_cases):
    cases = york_cases
    for kq in ASSESSMENT:  # 13 of 20 yes on each: 65%, Good
        cases[kq] = ["no"] * 7 + ["yes"] * 13
    row = _standards_of(cases).set_index("standard").loc["assessment"]
    assert row["lowest_key_question"] == "assessment_engagement"
    assert (row["lowest_pct"], row["rating"]) == (65.0, "Good")


def test_a_key_question_without_applicable_cases_is_left_out_of_the_minimum(york_cases):
    cases = york_cases
    cases["reviewing_keeping_safe"] = "not_applicable"  # was York's lowest, 25%
    row = _standards_of(cases).set_index("standard").loc["reviewing"]
    # engagement 50% and desistance 55% remain: 50% is Requires improvement (lower bound)
    assert row["lowest_key_question"] == "reviewing_engagement"
    assert (row["lowest_pct"], row["rating"]) == (50.0, "Requires improvement")


def test_a_standard_none_of_whose_key_questions_applies_is_not_rated(york_cases):
    cases = york_cases
    for area in frameworks.AREAS:
        cases[f"reviewing_{area}"] = "not_applicable"
    std = _standards_of(cases).set_index("standard")
    row = std.loc["reviewing"]
    assert pd.isna(row["rating"]) and pd.isna(row["lowest_key_question"])
    assert np.isnan(row["lowest_pct"]) and np.isnan(row["p_computed"])
    assert row["borderline"] is pd.NA and row["edge_in_reach"] is pd.NA
    assert std.loc["assessment", "rating"] == "Inadequate"  # the others are still rated


def test_standard_table_has_the_documented_columns(york_cases):
    std = _standards_of(york_cases)
    assert list(std.columns) == [
        *("pdu", "standard", "standard_name", "lowest_key_question", "lowest_pct"),
        *("n_applicable", "rating", "p_outstanding", "p_good", "p_requires_improvement"),
        *("p_inadequate", "p_computed", "borderline", "edge_in_reach", "probability_model"),
        *("pooled_towards", "prior_scale", "prior_shared", "p_computed_independent", "source"),
    ]
    assert std["rating"].dtype == RATING_DTYPE
    assert set(std["pooled_towards"]) == {"none (independent Jeffreys)"}


# --- uncertainty ----------------------------------------------------------------------------


def test_band_probabilities_sum_to_one_and_flag_borderline():
    table = pd.DataFrame(
        {
            "pdu": ["A"] * 3 + ["B"] * 3,
            "key_question": list(FW.key_question_ids[:3]) * 2,
            "pct_yes": [85, 90, 65, 20, 80, 90],
            "n": 20,
        }
    )
    std = ratings.standard_ratings(
        published.key_question_scores_from_percentages(table, by="pdu"), by="pdu"
    )
    std = std[std["standard"] == "assessment"].reset_index(drop=True)
    probs = std[["p_outstanding", "p_good", "p_requires_improvement", "p_inadequate"]]
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    a, b = std.iloc[0], std.iloc[1]
    assert a["rating"] == "Good" and a["borderline"]  # 13/20 sits on the 65% edge
    assert b["rating"] == "Inadequate" and not b["borderline"]


def test_borderline_flag_includes_its_threshold():
    """Guards the boundary of the flag: P(true band differs) equal to borderline_at is borderline."""
    table = pd.DataFrame(
        {
            "pdu": "A",
            "key_question": list(FW.key_question_ids[:3]),
            "pct_yes": [73, 74, 72],
            "n": 200,  # no 95% interval reaches a band edge: only the probability decides
        }
    )
    kq = published.key_question_scores_from_percentages(table, by="pdu")
    first = ratings.standard_ratings(kq, by="pdu").iloc[0]
    assert not bool(first["edge_in_reach"])
    differs = 1 - first["p_computed"]
    assert 0 < differs < 1
    at = ratings.standard_ratings(kq, by="pdu", borderline_at=differs).iloc[0]
    above = ratings.standard_ratings(kq, by="pdu", borderline_at=differs + 1e-9).iloc[0]
    assert at["p_computed"] == first["p_computed"]  # deterministic draws
    assert bool(at["borderline"]) and not bool(above["borderline"])


def test_a_rating_whose_interval_reaches_a_band_edge_is_borderline_whatever_its_probability():
    table = pd.DataFrame(
        {"pdu": "A", "key_question": list(FW.key_question_ids[:3]), "pct_yes": [70, 75, 65],
         "n": 20}
    )  # fmt: skip
    kq = published.key_question_scores_from_percentages(table, by="pdu")
    row = ratings.standard_ratings(kq, by="pdu", borderline_at=0.999).iloc[0]
    assert bool(row["edge_in_reach"]) and bool(row["borderline"])
    assert row["pooled_towards"].startswith("national prior (published figures)")
    assert row["prior_scale"] >= 1 and 0 <= row["p_computed_independent"] <= 1


# --- units and populations ------------------------------------------------------------------


def test_unit_keys_join_the_unit_columns():
    frame = pd.DataFrame({"region": ["North East", "Wales"], "pdu": ["Gateshead", "Cardiff"]})
    assert list(unit_keys(frame, ["region", "pdu"])) == [
        "North East | Gateshead",
        "Wales | Cardiff",
    ]
    assert list(unit_keys(frame, [])) == ["all", "all"]
    assert list(unit_keys(frame, ["pdu"])) == ["Gateshead", "Cardiff"]


def test_unit_keys_name_the_row_with_no_unit_value():
    frame = pd.DataFrame({"region": ["North East", None], "pdu": ["Gateshead", "Cardiff"]})
    with pytest.raises(InputDataError, match=r"column 'region' row 2 has no value"):
        unit_keys(frame, ["region", "pdu"])


def test_fit_population_names_units_by_their_unit_columns():
    rows = [
        {"region": "R", "pdu": f"P{u}", "key_question": k, "pct_yes": np.nan, "n": 20, "n_yes": y}
        for u in range(3)
        for k, y in zip(ASSESSMENT, (14, 16, 5 + u), strict=True)
    ]
    kq = published.key_question_scores_from_percentages(pd.DataFrame(rows), by=["region", "pdu"])
    model = fit_population(kq, by=["region", "pdu"])
    assessment = model.groups[model.groups["standard"] == "assessment"]
    assert list(assessment["unit"]) == ["R | P0", "R | P1", "R | P2"]
    # three units are fewer than the 30 a population needs: the national prior is used
    assert assessment["pooled_towards"].str.startswith("national prior").all()
