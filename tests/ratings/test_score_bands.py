"""Overall bands against published scores (youth justice: 83 real reports)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import frameworks
from analysis.ratings.score_bands import check_overall_bands


def test_every_whole_score_gets_the_framework_band():
    fw = frameworks.get("youth-2018")
    frame = pd.DataFrame({"unit": range(37), "score_points": range(37), "rating": None})
    out = check_overall_bands(frame, fw)
    assert out["band_of_score"].tolist() == [fw.overall_rating(s) for s in range(37)]
    assert out["agrees"].isna().all() and not out["ambiguous"].any()


def test_a_fractional_score_straddling_an_edge_is_ambiguous_not_guessed():
    frame = pd.DataFrame(
        {"unit": ["a", "b"], "score_points": [6.5, 1.64], "rating": ["Inadequate"] * 2}
    )
    out = check_overall_bands(frame, "youth-2018")
    assert out.loc[0, "ambiguous"] and pd.isna(out.loc[0, "agrees"])
    assert out.loc[0, "band_of_score"] == "ambiguous: Inadequate or Requires improvement"
    assert not out.loc[1, "ambiguous"] and out.loc[1, "agrees"]  # 1 or 2 points: both Inadequate


def test_real_youth_reports_that_differ_from_their_score_band():
    path = "data/raw/published/youth_justice_ratings.csv"
    raw = pd.read_csv(path)
    raw["score_points"] = raw["score_%"] * 36 / 100
    out = check_overall_bands(raw, "youth-2018", unit="la_name", rating="overall_rating")
    differ = out[out["agrees"].eq(False).fillna(False)]
    # West Sussex 2022: 72.22% is 26 of 36 points (Good band) but Requires improvement was
    # published; Bridgend 2022: 4.56% (1.6 points, Inadequate band), Requires improvement.
    assert sorted(differ["la_name"]) == ["Bridgend", "West Sussex"]
    assert out["published_rating"].isna().sum() == 1  # Portsmouth: a footnote, not a rating


def test_a_framework_without_overall_bands_is_refused():
    with pytest.raises(ValueError, match="no overall bands"):
        check_overall_bands(
            pd.DataFrame({"unit": [], "score_points": [], "rating": []}), "adult-2013"
        )
