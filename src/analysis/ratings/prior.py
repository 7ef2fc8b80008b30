"""The national prior of the rating model: key-question percentages from published reports.

Used when too few units are rated together to fit their population (see
:mod:`analysis.ratings.uncertainty` and docs/ratings.md, "Few units").
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import frameworks as _fw
from ..exceptions import InputDataError

__all__ = ["NATIONAL_PRIOR_FIGURES", "PRIOR_CORRELATION", "PRIOR_MIN_SD", "national_prior"]

NATIONAL_PRIOR_FIGURES: tuple[tuple[str, float, str], ...] = (
    ("engagement", 55.0, "domain.md §6: engagement key questions typically 55-80% (lower end)"),
    ("engagement", 80.0, "domain.md §6: engagement key questions typically 55-80% (upper end)"),
    ("engagement", 70.0, "York PDU 2024, assessment engagement (key_questions.csv)"),
    ("engagement", 70.0, "York PDU 2024, planning engagement (key_questions.csv)"),
    ("engagement", 55.0, "York PDU 2024, implementation and delivery engagement"),
    ("engagement", 50.0, "York PDU 2024, reviewing engagement (key_questions.csv)"),
    ("desistance", 80.0, "York PDU 2024, assessment desistance (key_questions.csv)"),
    ("desistance", 70.0, "York PDU 2024, planning desistance (key_questions.csv)"),
    ("desistance", 30.0, "York PDU 2024, implementation and delivery desistance"),
    ("desistance", 55.0, "York PDU 2024, reviewing desistance (key_questions.csv)"),
    ("desistance", 32.0, "domain.md §6: national inspection 2025, delivery supported desistance"),
    ("keeping_safe", 25.0, "York PDU 2024, assessment keeping safe (key_questions.csv)"),
    ("keeping_safe", 35.0, "York PDU 2024, planning keeping safe (key_questions.csv)"),
    ("keeping_safe", 20.0, "York PDU 2024, implementation and delivery keeping safe"),
    ("keeping_safe", 25.0, "York PDU 2024, reviewing keeping safe (key_questions.csv)"),
    ("keeping_safe", 25.0, "domain.md §6: risk-of-harm assessment sufficient, London PDUs 2022"),
    ("keeping_safe", 33.0, "domain.md §6: risk-of-harm assessment, Stockton and Hartlepool 2025"),
    ("keeping_safe", 35.0, "domain.md §6: risk-of-harm assessment, North East region 2025"),
    ("keeping_safe", 18.0, "domain.md §6: national inspection 2025, keeping people safe"),
)
"""Published key-question percentages behind the national prior: (area, % yes, source)."""

PRIOR_CORRELATION = 0.5
"""Assumed correlation of a unit's true logits across the key questions of one standard in the
national prior (no published figure gives it; fitted models estimate it from the data)."""
PRIOR_MIN_SD = 1.0
"""Floor on the prior's between-unit SD per area (logit scale): few published figures."""


def _logit(p):
    return np.log(p) - np.log1p(-p)


def national_prior(key_questions, framework: str | _fw.Framework = "pdu-2023"):
    """Mean vector and covariance (logit scale) of the national prior for some key questions.

    Per area, the mean and SD of the logits of :data:`NATIONAL_PRIOR_FIGURES` (SD at least
    :data:`PRIOR_MIN_SD`); correlation :data:`PRIOR_CORRELATION` between key questions.

    Raises
    ------
    InputDataError
        If a key question is not in the framework.
    """
    fw = _fw.get(framework)
    area_of = {k.id: k.area for k in fw.key_questions}
    figures = pd.DataFrame(NATIONAL_PRIOR_FIGURES, columns=["area", "pct", "source"])
    figures["logit"] = _logit(figures["pct"] / 100)
    by_area = figures.groupby("area")["logit"].agg(["mean", "std"])
    mean, sd = [], []
    for kq in key_questions:
        if kq not in area_of:
            raise InputDataError(
                f"Key question {kq!r} is not in framework {fw.id!r}; expected one of "
                f"{', '.join(fw.key_question_ids)}."
            )
        row = by_area.loc[area_of[kq]]
        mean.append(row["mean"])
        sd.append(max(row["std"], PRIOR_MIN_SD))
    sd = np.asarray(sd)
    corr = np.full((len(sd), len(sd)), PRIOR_CORRELATION)
    np.fill_diagonal(corr, 1.0)
    return np.asarray(mean), corr * np.outer(sd, sd)
