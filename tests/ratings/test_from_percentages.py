"""Scores from published percentages, in the library: row by row, nothing dropped or guessed.

Expected counts are worked out by hand: k of n prints as p% when 100 k / n rounds to p.
"""

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks, ratings
from analysis.exceptions import InputDataError
from analysis.ratings import published

FW = frameworks.get("pdu-2023")
ASSESSMENT = list(FW.key_question_ids[:3])


def _table(pct, n, n_yes=None):
    table = pd.DataFrame({"pdu": "X", "key_question": ASSESSMENT, "pct_yes": pct, "n": n})
    if n_yes is not None:
        table["n_yes"] = n_yes
    return table


def test_a_missing_percentage_is_an_error_not_zero():
    with pytest.raises(InputDataError, match=r"row 2, column pct_yes: no percentage for key q"):
        published.key_question_scores_from_percentages(_table([70, np.nan, 80], 20))


def test_a_missing_n_is_an_error():
    with pytest.raises(InputDataError, match=r"row 3, column n: missing"):
        published.key_question_scores_from_percentages(_table([70, 75, 80], [20, 20, np.nan]))


def test_each_row_uses_its_own_n_yes():
    kq = published.key_question_scores_from_percentages(
        _table([np.nan, 80, np.nan], 20, n_yes=[14, np.nan, 13])
    )
    assert list(kq["n_yes"][:3]) == [14, 16, 13]
    assert ratings.standard_ratings(kq).iloc[0]["rating"] == "Good"  # lowest 13/20 = 65%


def test_a_standard_missing_a_key_question_is_an_error():
    with pytest.raises(InputDataError, match="has 2 of its 3 key questions; missing assessment_k"):
        published.key_question_scores_from_percentages(_table([70, 80, 90], 20).iloc[:2])


@pytest.mark.parametrize(
    "pct,n,low,high,nearest",
    [
        (65, 34, 22, 22, 22),
        (65, 200, 129, 131, 130),
        (65.0, 20, 13, 13, 13),
        (64.7, 34, 22, 22, 22),
    ],
)
def test_a_printed_percentage_stands_for_the_counts_that_print_as_it(pct, n, low, high, nearest):
    kq = published.key_question_scores_from_percentages(_table([pct, 100, 100], n))
    row = kq.iloc[0]
    assert (row["n_yes_low"], row["n_yes_high"], row["n_yes"]) == (low, high, nearest)


@pytest.mark.parametrize("pct,n", [(49.99, 1), (64.9, 20), (50, 7)])
def test_a_percentage_no_count_prints_as_is_an_error(pct, n):
    # 50% of 7: 3/7 = 42.9%, 4/7 = 57.1%
    with pytest.raises(InputDataError, match=f"{pct:g}% cannot come from {n} case"):
        published.key_question_scores_from_percentages(_table([pct, 100, 100], n))
