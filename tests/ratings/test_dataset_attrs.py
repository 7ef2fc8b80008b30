"""Rating tables keep their dataset's name and kind, so reader tables of real data are protected."""

import pandas as pd
import pytest

from analysis import frameworks, ratings
from analysis.exceptions import InputDataError
from analysis.report.disclosure import SUPPRESSED, protect


def _cases(kind: str, n_small: int = 3) -> pd.DataFrame:
    """Twenty cases in York and ``n_small`` in Selby, all answered yes except one per unit."""
    rows = []
    for pdu, n in (("York", 20), ("Selby", n_small)):
        for i in range(n):
            rows.append({"pdu": pdu, **{k: "no" if i == 0 else "yes" for k in FW.key_question_ids}})
    cases = pd.DataFrame(rows)
    cases.attrs.update({"dataset": f"{kind}-sample", "dataset_kind": kind})
    return cases


FW = frameworks.get("pdu-2023")


@pytest.mark.parametrize("kind", ["real", "synthetic"])
def test_every_rating_table_keeps_the_dataset(kind):
    domain_one = pd.DataFrame(
        {"pdu": "York", "standard": ["leadership", "staffing", "services"], "rating": "Good"}
    )
    result = ratings.rate(_cases(kind), by="pdu", other_ratings=domain_one)
    for table in (result.key_questions, result.standards, result.overall):
        assert table.attrs["dataset_kind"] == kind
        assert table.attrs["dataset"] == f"{kind}-sample"
    assert ratings.quality_scores(_cases(kind)).attrs["dataset_kind"] == kind


def test_real_rating_tables_are_protected_before_display():
    kq = ratings.key_question_scores(_cases("real"), by="pdu")
    shown = protect(kq).set_index("pdu")
    assert (shown.loc["Selby", "n_applicable"] == SUPPRESSED).all()
    assert (shown.loc["Selby", "pct_yes"] == SUPPRESSED).all()
    # York is the only other PDU: shown, it and a regional total would give Selby's counts
    assert (shown.loc["York", "n_applicable"] == SUPPRESSED).all()
    synthetic = ratings.key_question_scores(_cases("synthetic"), by="pdu")
    assert protect(synthetic) is synthetic


def test_real_and_synthetic_inputs_are_never_combined():
    standards = ratings.rate(_cases("synthetic"), by="pdu").standards
    other = pd.DataFrame({"pdu": ["York"], "standard": ["leadership"], "rating": ["Good"]})
    other.attrs.update({"dataset": "york-real", "dataset_kind": "real"})
    with pytest.raises(InputDataError, match="'synthetic-sample' \\(synthetic\\), 'york-real'"):
        ratings.overall_ratings(standards, by="pdu", other_ratings=other)
