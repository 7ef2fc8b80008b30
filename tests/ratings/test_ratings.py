"""The rating engine: York PDU 2024 (seed 003), rule properties, and uncertainty."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import frameworks, ratings
from analysis.exceptions import InputDataError
from analysis.frameworks.dtypes import RATING_DTYPE
from analysis.ratings import published

FW = frameworks.get("pdu-2023")

# York PDU, December 2024 (seed 003): % Yes per key question over 20 cases.
YORK_PCT = {
    "assessment": (70, 80, 25),
    "planning": (70, 70, 35),
    "implementation_and_delivery": (55, 30, 20),
    "reviewing": (50, 55, 25),
}
YORK_DOMAIN_ONE = pd.DataFrame(
    {
        "pdu": "York",
        "standard": ["leadership", "staffing", "services"],
        "rating": "Requires improvement",
    }
)


def york_table() -> pd.DataFrame:
    rows = [
        {"pdu": "York", "key_question": f"{s}_{a}", "pct_yes": p, "n": 20}
        for s, pcts in YORK_PCT.items()
        for a, p in zip(frameworks.AREAS, pcts, strict=True)
    ]
    return pd.DataFrame(rows)


def york_cases() -> pd.DataFrame:
    """Twenty cases whose answers reproduce York's published percentages."""
    data = {"pdu": ["York"] * 20}
    for s, pcts in YORK_PCT.items():
        for a, p in zip(frameworks.AREAS, pcts, strict=True):
            n_yes = p * 20 // 100
            data[f"{s}_{a}"] = ["yes"] * n_yes + ["no"] * (20 - n_yes)
    return pd.DataFrame(data)


def test_york_2024_key_questions_standards_and_overall():
    """Seed 003: four Inadequate case-supervision standards; with domain one RI, 3/21 Inadequate."""
    result = ratings.rate(york_cases(), by="pdu", other_ratings=YORK_DOMAIN_ONE)
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


def test_york_from_published_percentages_equals_from_cases():
    from_pct = published.key_question_scores_from_percentages(york_table(), by="pdu")
    from_cases = ratings.key_question_scores(york_cases(), by="pdu")
    assert list(from_pct.columns[-4:]) == ["pct_given", "n_yes_low", "n_yes_high", "source"]
    pd.testing.assert_frame_equal(
        from_pct[from_cases.columns].drop(columns="pdu"),
        from_cases.drop(columns="pdu"),
        check_dtype=False,
        check_column_type=False,
    )


def test_york_leadership_difference_is_reported_not_hidden():
    """The report says its guidance would normally indicate Inadequate for leadership; RI was applied."""
    computed = pd.DataFrame({"pdu": ["York"], "standard": ["leadership"], "rating": ["Inadequate"]})
    pub = YORK_DOMAIN_ONE
    comparison = ratings.compare_published(computed, pub, by="pdu")
    row = comparison.set_index("standard").loc["leadership"]
    assert (
        row["computed_rating"] == "Inadequate" and row["published_rating"] == "Requires improvement"
    )
    assert not row["agrees"] and row["band_difference"] == 1
    assert len(ratings.compare_published(computed, pub, by="pdu", only_differences=True)) == 1


def test_wilson_columns_match_stats_module():
    kq = ratings.key_question_scores(york_cases(), by="pdu")
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(kq["n_yes"], kq["n_applicable"], method="wilson")
    np.testing.assert_allclose(kq["ci_low"], 100 * low, atol=1e-9)
    np.testing.assert_allclose(kq["ci_high"], 100 * high, atol=1e-9)


def test_not_applicable_leaves_the_denominator():
    cases = york_cases()
    cases.loc[:4, "reviewing_engagement"] = "not_applicable"  # 5 cases had no review due
    kq = ratings.key_question_scores(cases, by="pdu").set_index("key_question")
    assert kq.loc["reviewing_engagement", "n_applicable"] == 15
    assert kq.loc["reviewing_engagement", "n_yes"] == 5  # 10 yes minus the 5 recoded


def test_long_format_equals_wide():
    wide = york_cases().assign(case_id=[f"c{i}" for i in range(20)])
    long = wide.melt(id_vars=["pdu", "case_id"], var_name="key_question", value_name="answer")
    pd.testing.assert_frame_equal(
        ratings.key_question_scores(long, by="pdu"),
        ratings.key_question_scores(wide, by="pdu"),
        check_dtype=False,
    )


def test_bad_answer_names_column_row_and_value():
    cases = york_cases()
    cases.loc[3, "planning_desistance"] = "maybe"
    with pytest.raises(InputDataError, match=r"'planning_desistance', row 4: answer 'maybe'"):
        ratings.key_question_scores(cases, by="pdu")


def test_missing_key_question_column_is_named():
    with pytest.raises(InputDataError, match="reviewing_keeping_safe"):
        ratings.key_question_scores(york_cases().drop(columns="reviewing_keeping_safe"), by="pdu")


def test_overall_missing_when_domain_one_absent():
    overall = ratings.rate(york_cases(), by="pdu").overall.iloc[0]
    assert pd.isna(overall["overall_score"]) and pd.isna(overall["overall_rating"])
    assert overall["missing_standards"] == "leadership, staffing, services"


