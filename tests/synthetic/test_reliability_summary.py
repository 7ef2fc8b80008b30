"""analysis.synthetic.reliability_summary: calibration error, Brier score and the borderline promise.

Every expected value is worked by hand from the few ratings below (ten bins of the stated
probability; a rating is confident when its probability exceeds 0.8).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.synthetic.reliability_summary import (
    calibration_noise,
    calibration_summary,
    edge_summary,
    reliability_table,
)


def _ratings(**columns) -> pd.DataFrame:
    base = {
        "scenario": "s",
        "n_cases": 20,
        "method": "m",
        "replication": 0,
        "p_computed": [0.05, 0.15, 0.95, 0.99, 0.91],
        "right": [True, False, True, True, False],
        "brier": [0.1, 0.2, 0.3, 0.4, 0.5],
        "near_edge": ["", "50", "", "80", "80"],
    }
    return pd.DataFrame({**base, **columns})


def test_reliability_table_shares_right_per_bin():
    table = reliability_table(_ratings())
    assert list(table.columns) == [
        "scenario", "n_cases", "method", "bin_low", "bin_high", "n_ratings", "mean_p", "share_right",
    ]  # fmt: skip
    assert table["bin_low"].tolist() == [0.0, 0.1, 0.9]
    assert table["bin_high"].tolist() == [0.1, 0.2, 1.0]
    assert table["n_ratings"].tolist() == [1, 1, 3]
    np.testing.assert_allclose(table["mean_p"], [0.05, 0.15, 0.95])
    np.testing.assert_allclose(table["share_right"], [1.0, 0.0, 2 / 3])


def test_a_probability_of_one_falls_in_the_top_bin():
    table = reliability_table(_ratings(p_computed=[1.0, 1.0, 0.5, 0.5, 0.0]), n_bins=4)
    assert table["bin_low"].tolist() == [0.0, 0.5, 0.75]
    assert table["n_ratings"].tolist() == [1, 2, 2]


def test_calibration_summary_of_one_replication_by_hand():
    (row,) = calibration_summary(_ratings()).to_dict("records")
    assert (row["scenario"], row["n_cases"], row["method"], row["n_ratings"]) == ("s", 20, "m", 5)
    assert row["share_right"] == pytest.approx(0.6)
    assert row["mean_p"] == pytest.approx(0.61)
    assert row["brier"] == pytest.approx(0.3)
    # |0.05 - 1| + |0.15 - 0| + 3 |0.95 - 2/3|, over 5 ratings
    assert row["calibration_error"] == pytest.approx((0.95 + 0.15 + 0.85) / 5)
    assert row["share_not_borderline"] == pytest.approx(0.6)  # 0.95, 0.99 and 0.91
    assert row["right_when_not_borderline"] == pytest.approx(2 / 3)
    # one replication: the binomial SE of 2 of 3
    assert row["se_right_when_not_borderline"] == pytest.approx(np.sqrt(2 / 3 * 1 / 3 / 3))
    assert row["promise_kept"]  # 0.667 >= 0.8 - 2 x 0.272
    assert row["right_when_probability_only"] == pytest.approx(2 / 3)


def test_the_widened_flag_makes_a_confident_rating_borderline():
    (row,) = calibration_summary(_ratings(edge_flag=[False, False, True, False, False])).to_dict(
        "records"
    )
    assert row["share_not_borderline"] == pytest.approx(0.4)  # 0.99 and 0.91 only
    assert row["right_when_not_borderline"] == pytest.approx(0.5)
    assert row["right_when_probability_only"] == pytest.approx(2 / 3)


def test_the_se_is_between_replications_and_a_steady_shortfall_breaks_the_promise():
    # two replications of ten confident ratings, 5 right in each: share 0.5, no spread
    steady = pd.DataFrame(
        {
            "scenario": "s", "n_cases": 20, "method": "m", "replication": np.repeat([0, 1], 10),
            "p_computed": 0.9, "right": [True, False] * 10, "brier": 0.0, "near_edge": "",
        }
    )  # fmt: skip
    (row,) = calibration_summary(steady).to_dict("records")
    assert row["right_when_not_borderline"] == 0.5
    assert row["se_right_when_not_borderline"] == 0.0
    assert not row["promise_kept"]
    # 2 of 2 right, then 0 of 2: share 0.5, SE sqrt((1^2 + 1^2) x 2 / 1) / 4 = 0.5
    swing = steady.iloc[[0, 2, 10, 12]].assign(right=[True, True, False, False])
    (row,) = calibration_summary(swing).to_dict("records")
    assert row["right_when_not_borderline"] == 0.5
    assert row["se_right_when_not_borderline"] == pytest.approx(0.5)
    assert row["promise_kept"]


def test_no_confident_rating_keeps_the_promise_vacuously():
    (row,) = calibration_summary(_ratings(p_computed=0.5)).to_dict("records")
    assert np.isnan(row["right_when_not_borderline"]) and row["promise_kept"]
    assert row["share_not_borderline"] == 0.0


def test_edge_summary_adds_one_subset_per_band_edge_present():
    table = edge_summary(_ratings())
    assert table.columns[0] == "subset"
    assert table["subset"].tolist() == ["all", "near 50", "near 80"]  # no rating near 65
    assert table["n_ratings"].tolist() == [5, 1, 2]
    near_80 = table.set_index("subset").loc["near 80"]
    assert near_80["share_right"] == pytest.approx(0.5)  # 0.99 right, 0.91 wrong
    assert near_80["calibration_error"] == pytest.approx(abs(0.95 - 0.5))


def test_edge_summary_judges_units_near_an_edge_by_their_estimate_too():
    by_estimate = ["65", "", "", "", "80"]
    table = edge_summary(_ratings(estimate_near_edge=by_estimate)).set_index("subset")
    assert table.index.tolist() == ["all", "near 50", "near 80", "estimate near 65",
                                    "estimate near 80"]  # fmt: skip
    assert table.loc["estimate near 65", "n_ratings"] == 1
    assert table.loc["estimate near 65", "share_right"] == 1.0  # the 0.05 rating, right
    assert table.loc["estimate near 80", "share_right"] == 0.0  # the 0.91 rating, wrong


def test_calibration_noise_is_what_chance_gives_a_calibrated_forecaster():
    assert calibration_noise([0.0, 1.0, 1.0]) == 0.0  # certain and always right
    # four ratings at p = 0.5, one bin: E|X - 2| / 4 with X ~ Binomial(4, 0.5) = 0.1875
    assert calibration_noise([0.5] * 4) == pytest.approx(0.1875, abs=0.03)
    # the floor falls as ratings accumulate (about 1 / sqrt(n))
    assert calibration_noise([0.5] * 400) == pytest.approx(0.1875 / 10, abs=0.006)
    assert np.isnan(calibration_noise([]))


def test_calibration_error_stands_above_the_noise_only_when_miscalibrated():
    rng = np.random.default_rng(3)
    p = rng.uniform(0.5, 1.0, 2000)
    honest = _ratings(p_computed=p, right=rng.random(2000) < p, brier=0.0, near_edge="")
    (row,) = calibration_summary(honest).to_dict("records")
    assert row["calibration_error"] < row["calibration_noise"] * 2
    bold = honest.assign(right=rng.random(2000) < p - 0.2)  # claims 0.2 too much
    (row,) = calibration_summary(bold).to_dict("records")
    assert row["calibration_error"] == pytest.approx(0.2, abs=0.03)
    assert row["calibration_error"] > 5 * row["calibration_noise"]
