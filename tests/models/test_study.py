"""analysis.models.study: the simulation study recovers known truth (issue 4)."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.models.study import STUDY_COLUMNS, run_study
from analysis.synthetic.generate import simulate


def quality_score(cases):
    """Share of applicable key questions answered yes, computed here independently of the package."""
    kq = [c for c in cases.columns if c.endswith(("_engagement", "_desistance", "_keeping_safe"))]
    answers = cases[kq].astype("object")
    yes = (answers == "yes").sum(axis=1)
    applicable = answers.isin(["yes", "no"]).sum(axis=1)
    return (yes / applicable.where(applicable > 0)).rename("quality_score")


def tiny_generator(seed, cases_per_pdu):
    """A generator of our own: outcome depends on the quality score with a known log OR per 10 points."""
    sample = simulate(
        seed=seed, cases_per_pdu=cases_per_pdu, regions=["North East", "London", "Wales"]
    )
    rng = np.random.default_rng(seed)

    eta = -0.2 + 0.3 * 10 * quality_score(sample.cases).to_numpy()
    cases = sample.cases.copy()
    cases["complied"] = pd.array(rng.random(len(cases)) < 1 / (1 + np.exp(-eta)), dtype="boolean")
    truth = pd.DataFrame(
        {"outcome": ["complied"], "term": ["quality_score_per_10pts"], "true_value": [0.3]}
    )
    return SimpleNamespace(cases=cases, truth=truth)


def test_study_with_own_generator_recovers_truth(tmp_path):
    table = run_study(replications=12, seed=3, cases_per_pdu=20, out_dir=tmp_path, generator=tiny_generator,
                      models=("robust", "mixed"))  # fmt: skip
    assert tuple(table.columns) == STUDY_COLUMNS
    assert set(table["model"]) == {"logit_cluster_robust", "mixed_random_intercept"}
    for _, row in table.iterrows():
        assert abs(row["bias"]) < 4 * row["bias_mcse"] + 0.01
    assert (tmp_path / "simulation_study.csv").is_file()
    assert "SYNTHETIC" in (tmp_path / "simulation_study.md").read_text(encoding="utf-8")
    assert pd.read_csv(tmp_path / "simulation_replicates.csv")["replication"].nunique() == 12


def test_small_study_on_the_synthetic_generator(tmp_path):
    """30 replications of the headline model: coverage plausible, mean within Monte Carlo error of truth."""
    table = run_study(
        replications=30, seed=2024, out_dir=tmp_path, outcomes=["new_offence"], models=("robust",)
    )
    row = table.iloc[0]
    assert row["true_value"] == pytest.approx(-0.10)  # the generator's truth table
    assert 0.80 <= row["coverage"] <= 1.0
    assert abs(row["bias"]) < 3.5 * row["bias_mcse"]
    assert 0.7 < row["se_ratio"] < 1.4


@pytest.mark.validation
def test_full_study_headline_coverage(tmp_path):
    """The documented study: 200 replications, coverage of the headline model in 92-98%."""
    table = run_study(
        replications=200, seed=1, out_dir=tmp_path, outcomes=["new_offence"], models=("robust",)
    )
    row = table.iloc[0]
    assert 0.92 <= row["coverage"] <= 0.98
    assert abs(row["bias"]) < 3 * row["bias_mcse"]
