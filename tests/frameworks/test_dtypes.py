"""analysis.frameworks.dtypes: the ordered rating dtype and the answer dtype.

Expected order from ../shared/domain.md, section 2 (Outstanding, Good, Requires improvement,
Inadequate) and the answer codes of section 7 (yes, no, not_applicable).
"""

import pandas as pd

from analysis.frameworks.dtypes import ANSWER_DTYPE, RATING_DTYPE


def test_ratings_are_ordered_worst_first():
    ratings = pd.Series(
        ["Good", "Inadequate", "Outstanding", "Requires improvement"], dtype=RATING_DTYPE
    )
    assert RATING_DTYPE.ordered
    assert ratings.sort_values().tolist() == [
        "Inadequate",
        "Requires improvement",
        "Good",
        "Outstanding",
    ]
    assert (ratings > "Requires improvement").tolist() == [True, False, True, False]
    assert ratings.min() == "Inadequate" and ratings.max() == "Outstanding"


def test_answers_in_code_order():
    answers = pd.Categorical(["yes", "not_applicable", "no", None], dtype=ANSWER_DTYPE)
    assert answers.codes.tolist() == [0, 2, 1, -1]  # 0 yes, 1 no, 2 not applicable; -1 missing
    assert not ANSWER_DTYPE.ordered
