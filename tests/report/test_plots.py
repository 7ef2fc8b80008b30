"""analysis.report.plots together: in a real run each plot function leaves out what disclosure
control hides, and says so. Each plot module's own tests are under tests/report/plots/."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.report import plots  # noqa: E402
from tests.report.plots.common import probabilities  # noqa: E402

pytestmark = pytest.mark.usefixtures("no_show_and_close")


def test_a_real_runs_other_plots_leave_out_rows_with_small_counts(monkeypatch):
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "real")
    units = pd.DataFrame(
        {"pdu": ["York", "Leeds", "Hull"], "pct_yes": [70.0, 66.7, 40.0],
         "outcome_rate": [30.0, 33.3, 50.0], "n": [20, 3, 30]}
    )  # fmt: skip
    ax = plots.outcome_scatter(units)
    assert len(ax.collections[0].get_offsets()) == 1  # Leeds (3), and York beside it, not drawn
    assert "not drawn" in plots.alt_text(ax)
    factors = pd.DataFrame(
        {"term": ["x", "y"], "a": [10, 2], "b": [10, 20], "c": [10, 20], "d": [10, 20],
         "odds_ratio": [1.0, 0.1], "ci_low": [0.5, 0.02], "ci_high": [2.0, 0.9]}
    )  # fmt: skip
    ax = plots.forest(factors)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["X"]  # y's a = 2: not drawn
    ax = plots.band_probabilities(probabilities().assign(n_cases=[20, 2, 30]))
    assert "not drawn" in plots.alt_text(ax)
