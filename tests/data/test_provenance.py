"""analysis.data.provenance: where rows come from, carried as a value, and failing closed.

Each test starts outside any run with no dataset loaded (the autouse fixture of
tests/conftest.py clears the run variables and the loaded kinds).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.data import provenance
from analysis.data.provenance import (
    Origin,
    data_source,
    dataset_kind,
    dataset_label,
    dataset_name,
    is_synthetic,
    kind_words,
    label_kind,
    loaded_kinds,
    mark,
    mark_dataset,
    mark_synthetic,
    origin,
    reader_kind,
    run_origin,
)

SHOUTED = "SYNTHETIC (simulated data, not real results)"


def frame(source="York PDU case records", name=None, kind=None) -> pd.DataFrame:
    """A two-row table; with ``kind``, marked as a loader marks it (not recorded as loaded)."""
    out = pd.DataFrame({"pdu": ["York", "Leeds"], "source": [source, source]})
    if kind is not None:
        mark_dataset(out, name, kind, case_level=False)
    return out


def _named(name: str) -> pd.DataFrame:
    """A table naming its dataset but not its kind."""
    out = pd.DataFrame({"n": [1]})
    out.attrs["dataset"] = name
    return out


@pytest.fixture
def in_run(monkeypatch):
    """Declare the run this process serves, as the runner does in a kernel."""

    def declare(kind: str, dataset: str = "") -> None:
        monkeypatch.setenv(provenance.RUN_KIND_ENV, kind)
        monkeypatch.setenv(provenance.RUN_DATASET_ENV, dataset)

    return declare


# --- origin -------------------------------------------------------------------------------------
def test_an_origin_is_a_frozen_value_with_its_words():
    found = Origin("york-2024", "real", "York PDU case records")
    assert not found.synthetic and found.words == "real"
    assert Origin("synthetic", "synthetic").synthetic
    assert Origin("synthetic", "synthetic").words == SHOUTED
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.kind = "synthetic"


def test_kind_words_shout_synthetic_and_call_anything_else_real():
    assert [kind_words(k) for k in ("synthetic", "real", "unknown", None)] == [
        SHOUTED,
        "real",
        "real",
        "real",
    ]


def test_the_origin_of_a_loaded_frame():
    found = origin(frame(name="york-2024", kind="real"))
    assert found == Origin("york-2024", "real", "York PDU case records")


def test_the_origin_of_unmarked_frames_says_what_it_can():
    assert origin(frame("synthetic")) == Origin(None, "synthetic", "synthetic")
    assert origin(frame()) == Origin(None, "unknown", "York PDU case records")
    assert origin(object()) == Origin(None, "unknown", "")


def test_the_run_origin_is_read_from_the_runners_variables(in_run):
    assert run_origin() is None
    in_run("real", "york-2024")
    assert run_origin() == Origin("york-2024", "real")
    in_run("synthetic")
    assert run_origin() == Origin(None, "synthetic")
    in_run("simulated", "x")  # not a kind: unknown, which readers treat as real
    assert run_origin() == Origin("x", "unknown")


# --- what a reader table is ---------------------------------------------------------------------
def test_outside_a_run_with_nothing_loaded_only_a_synthetic_source_is_synthetic():
    assert reader_kind(frame()) == "real"
    assert reader_kind(pd.DataFrame({"n": [1]})) == "real"
    assert reader_kind(frame("synthetic")) == "synthetic"


def test_a_frame_marked_real_is_real_whatever_the_run(in_run):
    in_run("synthetic", "synthetic")
    assert reader_kind(frame("synthetic", "york-2024", "real")) == "real"
    stacked = pd.DataFrame({"n": [1, 2], "dataset_kind": ["synthetic", "real"]})
    assert reader_kind(stacked) == "real"  # one real row makes the table real


@pytest.mark.parametrize(
    ("run", "kind"), [("synthetic", "synthetic"), ("real", "real"), ("x", "real")]
)
def test_in_a_run_the_run_decides_for_frames_not_marked_real(in_run, run, kind):
    in_run(run)
    assert reader_kind(frame("synthetic", "synthetic", "synthetic")) == kind
    assert reader_kind(frame()) == kind


def test_outside_a_run_what_was_loaded_decides(monkeypatch):
    monkeypatch.setattr(provenance, "_LOADED", {"synthetic"})
    assert reader_kind(frame()) == "synthetic"
    monkeypatch.setattr(provenance, "_LOADED", {"synthetic", "real"})
    assert reader_kind(frame("synthetic", "synthetic", "synthetic")) == "real"


def test_labels_follow_the_declared_kind_never_the_source(monkeypatch, in_run):
    assert label_kind(frame("synthetic")) == "unknown"
    assert label_kind(mark_synthetic(frame())) == "synthetic"  # the generator's own mark
    assert label_kind(frame("synthetic", "york-2024", "real")) == "real"
    assert label_kind(frame(name="synthetic", kind="synthetic")) == "synthetic"
    monkeypatch.setattr(provenance, "_LOADED", {"synthetic"})
    assert label_kind(frame()) == "unknown"  # what else was loaded is no declaration


def test_in_a_run_an_undeclared_frame_takes_the_runs_label(in_run):
    in_run("synthetic")
    assert label_kind(frame()) == "synthetic"
    in_run("real")
    assert label_kind(frame()) == "real"
    assert label_kind(frame(name="synthetic", kind="synthetic")) == "real"


def test_a_public_record_run_needs_a_real_run(monkeypatch, in_run):
    monkeypatch.setenv(provenance.RUN_PUBLIC_ENV, "1")
    in_run("synthetic")
    assert not provenance.public_record_run()
    in_run("real")
    monkeypatch.setenv(provenance.RUN_PUBLIC_ENV, "yes")  # only "1" is the runner's flag
    assert not provenance.public_record_run()


# --- marks --------------------------------------------------------------------------------------
def test_a_declared_kind_decides_whatever_the_source_says():
    assert not is_synthetic(frame("synthetic", "york-2024", "real"))
    assert is_synthetic(frame("York PDU case records", "synthetic", "synthetic"))
    assert is_synthetic(frame("Synthetic"))  # undeclared: the source is read, any case
    assert not is_synthetic(pd.DataFrame({"n": [1]}))


def test_dataset_kind_and_name_read_only_what_was_declared():
    marked = frame(name="york-2024", kind="real")
    assert (dataset_kind(marked), dataset_name(marked)) == ("real", "york-2024")
    odd = frame()
    odd.attrs.update(dataset_kind="simulated", dataset=2024)
    assert (dataset_kind(odd), dataset_name(odd)) == (None, "2024")
    assert (dataset_kind(object()), dataset_name(object())) == (None, None)


@pytest.mark.parametrize(
    ("table", "label"),
    [
        (frame(name="york-2024", kind="real"), "york-2024 (real data)"),
        (frame(kind="synthetic"), "synthetic data"),
        (frame("synthetic"), "synthetic data"),
        (_named("york"), "york"),
        (frame(), "unknown data"),
    ],
    ids=["declared", "kind-only", "synthetic-source", "name-only", "nothing"],
)
def test_dataset_labels(table, label):
    assert dataset_label(table) == label


def test_the_source_is_every_distinct_value_or_synthetic():
    mixed = pd.DataFrame({"source": ["report B", "report A", None, "report B"]})
    assert data_source(mixed) == "report A; report B"
    assert data_source(pd.DataFrame({"source": [None, None]})) == "unknown"
    assert data_source(frame("York", "synthetic", "synthetic")) == "synthetic"


def test_marking_a_case_level_dataset_records_its_kind():
    cases = frame()
    assert mark_dataset(cases, "york-2024", "real") is cases
    assert cases.attrs == {"dataset": "york-2024", "dataset_kind": "real", "synthetic": False}
    assert loaded_kinds() == {"real"}
    mark_dataset(frame(), "published", "synthetic", case_level=False)
    mark_dataset(frame(), "odd", None)
    assert loaded_kinds() == {"real"}


def test_a_result_takes_its_source_and_the_origin_of_its_input():
    real = frame("synthetic", "york-2024", "real")
    result = mark(pd.DataFrame({"pdu": ["York"], "pct_yes": [70.0]}), "synthetic", origin=real)
    assert list(result.columns) == ["pdu", "pct_yes", "source"]
    assert result.attrs == {"dataset": "york-2024", "dataset_kind": "real", "synthetic": False}
    assert loaded_kinds() == frozenset()  # a result is not a loaded dataset
    plain = mark(pd.DataFrame({"n": [1]}), "synthetic", origin=frame())
    assert plain.attrs == {"synthetic": True} and plain["source"].tolist() == ["synthetic"]
    assert mark(pd.DataFrame({"n": [1]}), "published").attrs == {"synthetic": False}
