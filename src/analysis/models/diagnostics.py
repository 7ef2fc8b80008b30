"""Diagnostics that travel with every model result: events per variable, separation, small cells,
convergence.

Each check returns plain-English notes; :func:`design_diagnostics` runs the checks that need
no fit, :func:`fit_diagnostics` those that do. A model that cannot be fitted becomes a row of
NaN whose ``warning`` says why (:func:`failure_reason`), so a batch never stops half way.

Thresholds (stated, conventional rather than exact):

* events per variable (EPV): ``min(events, non-events) / parameters excluding the intercept``;
  below 10 is flagged (Peduzzi et al. 1996), below 2 the model is not fitted;
* small cell: an indicator column with fewer than 5 cases at either value, or fewer than 5
  events or non-events among the cases where it is 1;
* separation: an indicator column for which some cell of its 2x2 table with the outcome is
  empty (quasi-complete separation: the maximum-likelihood estimate does not exist); after the
  fit, any coefficient beyond +/-10 on the log-odds scale is flagged as possible separation.

>>> import numpy as np
>>> y = np.array([1, 1, 0, 0, 1, 0, 1, 0.0])
>>> X = np.column_stack([np.ones(8), [1, 1, 1, 1, 0, 0, 0, 0.0]])
>>> d = design_diagnostics(y, X, ["Intercept", "x"])
>>> d["events_per_variable"], d["notes"][0]
(4.0, 'events per variable 4.0 (< 10)')
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._design import term_words

__all__ = [
    "EPV_FLAG",
    "EPV_MINIMUM",
    "SMALL_CELL",
    "design_diagnostics",
    "fit_diagnostics",
    "failure_reason",
]

EPV_FLAG = 10.0
EPV_MINIMUM = 2.0
SMALL_CELL = 5
LARGE_COEFFICIENT = 10.0


def _indicator(x: np.ndarray) -> bool:
    return bool(np.all((x == 0) | (x == 1)))


def design_diagnostics(y: np.ndarray, X: np.ndarray, names: Sequence[str], *, focus=()) -> dict:
    """Checks that need no fit.

    Parameters
    ----------
    y : array of 0/1
    X : 2-D array whose first column is the intercept
    names : column names of ``X``
    focus : names of the exposure columns; separation there makes the model unfittable.

    Returns
    -------
    dict
        ``n``, ``events``, ``events_per_variable``, ``separated`` (column names),
        ``fatal`` (a reason not to fit, or ``None``) and ``notes`` (list of str).
    """
    n = len(y)
    events = float(np.sum(y))
    k = max(X.shape[1] - 1, 1)
    epv = min(events, n - events) / k
    notes, separated = [], []
    fatal = None
    if epv < EPV_MINIMUM:
        fatal = (
            f"too few events: {events:.0f} events, {n - events:.0f} non-events for {k} parameters"
        )
    elif epv < EPV_FLAG:
        notes.append(f"events per variable {epv:.1f} (< {EPV_FLAG:g})")
    for j, name in enumerate(names[1:], start=1):
        x = X[:, j]
        if not _indicator(x):
            continue
        ones = x == 1
        cells = np.array(
            [
                np.sum(ones & (y == 1)),
                np.sum(ones & (y == 0)),
                np.sum(~ones & (y == 1)),
                np.sum(~ones & (y == 0)),
            ]
        )
        if ones.sum() == 0 or ones.sum() == n:
            fatal = fatal or f"{name} does not vary in the analysed cases"
            continue
        if np.any(cells == 0):
            separated.append(name)
            if name in focus:
                fatal = (
                    fatal
                    or f"separation: {name} has an empty cell with the outcome {cells.tolist()}"
                )
        elif min(ones.sum(), n - ones.sum()) < SMALL_CELL or min(cells[:2]) < SMALL_CELL:
            notes.append(f"small cell: {term_words(name)}")
    if separated:
        notes.append(f"quasi-complete separation: {', '.join(term_words(n) for n in separated)}")
    return {
        "n": n,
        "events": events,
        "events_per_variable": epv,
        "separated": separated,
        "fatal": fatal,
        "notes": notes,
    }


def fit_diagnostics(
    params: np.ndarray, names: Sequence[str], *, converged: bool, cov=None
) -> list[str]:
    """Checks on a fitted model: convergence, very large coefficients, unusable standard errors."""
    notes = []
    if not converged:
        notes.append("did not converge")
    big = [n for n, b in zip(names, params, strict=True) if abs(b) > LARGE_COEFFICIENT]
    if big:
        notes.append(f"possible separation (|log OR| > {LARGE_COEFFICIENT:g}): {', '.join(big)}")
    if cov is not None:
        var = np.diag(np.asarray(cov))
        if not np.all(np.isfinite(var)) or np.any(var <= 0):
            notes.append("standard errors not available (singular information)")
    return notes


def failure_reason(exc: BaseException) -> str:
    """A one-line reason for a failed fit, for the ``warning`` column."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"fit failed: {type(exc).__name__}{': ' + text if text else ''}"
