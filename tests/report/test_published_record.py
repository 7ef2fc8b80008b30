"""Published-record summaries across modules: standards that fail, half-up rounding, the context
association and its sentence. (The sentences' and alt texts' own tests are beside their modules:
summaries/test_ratings.py, test_published_text.py, test_a11y.py.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from analysis.ratings.distribution import _implied_count, standards_failing
from analysis.ratings.published_context import context_association
from analysis.report import published_text


def test_standards_failing_counts_only_stated_ratings_per_framework():
    frame = pd.DataFrame(
        {
            "framework": ["pdu-2023"] * 3,
            "assessment": ["Inadequate", "Inadequate", None],
            "leadership": ["Good", "Inadequate", "Requires improvement"],
        }
    )
    out = standards_failing(frame).set_index("standard")
    assert out.loc["assessment", ["reports_rating_it", "inadequate"]].tolist() == [2, 2]
    assert out.loc["leadership", ["reports_rating_it", "inadequate"]].tolist() == [3, 1]
    assert out.index[0] == "assessment"  # worst first
    assert "court_work" not in out.index  # not a standard of pdu-2023


def test_percentages_round_half_up_as_printed():
    assert _implied_count(63, 8) == (5, True)  # 62.5% is printed 63%
    assert _implied_count(38, 8) == (3, True)  # 37.5% is printed 38%
    assert round(62.5) == 62  # Python's own rounding would have printed 62%


def test_context_association_matches_scipy_and_refuses_few_units():
    rng = np.random.default_rng(3)
    values = rng.normal(30, 10, 12)
    order = (values < 30).astype(int) + rng.integers(0, 2, 12)
    table = pd.DataFrame(
        {"framework": "pdu-2023", "measure": "vacancy", "value": values, "rating_order": order}
    )
    row = context_association(table).iloc[0]
    assert row["units"] == 12
    assert np.isclose(row["rho"], stats.spearmanr(values, order).statistic)
    z, se = np.arctanh(row["rho"]), np.sqrt(1.06 / 9)
    assert np.isclose(row["ci_low"], np.tanh(z - 1.96 * se))
    few = context_association(table.head(4)).iloc[0]
    assert np.isnan(few["rho"]) and "4 PDU reports" in few["note"]
    assert "ecological" in published_text.context_sentence(context_association(table))
