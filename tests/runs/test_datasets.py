"""analysis.runs.datasets: which case-level datasets a batch covers, read from the build's manifest."""

from __future__ import annotations

import json

import pytest

from analysis.exceptions import ParameterError
from analysis.runs.datasets import built_datasets, kind_without_dataset


def _manifest(folder, datasets):
    (folder / "manifest.json").write_text(json.dumps({"datasets": datasets}), "utf-8")
    return folder


def test_the_datasets_of_the_last_build_with_their_kind_and_regions(tmp_path):
    _manifest(
        tmp_path,
        {
            "synthetic-2024": {"kind": "synthetic", "regions": None},
            "york": {"kind": "real", "regions": ["North East"], "disclosure_threshold": 10},
            "broken": "not a record",
        },
    )
    assert built_datasets(tmp_path) == [
        {
            "name": "synthetic-2024",
            "kind": "synthetic",
            "regions": None,
            "disclosure_threshold": None,
        },
        {"name": "york", "kind": "real", "regions": ["North East"], "disclosure_threshold": 10},
    ]
    assert [d["name"] for d in built_datasets(tmp_path, "york")] == ["york"]


@pytest.mark.parametrize("text", [None, "{not json", "[1, 2]", '{"datasets": null}'])
def test_no_usable_manifest_means_no_dataset(tmp_path, text):
    if text is not None:
        (tmp_path / "manifest.json").write_text(text, "utf-8")
    assert built_datasets(tmp_path) == []


def test_an_unknown_dataset_is_refused_naming_those_built(tmp_path):
    _manifest(tmp_path, {"york": {"kind": "real"}, "leeds": {"kind": "real"}})
    with pytest.raises(
        ParameterError, match=r"Unknown dataset 'hull'\. Datasets built: york, leeds\."
    ):
        built_datasets(tmp_path, "hull")
    with pytest.raises(ParameterError, match=r"Datasets built: none \(run `analysis build`\)\."):
        built_datasets(tmp_path / "nowhere", "hull")


def test_a_notebook_reading_published_data_only_is_real(tmp_path):
    def notebook(metadata):
        path = tmp_path / f"nb{len(list(tmp_path.iterdir()))}.ipynb"
        path.write_text(json.dumps({"cells": [], "metadata": metadata}), "utf-8")
        return path

    assert kind_without_dataset(notebook({"analysis": {"data": "published"}})) == "real"
    assert kind_without_dataset(notebook({"analysis": {"data": "cases"}})) is None
    assert kind_without_dataset(notebook({"analysis": "published"})) is None
    assert kind_without_dataset(notebook({})) is None
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{", "utf-8")
    assert kind_without_dataset(broken) is None
    assert kind_without_dataset(tmp_path / "missing.ipynb") is None
