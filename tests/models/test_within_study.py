"""analysis.models.within_study: the within-PDU simulation study, in small pieces.

The study itself (200 samples at 6, 15 and 108 PDUs) belongs to ``make validate``. Here the
samples and the model fits are stood in for, so that how replications become the summary
table (truth by estimand, bias, empirical SE, coverage and its Monte Carlo SE) is checked
against numbers worked by hand, in milliseconds.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from analysis.exceptions import ParameterError
from analysis.models import case, within_study
from analysis.models.within_study import WITHIN_COLUMNS, run_within_pdu_study, within_markdown

TRUTH = {"conditional": -0.3, "population_averaged": -0.27}

# per method, one (estimate, log CI low, log CI high, SE) per replication; NaN: a failed fit
FITS = {
    "logit_cluster_robust": [(-0.2, -0.4, 0.0, 0.10), (-0.4, -0.5, -0.3, 0.12)],
    "mixed_random_intercept": [(-0.35, -0.6, -0.1, 0.2), (np.nan, np.nan, np.nan, np.nan)],
}
LABELS = {"robust": "logit_cluster_robust", "mixed": "mixed_random_intercept"}


@pytest.fixture
def stand_ins(monkeypatch):
    """Samples numbered by replication (0, 1, 0, 1, ...); each fit returns its row of FITS."""
    made = []

    def sample(seed, n_pdus, **settings):
        made.append((seed, n_pdus, settings))
        return SimpleNamespace(cases=(len(made) - 1) % 2, truth=TRUTH)

    def associations(cases, *, outcome, cluster, alpha, within_pdu):
        label = LABELS[cluster]
        estimate, low, high, se = FITS[label][cases]
        return pd.DataFrame(
            [{"model": label, "estimate": estimate, "std_error": se, "ci_low": np.exp(low),
              "ci_high": np.exp(high), "warning": ""}]
        )  # fmt: skip

    monkeypatch.setattr(within_study, "within_pdu_sample", sample)
    monkeypatch.setattr(case, "associations", associations)
    return made


def test_replications_become_the_summary_worked_by_hand(stand_ins):
    table, replicates = run_within_pdu_study(
        replications=2, seed=7, n_pdus=(6,), models=("robust", "mixed"), within=(True,)
    )
    assert list(table.columns) == list(WITHIN_COLUMNS)
    assert [s[1] for s in stand_ins] == [6, 6] and len(set(s[0] for s in stand_ins)) == 2
    robust, mixed = (table.set_index("model").loc[m] for m in LABELS.values())
    # the cluster-robust fit estimates the population-averaged truth -0.27
    assert robust["estimand"] == "population_averaged" and robust["true_value"] == -0.27
    assert robust["mean_estimate"] == pytest.approx(-0.3)
    assert robust["bias"] == pytest.approx(-0.03)
    assert robust["empirical_se"] == pytest.approx(np.sqrt(0.02))  # SD of -0.2 and -0.4
    assert robust["mean_model_se"] == pytest.approx(0.11)
    assert robust["coverage"] == 0.5  # -0.27 lies in (-0.4, 0.0), not in (-0.5, -0.3)
    assert robust["coverage_mcse"] == pytest.approx(np.sqrt(0.25 / 2))
    assert (robust["replications"], robust["n_failed"]) == (2, 0)
    # the random-intercept fit estimates the conditional truth; its failed fit is counted
    assert mixed["estimand"] == "conditional" and mixed["true_value"] == -0.3
    assert mixed["bias"] == pytest.approx(-0.05) and mixed["coverage"] == 1.0
    assert (mixed["replications"], mixed["n_failed"]) == (1, 1)
    assert np.isnan(mixed["empirical_se"])  # one estimate has no spread
    assert set(table["source"]) == {"synthetic"} and table.attrs["synthetic"] is True
    assert table.attrs["study"]["replications"] == 2 and table.attrs["study"]["seed"] == 7
    assert len(replicates) == 4 and replicates["covered"].isna().sum() == 1


def test_the_sample_settings_reach_every_sample(stand_ins):
    run_within_pdu_study(
        replications=2, n_pdus=(6, 15), models=("robust",), within=(True,), effect=-0.5,
        confounding=0.1, pdu_sd=0.4, prevalence=0.2,
    )  # fmt: skip
    assert [s[1] for s in stand_ins] == [6, 6, 15, 15]
    expected = {"effect": -0.5, "confounding": 0.1, "pdu_sd": 0.4, "prevalence": 0.2}
    assert all(s[2] == expected for s in stand_ins)


@pytest.mark.parametrize("replications", [1, 0, 2.5, "10"])
def test_fewer_than_two_or_a_fraction_of_replications_is_refused(replications):
    with pytest.raises(ParameterError, match="replications must be a whole number of at least 2"):
        run_within_pdu_study(replications=replications)


def test_markdown_gives_the_settings_and_one_row_per_method():
    table = pd.DataFrame(
        [{"n_pdus": 6, "model": "logit_cluster_robust", "within_pdu": True, "true_value": -0.27,
          "mean_estimate": -0.3, "bias": -0.03, "empirical_se": 0.141421, "mean_model_se": 0.11,
          "coverage": 0.5, "coverage_mcse": 0.353553, "replications": 2, "n_failed": 0}]
    )  # fmt: skip
    table.attrs["study"] = {"replications": 2, "seed": 7, "effect": -0.3, "confounding": 0.3,
                            "pdu_sd": 0.8, "seconds": 1.4}  # fmt: skip
    lines = within_markdown(table).splitlines()
    assert lines[0] == (
        "Within-PDU study (SYNTHETIC): 2 samples per number of PDUs, seed 7, effect -0.3, "
        "confounding 0.3, PDU SD 0.8; 1 s."
    )
    assert lines[-1] == (
        "| 6 | logit_cluster_robust | True | -0.2700 | -0.3000 | -0.0300 | 0.1414 | 0.1100 | "
        "0.500 (0.354) | 2 | 0 |"
    )
    assert len(lines) == 5  # settings, blank, heading, rule, one row