# --- the band rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pct,rating",
    [
        (0, "Inadequate"),
        (49.99, "Inadequate"),
        (50, "Requires improvement"),
        (64.9, "Requires improvement"),
        (65, "Good"),
        (79.99, "Good"),
        (80, "Outstanding"),
        (100, "Outstanding"),
    ],
)
def test_boundary_convention_lower_bound_inclusive_unrounded(pct, rating):
    assert FW.band_for_pct(pct) == rating


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_bands_cover_0_to_100_without_gap_or_overlap(pct):
    matches = [r for r, lo in FW.rating_bands if pct >= lo]
    assert len(matches) >= 1  # no gap
    assert (
        FW.band_for_pct(pct) == matches[0]
    )  # the highest band whose lower bound is met, exactly one
    hi = {r: h for (r, _), h in zip(FW.rating_bands, [100.0001, 80, 65, 50], strict=True)}
    assert sum(lo <= pct < hi[r] for r, lo in FW.rating_bands) == 1  # no overlap


counts = st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=3, max_size=3)


def _rating_of(triples) -> str:
    table = pd.DataFrame(
        {
            "key_question": list(FW.key_question_ids[:3]),
            "n_yes": [y for y, _ in triples],
            "n": [y + n for y, n in triples],
            "pct_yes": np.nan,
        }
    )
    kq = published.key_question_scores_from_percentages(table, by=None)
    std = ratings.standard_ratings(kq, by=None)
    return std.iloc[0]["rating"]


@settings(max_examples=150, deadline=None)
@given(counts, st.integers(0, 2), st.integers(1, 10))
def test_more_yes_answers_never_lower_a_rating(triples, which, extra):
    before = _rating_of(triples)
    after_triples = list(triples)
    y, n = after_triples[which]
    after_triples[which] = (y + extra, n)  # `extra` more cases answered yes
    after = _rating_of(after_triples)
    if pd.notna(before):
        order = list(RATING_DTYPE.categories)  # worst first
        assert order.index(after) >= order.index(before)


@settings(max_examples=150, deadline=None)
@given(counts)
def test_lowest_key_question_drives_the_standard(triples):
    rating = _rating_of(triples)
    pcts = [100 * y / (y + n) for y, n in triples if y + n > 0]
    if not pcts:
        assert pd.isna(rating)
    else:
        assert rating == FW.band_for_pct(min(pcts))


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


def test_overall_band_probabilities_match_monte_carlo():
    """Convolution of standard-band probabilities vs simulation of the same posteriors."""
    rng = np.random.default_rng(3)
    table = york_table()
    table.loc[table["key_question"] == "planning_keeping_safe", "pct_yes"] = 55
    table.loc[table["key_question"] == "assessment_keeping_safe", "pct_yes"] = 60
    kq = published.key_question_scores_from_percentages(table, by="pdu")
    # The convolution is checked on the independent Jeffreys posteriors, simulated below.
    std = ratings.standard_ratings(kq, by="pdu", probability_model="independent")
    overall = ratings.overall_ratings(std, by="pdu", other_ratings=YORK_DOMAIN_ONE).iloc[0]
    draws = rng.beta(kq["n_yes"] + 0.5, kq["n_applicable"] - kq["n_yes"] + 0.5, size=(200_000, 12))
    mins = draws.reshape(200_000, 4, 3).min(axis=2) * 100
    score = 3 + sum(np.select([m >= 80, m >= 65, m >= 50], [3, 2, 1], 0) for m in mins.T)
    lowers = [lo for _, lo in reversed(FW.overall_bands)]
    band = np.searchsorted(lowers, score, side="right") - 1
    mc = np.bincount(band, minlength=4)[::-1] / band.size
    exact = overall[["p_outstanding", "p_good", "p_requires_improvement", "p_inadequate"]].to_numpy(
        dtype=float
    )
    np.testing.assert_allclose(exact, mc, atol=0.005)


def test_categorical_units_keep_only_observed_units_in_order():
    cases = pd.concat(
        [york_cases().assign(pdu="B"), york_cases().assign(pdu="A")], ignore_index=True
    )
    cases["pdu"] = pd.Categorical(cases["pdu"], categories=["A", "B", "C"])
    kq = ratings.key_question_scores(cases, by="pdu")
    assert list(kq["pdu"].unique()) == ["A", "B"]
    assert (kq["n_applicable"] == 20).all()


def test_section_scores_2013_mean_of_question_proportions():
    """Seed 002, appendix 5: a section's score is the mean over its questions of % sufficient."""
    q = pd.DataFrame(
        {
            "unit": "Trust",
            "section": ["Assisting sentencing"] * 3,
            "question": ["a", "b", "c"],
            "pct_sufficient": [80, 90, 76],
        }
    )
    out = ratings.section_scores(q)
    assert out.iloc[0]["section_score"] == pytest.approx(82.0)
    assert out.iloc[0]["n_questions"] == 3


def test_synthetic_flag_travels_into_every_rating_table():
    """Simulated cases must never produce a rating table that could pass for real results."""
    from analysis.synthetic.generate import simulate

    sample = simulate(seed=5, cases_per_pdu=6, regions=["North East"])
    result = ratings.rate(sample.cases, by="pdu", other_ratings=sample.unit_ratings)
    for table in (result.key_questions, result.standards, result.overall):
        assert table.attrs["synthetic"] is True
        assert (table["source"] == "synthetic").all()
        assert table.columns[-1] == "source"
    assert "SYNTHETIC DATA" in repr(result)
    real = ratings.rate(york_cases(), by="pdu")
    assert real.standards.attrs["synthetic"] is False and "SYNTHETIC" not in repr(real)


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
