"""Typed notebook parameters: read from the tagged cell, refused before any kernel starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analysis.exceptions import ParameterError
from analysis.runs import parameters

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
OK = FIXTURES / "ok.ipynb"


def write_notebook(path: Path, parameters_source: str, tagged: bool = True) -> Path:
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "id": "params",
        "metadata": {"tags": ["parameters"] if tagged else []},
        "outputs": [],
        "source": parameters_source,
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_reads_names_defaults_and_types_from_the_tagged_cell():
    specs = parameters.notebook_parameters(OK)
    assert list(specs) == ["region", "framework", "processed_dir", "repeat"]
    assert specs["region"].default is None and specs["region"].type_name == "str | None"
    assert specs["framework"].default == "pdu-2023" and specs["framework"].type_name == "str"
    assert specs["repeat"].default == 2 and specs["repeat"].type_name == "int"


def test_agrees_with_papermill_inspect_notebook():
    # outside reference: papermill's own reading of the same parameters cell
    import papermill

    theirs = papermill.inspect_notebook(str(OK))
    ours = parameters.notebook_parameters(OK)
    assert list(theirs) == list(ours)
    for name, spec in ours.items():
        assert eval(theirs[name]["default"]) == spec.default  # noqa: S307 - papermill gives a literal


def test_types_come_from_annotations_then_defaults(tmp_path):
    nb = write_notebook(
        tmp_path / "typed.ipynb",
        "threshold = 0.5\nlabel = 'x'\nflag = False\nlimit: int | None = None\nanything = None\n"
        "names = ['a']\nfrom_optional: Optional[float] = None\n",
    )
    specs = parameters.notebook_parameters(nb)
    assert {n: s.type_name for n, s in specs.items()} == {
        "threshold": "float",
        "label": "str",
        "flag": "bool",
        "limit": "int | None",
        "anything": "any",
        "names": "list",
        "from_optional": "float | None",
    }
    ok = parameters.validate_parameters(
        nb,
        {"threshold": 1, "limit": None, "anything": {"a": 1}, "names": ("b",), "from_optional": 2},
    )
    assert ok == {
        "threshold": 1,
        "limit": None,
        "anything": {"a": 1},
        "names": ["b"],
        "from_optional": 2,
    }


def test_unknown_names_are_refused_with_a_suggestion():
    with pytest.raises(ParameterError) as info:
        parameters.validate_parameters(OK, {"regoin": "Wales"})
    message = str(info.value)
    assert "ok.ipynb" in message
    assert "unknown parameter 'regoin'" in message
    assert "Did you mean 'region'?" in message


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("repeat", "3", "must be int, not str '3'"),
        ("repeat", True, "must be int, not bool True"),
        ("repeat", 2.5, "must be int, not float 2.5"),
        ("region", 3, "must be str | None, not int 3"),
        ("framework", None, "must be str, not NoneType None"),
    ],
)
def test_wrong_types_are_refused(name, value, expected):
    with pytest.raises(
        ParameterError, match="parameter '" + name + "' " + expected.replace("|", r"\|")
    ):
        parameters.validate_parameters(OK, {name: value})


def test_every_problem_is_reported_at_once():
    with pytest.raises(ParameterError) as info:
        parameters.validate_parameters(OK, {"repeat": "x", "colour": 1, "region": "Atlantis"})
    lines = str(info.value).splitlines()
    assert len(lines) == 3
    assert any("'colour'" in line for line in lines)
    assert any("Unknown region 'Atlantis'" in line for line in lines)


def test_region_is_matched_case_insensitively_and_national_means_none():
    assert parameters.validate_parameters(OK, {"region": "  yorkshire AND the   humber"}) == {
        "region": "Yorkshire and the Humber"
    }
    assert parameters.validate_parameters(OK, {"region": "National"}) == {"region": None}
    assert parameters.validate_parameters(OK, {"region": None}) == {"region": None}


def test_unknown_region_suggests_the_closest():
    with pytest.raises(ParameterError, match="Unknown region 'Lundon'. Did you mean 'London'?"):
        parameters.validate_parameters(OK, {"region": "Lundon"})


def test_known_regions_are_the_twelve_of_the_reference_list():
    regions = parameters.known_regions()
    assert len(regions) == 12
    assert "Kent, Surrey and Sussex" in regions and "Wales" in regions
    slugs = [parameters.region_slug(r) for r in regions]
    assert len(set(slugs)) == 12
    assert all(s and s == s.lower() and " " not in s and "," not in s for s in slugs)
    assert parameters.region_slug("Yorkshire and the Humber") == "yorkshire-and-the-humber"


def test_framework_must_be_registered():
    assert parameters.validate_parameters(OK, {"framework": "PDU-2023"}) == {
        "framework": "pdu-2023"
    }
    with pytest.raises(
        ParameterError, match="Unknown framework 'pdu-2032'. Did you mean 'pdu-2023'?"
    ):
        parameters.validate_parameters(OK, {"framework": "pdu-2032"})


def test_processed_dir_becomes_an_absolute_folder(tmp_path):
    assert parameters.validate_parameters(OK, {"processed_dir": tmp_path}) == {
        "processed_dir": str(tmp_path.resolve())
    }
    with pytest.raises(ParameterError, match="is not a folder"):
        parameters.validate_parameters(OK, {"processed_dir": str(tmp_path / "missing")})


def test_a_notebook_without_a_parameters_cell_has_none(tmp_path):
    nb = write_notebook(tmp_path / "plain.ipynb", "region = None", tagged=False)
    assert parameters.notebook_parameters(nb) == {}
    with pytest.raises(ParameterError, match="no cell tagged 'parameters'"):
        parameters.validate_parameters(nb, {"region": "Wales"})


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("region = get_region()", "must be a literal"),
        ("import os", "not a simple 'name = literal' assignment"),
        ("region = (", "not valid Python"),
        ("a, b = 1, 2", "assign to one plain name"),
        ("x: numpy.ndarray = None", "annotation 'numpy.ndarray' is not supported"),
    ],
)
def test_a_malformed_parameters_cell_is_named(tmp_path, source, expected):
    nb = write_notebook(tmp_path / "bad.ipynb", source)
    with pytest.raises(ParameterError, match=expected) as info:
        parameters.notebook_parameters(nb)
    assert "bad.ipynb" in str(info.value)


def test_a_missing_or_broken_notebook_file_is_a_parameter_error(tmp_path):
    with pytest.raises(ParameterError, match="does not exist"):
        parameters.notebook_parameters(tmp_path / "missing.ipynb")
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    with pytest.raises(ParameterError, match="cannot be read as JSON"):
        parameters.notebook_parameters(tmp_path / "broken.ipynb")
