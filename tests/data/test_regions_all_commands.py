"""One list of regions, one suggestion: a misspelt region gets the same "did you mean" everywhere.

``Yorkshire & Humber`` (the reference list says 'Yorkshire and the Humber') is given to
``analysis reports --regions``, to the data loaders a notebook rates from, to the synthetic
generator, to the build (a region cell of the published key questions) and to extraction's
unit matcher; each names the same closest region, found by one rule
(:func:`analysis.data.normalise.suggest` over :func:`analysis.data.reference.regions`).
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis import cli, data
from analysis.data import normalise, reference
from analysis.data.build import build
from analysis.exceptions import InputDataError, ParameterError, ValidationFailed
from analysis.extract.identity import reference_name
from analysis.synthetic.generate import simulate

TYPO = "Yorkshire & Humber"
KQ = "published/key_questions.csv"


def _hint(message: str) -> str:
    found = re.findall(r"[Dd]id you mean '([^']+)'\?", message)
    assert len(found) == 1, message
    return found[0]


@pytest.fixture(scope="module")
def suggestion() -> str:
    hint = normalise.suggest(TYPO, reference.regions())
    assert hint == "Yorkshire and the Humber"
    return hint


def test_reports_suggest_the_region(suggestion, tmp_path, capsys):
    assert cli.main(["reports", "--regions", TYPO, "--reports", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert _hint(err) == suggestion and "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_the_loaders_and_the_generator_suggest_the_same_region(suggestion, small_processed_dir):
    with pytest.raises(InputDataError) as loaders:
        data.load_cases(region=TYPO, processed_dir=small_processed_dir)
    with pytest.raises(ParameterError) as generator:
        simulate(regions=[TYPO])
    assert _hint(str(loaders.value)) == _hint(str(generator.value)) == suggestion
    assert str(generator.value).startswith(f"Unknown region {TYPO!r}. Did you mean")


def test_the_generator_reads_a_region_as_the_loaders_do():
    """Before, the generator matched names exactly; now case, spacing and '&' are ignored."""
    sample = simulate(regions=["yorkshire AND the humber"], cases_per_pdu=2)
    assert set(sample.cases["region"].astype(str)) == {"Yorkshire and the Humber"}


def test_the_build_and_extraction_suggest_the_same_region(suggestion, raw_copy, tmp_path):
    frame = pd.read_csv(raw_copy / KQ, dtype=str, keep_default_na=False)
    frame.loc[0, "region"] = TYPO
    frame.to_csv(raw_copy / KQ, index=False, lineterminator="\n")
    with pytest.raises(ValidationFailed) as info:
        build(raw_dir=raw_copy, processed_dir=tmp_path / "out")
    failures = info.value.failures
    mine = failures[failures["check"] == "known_region"]
    assert mine[["file", "row", "column", "value"]].values.tolist() == [[KQ, 2, "region", TYPO]]
    assert _hint(mine["expected"].iloc[0]) == suggestion
    assert reference_name(f"{TYPO} region", "region") == (None, suggestion)
