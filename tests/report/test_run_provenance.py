"""analysis.report.run_provenance: the run's record as the export reads it, failing closed."""

from __future__ import annotations

import dataclasses

import pytest

from analysis.exceptions import ParameterError
from analysis.report.run_provenance import RunProvenance


@pytest.mark.parametrize(
    ("given", "guarded"),
    [
        (None, True),  # no provenance: treated as real
        ({}, True),
        ({"dataset_kind": "real"}, True),
        ({"dataset_kind": "synthetic"}, False),
        ({"dataset_kind": "Synthetic"}, True),  # not the declared word: real
        ({"dataset_kind": "synthetic", "public_record": True}, False),
        ({"dataset_kind": "real", "public_record": True}, False),  # published reports alone
        ({"dataset_kind": "real", "public_record": "yes"}, True),  # not True: guarded
        ({"dataset_kind": None, "public_record": True}, True),  # kind not said: guarded
        ({"synthetic": True}, True),  # a banner is not a declaration
    ],
)
def test_only_a_declared_synthetic_run_or_the_public_record_skips_the_export_guard(given, guarded):
    assert RunProvenance.of(given).guarded is guarded


def test_a_record_is_taken_as_it_is_and_is_frozen():
    record = RunProvenance(dataset_kind="real", dataset="tiny", region="Wales")
    assert RunProvenance.of(record) is record
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.dataset_kind = "synthetic"


def test_a_misspelt_field_is_refused_naming_it_and_the_fields():
    with pytest.raises(ParameterError) as err:
        RunProvenance.of({"dataset_kind": "synthetic", "regoin": "Wales"})
    message = str(err.value)
    assert message.startswith("provenance: unknown field 'regoin'; the fields are dataset_kind,")
    assert "region" in message


def test_something_that_is_not_a_mapping_is_refused():
    with pytest.raises(ParameterError, match="expected a RunProvenance or a mapping, got list"):
        RunProvenance.of([("dataset_kind", "synthetic")])


def test_a_mapping_fills_the_fields_it_names_and_leaves_the_rest_empty():
    record = RunProvenance.of({"notebook": "01-rating-distributions", "data_hashes": {"a": "b"}})
    assert record.notebook == "01-rating-distributions" and dict(record.data_hashes) == {"a": "b"}
    assert record.dataset_kind is None and record.error is None and record.kernel == ""
