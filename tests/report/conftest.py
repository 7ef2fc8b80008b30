"""Set-up shared by the plot tests (tests/report/test_plots.py and tests/report/plots/): a module
asks for it with ``pytest.mark.usefixtures("no_show_and_close")``."""

from __future__ import annotations

import pytest


@pytest.fixture
def no_show_and_close(monkeypatch):
    """Plot functions may neither show nor save; they draw as in a synthetic run (a test of a
    real run sets the kind itself); every figure is closed afterwards."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    def refuse(*args, **kwargs):
        raise AssertionError("plot functions must never show or save")

    monkeypatch.setattr(plt, "show", refuse)
    monkeypatch.setattr(plt, "savefig", refuse)
    monkeypatch.setenv("ANALYSIS_RUN_KIND", "synthetic")
    yield
    plt.close("all")
