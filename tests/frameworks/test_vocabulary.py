"""analysis.frameworks.vocabulary: the rating scale, areas of practice, case answers and the
one rating parser.

Expected labels come from ../shared/domain.md (section 2: "Four-point rating scale everywhere:
Outstanding, Good, Requires improvement, Inadequate"; section 3: the three areas; section 7:
answers yes / no / not_applicable).
"""

import math

import pandas as pd
import pytest

from analysis.frameworks.vocabulary import ANSWERS, AREA_LABELS, AREAS, RATINGS, parse_rating


def test_the_scale_areas_and_answers_of_the_domain_brief():
    assert RATINGS == ("Outstanding", "Good", "Requires improvement", "Inadequate")  # best first
    assert AREAS == ("engagement", "desistance", "keeping_safe")
    assert ANSWERS == ("yes", "no", "not_applicable")
    assert AREA_LABELS == {
        "engagement": "Engagement",
        "desistance": "Desistance",
        "keeping_safe": "Keeping other people safe",
    }


SPELLINGS = {
    "Good": "Good",
    "  requires Improvement ": "Requires improvement",
    "REQUIRES\u00a0IMPROVEMENT": "Requires improvement",  # a no-break space, as in PDFs
    "Requires \t improvement": "Requires improvement",
    "inadequate\n": "Inadequate",
    "OUTSTANDING": "Outstanding",
}


def test_a_rating_is_read_whatever_its_case_and_spacing():
    assert {text: parse_rating(text) for text in SPELLINGS} == SPELLINGS


@pytest.mark.parametrize(
    "value",
    ["Satisfactory", "Requires improvment", "Good!", "RequiresImprovement", "", "   ", None,
     math.nan, pd.NA, 2],
)  # fmt: skip
def test_anything_else_is_not_a_rating(value):
    assert parse_rating(value) is None
