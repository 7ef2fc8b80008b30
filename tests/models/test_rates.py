"""analysis.models.rates: Wilson rates by band (statsmodels) and Newcombe differences (Newcombe 1998)."""

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from analysis.exceptions import InputDataError
from analysis.models import band_differences, outcome_rates
from analysis.models.rates import DIFFERENCE_COLUMNS, RATE_COLUMNS
from analysis.ratings.quality import quality_scores
from analysis.synthetic.generate import simulate


def _two_groups(y1, n1, y2, n2):
    group = ["high"] * n1 + ["inadequate"] * n2
    outcome = [True] * y1 + [False] * (n1 - y1) + [True] * y2 + [False] * (n2 - y2)
    return pd.DataFrame(
        {"group": pd.Categorical(group, categories=["inadequate", "high"]), "outcome": outcome}
    )


def test_rates_match_statsmodels_wilson():
    cases = simulate(seed=8, cases_per_pdu=6).cases
    table = outcome_rates(cases, outcome=["new_offence", "sentence_completed"])
    assert tuple(table.columns) == RATE_COLUMNS
    bands = quality_scores(cases)["quality_band"]
    for _, row in table.iterrows():
        y = cases[row["outcome"]].astype("Float64")
        sel = (bands == row["band"]).to_numpy() & y.notna().to_numpy()
        assert row["n"] == sel.sum() and row["events"] == int(y[sel].sum())
        low, high = proportion_confint(row["events"], row["n"], method="wilson")
        assert row["ci_low"] == pytest.approx(100 * low, abs=1e-10)
        assert row["ci_high"] == pytest.approx(100 * high, abs=1e-10)
    assert (table["source"] == "synthetic").all()


@pytest.mark.parametrize(
    "y1,n1,y2,n2,low,high",
    [  # Newcombe (1998) Stat Med 17:873, Table II, method 10 (hybrid score), examples (a)-(d), (f)
        (56, 70, 48, 80, 0.0524, 0.3339),
        (9, 10, 3, 10, 0.1705, 0.8090),
        (6, 7, 2, 7, 0.0582, 0.8062),
        (5, 56, 0, 29, -0.0381, 0.1926),
        (10, 10, 0, 20, 0.6791, 1.0000),
    ],
)
def test_differences_match_newcombe_1998_table_ii(y1, n1, y2, n2, low, high):
    table = band_differences(
        _two_groups(y1, n1, y2, n2), outcome="outcome", by="group", reference="inadequate"
    )
    assert tuple(table.columns) == DIFFERENCE_COLUMNS
    row = table.iloc[0]
    assert row["difference_pp"] == pytest.approx(100 * (y1 / n1 - y2 / n2))
    assert row["ci_low"] == pytest.approx(100 * low, abs=0.006)
    assert row["ci_high"] == pytest.approx(100 * high, abs=0.006)


def test_unknown_reference_and_missing_outcome_are_clear():
    data = _two_groups(5, 10, 3, 10)
    with pytest.raises(InputDataError, match="reference='low'"):
        band_differences(data, outcome="outcome", by="group", reference="low")
    with pytest.raises(InputDataError, match="'completed'"):
        outcome_rates(data, outcome="completed", by="group")


def test_empty_band_gives_nan_not_an_error():
    data = _two_groups(5, 10, 3, 10)
    data["group"] = data["group"].cat.add_categories("adequate")
    table = outcome_rates(data, outcome="outcome", by="group")
    empty = table[table["band"] == "adequate"].iloc[0]
    assert empty["n"] == 0 and np.isnan(empty["rate_pct"]) and np.isnan(empty["ci_low"])
