"""analysis.models.factors against scipy.stats.fisher_exact and statsmodels Table2x2 (issue 4)."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import fisher_exact
from statsmodels.stats.contingency_tables import Table2x2
from statsmodels.stats.multitest import multipletests

from analysis.exceptions import InputDataError
from analysis.models import factor_associations
from analysis.models.factors import FACTOR_COLUMNS


def _long(tables):
    rows = []
    for name, (a, b, c, d) in tables.items():
        for x, y, k in ((True, True, a), (True, False, b), (False, True, c), (False, False, d)):
            rows += [{"factor": name, "sufficient_intervention": x, "sufficient_progress": y}] * k
    return pd.DataFrame(rows)


TABLES = {
    "accommodation": (10, 2, 3, 6),
    "thinking and behaviour": (12, 7, 4, 15),
    "drugs": (5, 0, 2, 4),
}


def test_odds_ratios_intervals_and_fisher_match_references():
    table = factor_associations(_long(TABLES))
    assert tuple(table.columns) == FACTOR_COLUMNS
    for _, row in table.iterrows():
        a, b, c, d = TABLES[row["term"]]
        counts = np.array([[a, b], [c, d]])
        assert row["p_value"] == pytest.approx(fisher_exact(counts)[1], rel=1e-12)
        # Haldane-Anscombe: 0.5 added to every cell when one is zero. (statsmodels' own
        # shift_zeros=True replaces only the zero cells by 0.5, despite its docstring.)
        shift = 0.5 if (counts == 0).any() else 0.0
        ref = Table2x2(counts + shift, shift_zeros=False)
        assert row["odds_ratio"] == pytest.approx(ref.oddsratio, rel=1e-12)
        low, high = ref.oddsratio_confint()
        assert row["ci_low"] == pytest.approx(low, rel=1e-10) and row["ci_high"] == pytest.approx(
            high, rel=1e-10
        )
        assert row["correction"] == (0.5 if 0 in (a, b, c, d) else 0.0)
    np.testing.assert_allclose(
        table["p_adjusted"], multipletests(table["p_value"], method="holm")[1]
    )
    assert "zero cell" in table.set_index("term").loc["drugs", "warning"]


def test_yes_no_strings_and_missing_judgements():
    data = _long({"accommodation": (3, 1, 1, 3)})
    data["sufficient_intervention"] = data["sufficient_intervention"].map(
        {True: "yes", False: "no"}
    )
    data["sufficient_progress"] = data["sufficient_progress"].astype(object)
    data.loc[0, "sufficient_progress"] = None
    row = factor_associations(data).iloc[0]
    assert (row["a"], row["n"]) == (2, 7)


def test_bad_values_are_named():
    data = _long({"accommodation": (3, 1, 1, 3)})
    data["sufficient_progress"] = data["sufficient_progress"].astype(object)
    data.loc[2, "sufficient_progress"] = "maybe"
    with pytest.raises(InputDataError, match="'sufficient_progress', row 2"):
        factor_associations(data)
    with pytest.raises(InputDataError, match="'delivered'"):
        factor_associations(data, intervention="delivered")
