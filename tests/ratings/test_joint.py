"""The joint model of a unit's case-based standards (analysis.ratings.joint), and an outside
prior widened for a strong unit or moved towards a better region."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis import frameworks
from analysis.ratings.joint import joint_scores
from analysis.ratings.published import key_question_scores_from_percentages

FW = frameworks.get("pdu-2023")
EDGES = (0.0, 0.5, 0.65, 0.8)
CASE_KQS = [k.id for k in FW.key_questions if k.standard in FW.case_based_standards]


def _unit_table(pcts, n=20, unit="A"):
    return pd.DataFrame({"pdu": unit, "key_question": CASE_KQS, "pct_yes": pcts, "n": n})


def test_joint_score_distribution_is_a_distribution_and_is_certain_with_many_cases():
    table = _unit_table([95] * 12, n=400)
    kq = key_question_scores_from_percentages(table, by="pdu")
    kq = kq[kq["standard"].isin(FW.case_based_standards)]
    joint = joint_scores(
        kq["n_yes"], kq["n_applicable"], kq["pdu"], kq["standard"], kq["key_question"],
        EDGES, (0, 1, 2, 3),
    )  # fmt: skip
    dist = joint.distribution.to_numpy()[0]
    assert dist.sum() == pytest.approx(1.0)
    assert dist[12] > 0.99  # every standard Outstanding
    assert joint.band_probabilities.shape == (1, 4, 4)
    np.testing.assert_allclose(joint.band_probabilities.sum(axis=2), 1.0)


def test_a_strong_unit_alone_is_pulled_down_less_than_by_the_prior_as_given():
    from analysis.ratings.uncertainty import band_probabilities

    kqs = [k.id for k in FW.key_questions if k.standard == "assessment"]
    args = ([18, 18, 17], [20, 20, 20], ["A"] * 3, ["assessment"] * 3, kqs, EDGES)
    given = band_probabilities(*args, method="national", min_shift_units=10**9)[0]
    from analysis.ratings.uncertainty import fit_pooled

    fixed = fit_pooled(*args[:5], method="national", adapt=False)
    as_given = band_probabilities(*args, model=fixed)[0]
    assert given[3] > as_given[3] + 0.05  # P(Outstanding) higher with the widened prior


def test_a_better_region_is_pooled_towards_itself_not_the_national_population():
    from analysis.ratings.uncertainty import fit_pooled, national_prior

    kqs = [k.id for k in FW.key_questions if k.standard == "assessment"]
    rng = np.random.default_rng(4)
    mean, _ = national_prior(kqs)
    units = 8
    truth = 1 / (1 + np.exp(-(mean + 1.5)))  # every key question 1.5 logits better
    y = rng.binomial(20, np.tile(truth, units))
    rows = dict(n_yes=y, n=np.full(y.size, 20), unit=np.repeat(np.arange(units), 3),
                standard=["assessment"] * y.size, key_question=kqs * units)  # fmt: skip
    model = fit_pooled(**rows).standards["assessment"]
    assert model.shift is not None and np.all(model.shift > 0.5)
    np.testing.assert_allclose(model.centre(), model.mean + model.shift)
