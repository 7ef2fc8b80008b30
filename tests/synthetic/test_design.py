"""How a synthetic inspection is designed: sample sizes, keeping-safe answers, domain one.

Outside references: the published case counts (seeds 000, 001, 003), the seeds' wording on
risk of harm (002, 003) and leadership (003), and the project's rating engine
(:func:`analysis.ratings.rate`) for the case-supervision bands the generator derives itself.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis import cli, config
from analysis.exceptions import InputDataError, ParameterError
from analysis.ratings import rate
from analysis.synthetic import design
from analysis.synthetic.generate import simulate, write_sample
from analysis.synthetic.parameters import DOMAIN_ONE, PRACTICE, SAMPLE_SIZE
from tests.conftest import tree_digest

CASE_STANDARDS = ["assessment", "planning", "implementation_and_delivery", "reviewing"]


@pytest.fixture(scope="module")
def default_sample():
    return simulate()


def sizes_of(sample) -> pd.Series:
    return sample.cases.groupby(sample.cases["pdu"].astype(str), observed=True).size()


# --- sample sizes --------------------------------------------------------------------------------
def test_sample_sizes_vary_with_pdu_size_within_the_published_range(default_sample):
    sizes = sizes_of(default_sample)
    caseload = default_sample.units.set_index(default_sample.units["pdu"].astype(str))["caseload"]
    assert sizes.min() >= 20 and sizes.max() <= 80
    assert sizes.nunique() > 20, "every PDU has much the same sample"
    assert np.corrcoef(np.log(caseload.loc[sizes.index].astype(float)), sizes)[0, 1] > 0.6
    assert default_sample.metadata["cases_per_pdu"] is None
    assert default_sample.metadata["cases_per_pdu_range"] == [int(sizes.min()), int(sizes.max())]


def test_mean_sample_size_matches_the_published_rounds():
    """546 cases over 11 PDUs (49.6) and 292 over 7 (41.7): the model's mean lies between."""
    means = [sizes_of(simulate(seed=s, regions=["London", "Wales"])).mean() for s in range(8)]
    national = [sizes_of(simulate(seed=s)).mean() for s in (1, 2)]
    assert 42 <= np.mean(means + national) <= 50, (means, national)


def test_case_ids_number_each_pdu_from_one(default_sample):
    cases = default_sample.cases
    seq = cases["case_id"].str.rsplit("-", n=1).str[1].astype(int)
    first = seq.groupby(cases["pdu"].astype(str), observed=True).min()
    last = seq.groupby(cases["pdu"].astype(str), observed=True).max()
    assert (first == 1).all() and (last == sizes_of(default_sample).loc[last.index]).all()
    assert cases["case_id"].is_unique


def test_fixed_size_when_asked_and_deterministic_for_a_seed():
    fixed = simulate(seed=3, cases_per_pdu=6)
    assert set(sizes_of(fixed)) == {6} and fixed.metadata["cases_per_pdu"] == 6
    a, b = simulate(seed=9, regions=["North East"]), simulate(seed=9, regions=["North East"])
    pd.testing.assert_frame_equal(a.cases, b.cases)
    pd.testing.assert_frame_equal(a.unit_ratings, b.unit_ratings)
    assert not simulate(seed=10, regions=["North East"]).cases.equals(a.cases)


def test_sample_size_scatter_has_its_own_stream(monkeypatch):
    """Changing the sizes' scatter leaves the PDUs' context exactly as it was."""
    before = simulate(seed=4, regions=["Wales"])
    monkeypatch.setitem(SAMPLE_SIZE, "sd", 0.3)
    after = simulate(seed=4, regions=["Wales"])
    pd.testing.assert_frame_equal(before.units, after.units)
    assert not sizes_of(before).equals(sizes_of(after))


@pytest.mark.parametrize("bad", [0, -3, 2.5, True, "20"])
def test_bad_cases_per_pdu_is_refused_and_nothing_written(tmp_path, bad):
    out = tmp_path / "syn"
    raw_before = tree_digest(config.RAW_DIR)
    with pytest.raises(ParameterError) as err:
        write_sample(out, cases_per_pdu=bad)
    message = str(err.value)
    assert f"got {bad!r}" in message
    assert "whole number of at least 1" in message and "20-80 cases" in message
    assert not out.exists()
    assert tree_digest(config.RAW_DIR) == raw_before


# --- keeping other people safe ---------------------------------------------------------------------
def test_keeping_safe_deficits_are_across_all_categories_of_risk():
    """Seed 003: 'insufficient across all grades of practitioners, and all categories of risk'.

    On 16,200 cases the keeping-safe % yes of high / very high RoSH cases is within 2 points of
    low / medium cases (and within 3 standard errors). The old model (-0.20 on the log odds for
    high RoSH) gave about 4.5 points less, which fails both.
    """
    cases = simulate(seed=11, cases_per_pdu=150).cases
    ks = cases[[c for c in cases.columns if c.endswith("_keeping_safe")]].astype("object")
    share = (ks == "yes").sum(axis=1) / ks.isin(["yes", "no"]).sum(axis=1)
    high = cases["rosh"].isin(["high", "very_high"]).to_numpy()
    diff = 100 * (share[high].mean() - share[~high].mean())
    se = 100 * np.sqrt(share[high].var() / high.sum() + share[~high].var() / (~high).sum())
    assert abs(diff) < 2 and abs(diff) < 3 * se, (diff, se)
    assert "high_rosh_keeping_safe" not in PRACTICE


