"""analysis.ratings.borderline: the widened borderline flag (a band edge within reach of a key
question's 95% Wilson interval) and the per-group counts it reads.

Intervals are checked against statsmodels' Wilson interval; bands are those of
``frameworks/pdu-2023.toml`` (edges 50, 65 and 80%).
"""

import numpy as np
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.ratings.borderline import edge_in_reach, group_counts

EDGES = (0.0, 0.5, 0.65, 0.8)
INADEQUATE, REQUIRES_IMPROVEMENT, GOOD, OUTSTANDING = range(4)


def _wilson(y, n):
    return proportion_confint(y, n, method="wilson")


def _in_reach(yes, n, band):
    return bool(edge_in_reach([yes], [n], [band], EDGES)[0])


def test_a_lowest_score_on_the_good_edge_is_in_reach():
    low, high = _wilson(13, 20)  # 65%: (43.3%, 81.9%) contains 65%, the lower edge of Good
    assert low < 0.65 <= high
    assert _in_reach([13, 16, 18], [20, 20, 20], GOOD)


def test_scores_well_inside_their_band_are_not():
    # 145/200 = 72.5%: (65.9%, 78.2%); 180/200 and 190/200 lie far above 65%
    for y in (145, 180, 190):
        low, _ = _wilson(y, 200)
        assert low > 0.65
    assert _wilson(145, 200)[1] < 0.8
    assert not _in_reach([145, 180, 190], [200, 200, 200], GOOD)


def test_only_the_lowest_key_question_can_reach_the_upper_edge():
    # band RI (50-65%): the lowest, 115/200 = 57.5%, is (50.6%, 64.2%), reaching neither edge;
    # 130/200 = 65% reaches 65%, but a higher question above the edge cannot lift the rating
    assert 0.5 < _wilson(115, 200)[0] and _wilson(115, 200)[1] < 0.65
    assert _wilson(130, 200)[0] > 0.5
    assert not _in_reach([115, 130, 190], [200, 200, 200], REQUIRES_IMPROVEMENT)
    # the lowest at 126/200 = 63%: (56.1%, 69.4%) contains 65%, the upper edge of RI
    assert _in_reach([126, 130, 190], [200, 200, 200], REQUIRES_IMPROVEMENT)


def test_any_key_question_can_fall_below_the_lower_edge():
    # Outstanding from 80%: 19/20 = 95% is (76.4%, 99.1%), which contains 80%
    assert _wilson(19, 20)[0] < 0.8
    assert _in_reach([20, 19, 20], [20, 20, 20], OUTSTANDING)


def test_the_worst_and_best_bands_have_one_edge_each():
    # Inadequate has no lower edge: 4/20 = 20% (8.1%, 41.6%) reaches nothing;
    # 8/20 = 40% (21.9%, 61.3%) reaches 50%, the upper edge
    assert not _in_reach([4, 15, 15], [20, 20, 20], INADEQUATE)
    assert _in_reach([8, 15, 15], [20, 20, 20], INADEQUATE)
    # Outstanding has no upper edge: 200/200 is (98.1%, 100%)
    assert not _in_reach([200, 200, 200], [200, 200, 200], OUTSTANDING)


def test_unrated_groups_and_questions_without_cases_are_not_in_reach():
    assert not _in_reach([13, 16, 18], [20, 20, 20], -1)
    # the third question has no applicable case: left out (its 0 of 0 is no score)
    assert not _in_reach([145, 180, 0], [200, 200, 0], GOOD)


def test_many_groups_at_once():
    Y = np.array([[13, 16, 18], [145, 180, 190]])
    M = np.array([[20, 20, 20], [200, 200, 200]])
    assert edge_in_reach(Y, M, np.array([GOOD, GOOD]), EDGES).tolist() == [True, False]


def test_a_narrower_interval_reaches_less():
    # 13/20 at z = 0: the interval is the point 65%, on the edge but not across it
    assert not bool(edge_in_reach([[13, 16, 18]], [[20, 20, 20]], [GOOD], EDGES, z=0.0)[0])


def test_group_counts_lay_out_each_groups_key_questions_in_order():
    Y, M = group_counts([1, 2, 3, 4, 5], [10, 10, 10, 20, 20], np.array([0, 0, 1, 1, 1]), 2)
    np.testing.assert_array_equal(Y, [[1, 2, 0], [3, 4, 5]])
    np.testing.assert_array_equal(M, [[10, 10, 0], [10, 20, 20]])  # padded with no cases


@pytest.mark.parametrize("n_groups", [1, 3])
def test_group_counts_of_a_single_question_per_group(n_groups):
    codes = np.arange(n_groups)[::-1]  # rows need not be in group order
    Y, M = group_counts(np.arange(n_groups), np.full(n_groups, 4), codes, n_groups)
    np.testing.assert_array_equal(Y, np.arange(n_groups)[::-1, None])
    np.testing.assert_array_equal(M, np.full((n_groups, 1), 4))
