"""analysis.models.diagnostics: events per variable, separation, small cells (issue 4)."""

import numpy as np

from analysis.models.diagnostics import design_diagnostics, failure_reason, fit_diagnostics


def test_events_per_variable_and_small_cells():
    rng = np.random.default_rng(0)
    y = (rng.random(200) < 0.1).astype(float)
    X = np.column_stack([np.ones(200), rng.normal(size=200), (np.arange(200) < 4).astype(float)])
    d = design_diagnostics(y, X, ["Intercept", "x", "rare"])
    assert d["events_per_variable"] == min(y.sum(), 200 - y.sum()) / 2
    assert any("events per variable" in n for n in d["notes"]) == (d["events_per_variable"] < 10)
    assert "rare" in " ".join(d["notes"])


def test_separation_in_the_exposure_is_fatal_elsewhere_a_note():
    y = np.array([1, 1, 1, 0, 0, 0, 1, 0, 1, 0] * 3, dtype=float)
    x = y.copy()
    z = np.array([1, 0] * 15, dtype=float)
    X = np.column_stack([np.ones(30), x, z])
    fatal = design_diagnostics(y, X, ["Intercept", "x", "z"], focus=["x"])
    assert fatal["fatal"].startswith("separation: x")
    note = design_diagnostics(y, X, ["Intercept", "x", "z"], focus=["z"])
    assert note["fatal"] is None and "quasi-complete separation: x" in note["notes"]


def test_fit_checks_and_failure_reason():
    notes = fit_diagnostics(
        np.array([0.1, 14.0]), ["Intercept", "x"], converged=False, cov=np.eye(2)
    )
    assert notes[0] == "did not converge" and "possible separation" in notes[1]
    assert (
        failure_reason(np.linalg.LinAlgError("Singular matrix"))
        == "fit failed: LinAlgError: Singular matrix"
    )