# --- domain one ----------------------------------------------------------------------------------
def test_case_standard_levels_agree_with_the_rating_engine(default_sample):
    cases = default_sample.cases
    codes = cases["pdu"].astype(str)
    order = pd.unique(codes)
    pdu_index = pd.Categorical(codes, categories=order).codes
    answers = {c: cases[c].astype("object").to_numpy() for c in cases.columns if "_" in c}
    levels = design.case_standard_levels(answers, pdu_index, len(order))
    std = rate(cases, by="pdu").standards
    std = std[std["standard"].astype(str).isin(CASE_STANDARDS)]
    engine = (
        std.pivot_table(
            index=std["pdu"].astype(str),
            columns="standard",
            values="rating",
            aggfunc="first",
            observed=True,
        )
        .astype("object")
        .reindex(index=order, columns=CASE_STANDARDS)
    )
    mapping = {"Inadequate": 0, "Requires improvement": 1, "Good": 2, "Outstanding": 3}
    assert (engine.replace(mapping).to_numpy(dtype=float) == levels).all()


def leadership_where_all_inadequate(sample) -> pd.Series:
    std = rate(sample.cases, by="pdu").standards
    std = std[std["standard"].astype(str).isin(CASE_STANDARDS)]
    four = std.groupby(std["pdu"].astype(str), observed=True)["rating"].apply(
        lambda r: bool((r.astype(str) == "Inadequate").all())
    )
    ur = sample.unit_ratings
    lead = ur[ur["standard"].astype(str) == "leadership"]
    lead = lead.set_index(lead["pdu"].astype(str))["rating"].astype(str)
    return lead.loc[four[four].index]


def test_leadership_follows_the_guidance_unless_overridden(monkeypatch):
    """Seed 003: the guidance 'would normally indicate a leadership rating of Inadequate'."""
    monkeypatch.setitem(DOMAIN_ONE, "leadership_override", 0.0)
    strict = leadership_where_all_inadequate(simulate(seed=5))
    assert len(strict) > 20 and (strict == "Inadequate").all()
    monkeypatch.setitem(DOMAIN_ONE, "leadership_override", 1.0)
    lenient = leadership_where_all_inadequate(simulate(seed=5))
    assert set(lenient) <= {"Inadequate", "Requires improvement"}
    assert (lenient == "Requires improvement").mean() > 0.7


def test_leadership_share_matches_the_published_reports():
    """3 of 5 published reports with four Inadequate case standards rate leadership
    Inadequate; over five national samples the synthetic share is within 0.45-0.75."""
    lead = pd.concat([leadership_where_all_inadequate(simulate(seed=s)) for s in range(5)])
    share = (lead == "Inadequate").mean()
    assert 0.45 <= share <= 0.75, share


# --- where the sample is written ---------------------------------------------------------------------
def test_rewrite_over_a_previous_sample(tmp_path):
    out = tmp_path / "syn"
    write_sample(out, seed=1, cases_per_pdu=2)
    write_sample(out, seed=2, cases_per_pdu=3)
    assert json.loads((out / "metadata.json").read_text())["seed"] == 2
    assert len(pd.read_csv(out / "cases.csv")) == 324


@pytest.mark.parametrize("metadata", [None, "{not json", '{"synthetic": false}'])
def test_refuses_to_replace_files_it_did_not_write(tmp_path, metadata):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "cases.csv").write_text("case_id,note\nREAL-1,keep me\n")
    if metadata is not None:
        (out / "metadata.json").write_text(metadata)
    before = tree_digest(out)
    with pytest.raises(InputDataError) as err:
        write_sample(out, seed=1, cases_per_pdu=2)
    message = str(err.value)
    assert f"Refusing to write the synthetic sample to {out}" in message
    assert "cases.csv" in message and "Nothing was written" in message
    assert tree_digest(out) == before


def test_refuses_a_file_as_the_folder(tmp_path):
    target = tmp_path / "cases.csv"
    target.write_text("keep me\n")
    with pytest.raises(InputDataError, match="it is a file, not a folder"):
        write_sample(target, seed=1, cases_per_pdu=2)
    assert target.read_text() == "keep me\n"


def test_cli_simulate_draws_sizes_and_reports_bad_sizes(tmp_path, capsys):
    out = tmp_path / "syn"
    assert cli.main(["simulate", "--out", str(out), "--seed", "2"]) == 0
    sizes = pd.read_csv(out / "cases.csv").groupby("pdu").size()
    assert sizes.nunique() > 20 and sizes.min() >= 20
    before = tree_digest(out)
    assert cli.main(["simulate", "--out", str(out), "--cases-per-pdu", "0"]) == 2
    assert "cases_per_pdu must be a whole number of at least 1" in capsys.readouterr().err
    assert tree_digest(out) == before
