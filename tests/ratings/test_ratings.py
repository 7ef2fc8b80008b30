"""Published figures: York PDU 2024 (seed 003) from its percentages and beside its published
ratings, and the 2013 framework's section scores."""

import pandas as pd
import pytest

from analysis import ratings
from analysis.ratings import published


def test_york_from_published_percentages_equals_from_cases(york_table, york_cases):
    from_pct = published.key_question_scores_from_percentages(york_table, by="pdu")
    from_cases = ratings.key_question_scores(york_cases, by="pdu")
    assert list(from_pct.columns[-4:]) == ["pct_given", "n_yes_low", "n_yes_high", "source"]
    pd.testing.assert_frame_equal(
        from_pct[from_cases.columns].drop(columns="pdu"),
        from_cases.drop(columns="pdu"),
        check_dtype=False,
        check_column_type=False,
    )


def test_york_leadership_difference_is_reported_not_hidden(york_domain_one):
    """The report says its guidance would normally indicate Inadequate for leadership; RI was applied."""
    computed = pd.DataFrame({"pdu": ["York"], "standard": ["leadership"], "rating": ["Inadequate"]})
    pub = york_domain_one
    comparison = ratings.compare_published(computed, pub, by="pdu")
    row = comparison.set_index("standard").loc["leadership"]
    assert (
        row["computed_rating"] == "Inadequate" and row["published_rating"] == "Requires improvement"
    )
    assert not row["agrees"] and row["band_difference"] == 1
    assert len(ratings.compare_published(computed, pub, by="pdu", only_differences=True)) == 1


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
