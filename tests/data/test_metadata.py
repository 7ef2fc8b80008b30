"""analysis.data.metadata: each dataset declares its kind once, in its dataset.toml, never guessed."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from analysis import config
from analysis.data.metadata import DatasetInfo, discover, read_metadata

YORK = 'kind = "real"\ndescription = "York PDU case records"\n'


def declare(folder: Path, toml: str | None = None, generator: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if toml is not None:
        (folder / "dataset.toml").write_text(toml, encoding="utf-8")
    if generator is not None:
        (folder / "metadata.json").write_text(json.dumps(generator), encoding="utf-8")
    return folder


def read(folder: Path, toml: str | None = None, generator: dict | None = None):
    return read_metadata(declare(folder, toml, generator), f"datasets/{folder.name}")


def problems(found) -> list[tuple]:
    return [(p["column"], p["value"], p["check"], p["severity"]) for p in found]


def test_the_embedded_sample_is_declared_synthetic():
    declared = tomllib.loads((config.SYNTHETIC_DIR / "dataset.toml").read_text(encoding="utf-8"))
    info, found = read_metadata(config.SYNTHETIC_DIR, "synthetic")
    assert found == []
    assert info == DatasetInfo(
        name="synthetic",
        kind="synthetic",
        description=declared["description"],
        source=declared["source"],
        licence=declared["licence"],
        folder="synthetic",
    )
    assert info.synthetic and info.decimal == "." and info.disclosure_threshold is None


def test_a_full_declaration(tmp_path):
    toml = (
        'name = "york-2024"\nkind = "real"\ndescription = "York PDU case records"\n'
        'source = "HMIP case records"\nlicence = "internal"\ndecimal = ","\n'
        "disclosure_threshold = 10\n"
    )
    info, found = read(tmp_path / "york-2024", toml)
    assert found == [] and not info.synthetic
    assert info.as_dict() == {
        "name": "york-2024",
        "kind": "real",
        "description": "York PDU case records",
        "source": "HMIP case records",
        "licence": "internal",
        "decimal": ",",
        "disclosure_threshold": 10,
        "folder": "datasets/york-2024",
    }


def test_the_generators_mark_alone_declares_a_sample_synthetic(tmp_path):
    info, found = read(tmp_path / "sample", generator={"synthetic": True, "seed": 1})
    assert found == [] and info.kind == "synthetic" and info.folder == "datasets/sample"


@pytest.mark.parametrize(
    "generator", [None, {"synthetic": False}, {"synthetic": "yes"}], ids=["none", "false", "text"]
)
def test_without_a_declaration_nothing_is_read(tmp_path, generator):
    info, found = read(tmp_path / "york-2024", generator=generator)
    assert info is None
    assert [(p["file"], p["check"]) for p in found] == [
        ("datasets/york-2024/dataset.toml", "dataset_declared")
    ]
    assert "without it the build cannot tell real from synthetic data" in found[0]["expected"]


def test_invalid_toml_is_named_as_such(tmp_path):
    info, found = read(tmp_path / "york-2024", 'kind = "real\n')
    assert info is None and [p["check"] for p in found] == ["toml_syntax"]
    assert found[0]["expected"].startswith('valid TOML such as kind = "real"; the reader stopped')


def test_an_unknown_key_is_a_warning_with_the_key_meant(tmp_path):
    info, found = read(tmp_path / "york-2024", YORK + 'license = "OGL"\n')
    assert info is not None and info.licence == ""
    assert problems(found) == [("license", None, "dataset_key_known", "warning")]
    assert found[0]["expected"].endswith("'license' was ignored (did you mean 'licence'?)")


@pytest.mark.parametrize(
    ("extra", "column", "value", "check"),
    [
        ("disclosure_threshold = 2\n", "disclosure_threshold", "2", "dataset_value"),
        ("disclosure_threshold = true\n", "disclosure_threshold", "True", "dataset_value"),
        ('disclosure_threshold = "5"\n', "disclosure_threshold", "5", "dataset_value"),
        ("description = 7\n", "description", "7", "dataset_value"),
        ('name = "york"\n', "name", "york", "dataset_name"),
        ('decimal = ";"\n', "decimal", ";", "dataset_decimal"),
    ],
    ids=["threshold-low", "threshold-bool", "threshold-text", "not-text", "name", "decimal"],
)
def test_a_value_that_cannot_be_used_is_an_error(tmp_path, extra, column, value, check):
    info, found = read(tmp_path / "york-2024", 'kind = "real"\n' + extra)
    assert info is None
    assert problems(found) == [(column, value, check, "error")]


def test_the_lowest_disclosure_threshold_is_three(tmp_path):
    info, found = read(tmp_path / "york-2024", YORK + "disclosure_threshold = 3\n")
    assert found == [] and info.disclosure_threshold == 3
    _, low = read(tmp_path / "leeds-2024", YORK + "disclosure_threshold = 2\n")
    assert low[0]["expected"] == (
        "a whole number of cases of at least 3 (the default is 5): counts below it are "
        "suppressed in reports"
    )


@pytest.mark.parametrize(
    ("toml", "value", "expected"),
    [
        (
            'description = "York"\n',
            None,
            'kind = "real" or kind = "synthetic"; the kind is declared, never guessed',
        ),
        ('kind = "rael"\n', "rael", "'real' or 'synthetic'; did you mean 'real'?"),
    ],
    ids=["missing", "misspelt"],
)
def test_the_kind_must_be_declared_and_spelt_right(tmp_path, toml, value, expected):
    info, found = read(tmp_path / "york-2024", toml)
    assert info is None
    assert [(p["column"], p["value"], p["check"], p["expected"]) for p in found] == [
        ("kind", value, "dataset_kind", expected)
    ]


def test_real_beside_the_generators_mark_is_an_error(tmp_path):
    info, found = read(tmp_path / "synthetic", YORK, generator={"synthetic": True})
    assert info is None and problems(found) == [("kind", "real", "dataset_kind", "error")]
    assert "metadata.json in this folder says the files were simulated" in found[0]["expected"]


def test_discover_lists_the_embedded_sample_first_then_datasets_by_name(tmp_path):
    declare(tmp_path / "synthetic", 'kind = "synthetic"\n')
    declare(tmp_path / "datasets" / "york-2024", YORK)
    declare(tmp_path / "datasets" / "leeds_2023", YORK)
    declare(tmp_path / "datasets" / ".trash", "not toml at all")
    found, problems_ = discover(tmp_path)
    assert [(info.name, info.kind, folder) for info, folder in found] == [
        ("synthetic", "synthetic", tmp_path / "synthetic"),
        ("leeds_2023", "real", tmp_path / "datasets" / "leeds_2023"),
        ("york-2024", "real", tmp_path / "datasets" / "york-2024"),
    ]
    assert problems_ == []


def test_discover_reports_what_it_leaves_out(tmp_path):
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "units.csv").write_text("region\n", encoding="utf-8")
    declare(tmp_path / "datasets" / "York 2024", YORK)
    declare(tmp_path / "datasets" / "undeclared")
    declare(tmp_path / "datasets" / "synthetic", YORK)  # fine alone: no embedded sample here
    found, reported = discover(tmp_path)
    assert [info.name for info, _ in found] == ["synthetic"]
    assert [(p["file"], p["check"], p["severity"]) for p in reported] == [
        ("datasets/York 2024", "dataset_name", "error"),
        ("datasets/units.csv", "dataset_folder", "warning"),
        ("datasets/undeclared/dataset.toml", "dataset_declared", "error"),
    ]


def test_a_dataset_named_like_the_embedded_sample_is_refused(tmp_path):
    declare(tmp_path / "synthetic", generator={"synthetic": True})
    declare(tmp_path / "datasets" / "synthetic", YORK)
    found, reported = discover(tmp_path)
    assert [folder for _, folder in found] == [tmp_path / "synthetic"]
    assert [(p["file"], p["check"]) for p in reported] == [
        ("datasets/synthetic", "dataset_name_unique")
    ]
    assert reported[0]["expected"] == (
        "a dataset name not already used by synthetic; rename the folder"
    )


def test_an_empty_raw_folder_has_no_datasets(tmp_path):
    assert discover(tmp_path) == ([], [])
