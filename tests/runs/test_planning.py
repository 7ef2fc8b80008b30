"""analysis.runs.planning: which runs exist, which are due, and the hashes that decide it.

Outside reference: hashlib's SHA-256 of the files written here. The fixture notebooks under
tests/fixtures/notebooks are planned, never executed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest

from analysis import __version__, config
from analysis.exceptions import ParameterError
from analysis.runs import planning

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
OK, BAD = (str(FIXTURES / f"{n}.ipynb") for n in ("ok", "bad_params"))
REAL_SOURCE_HASH = planning._source_hash


def test_source_hash_changes_with_the_code(tmp_path):
    (tmp_path / "module.py").write_text("x = 1\n", "utf-8")
    before = REAL_SOURCE_HASH(tmp_path)
    assert REAL_SOURCE_HASH(tmp_path) == before
    (tmp_path / "module.py").write_text("x = 2\n", "utf-8")
    assert REAL_SOURCE_HASH(tmp_path) != before


def test_discovery_skips_interactive_notebooks_and_matches_prefixes(tmp_path):
    for name, batch in (("01-first", True), ("02-second", True), ("00-explore", False)):
        nb = json.loads(Path(OK).read_text("utf-8"))
        if not batch:
            nb["metadata"]["analysis"] = {"batch": False}
        (tmp_path / f"{name}.ipynb").write_text(json.dumps(nb), "utf-8")
    found = planning.discover_notebooks(notebooks_dir=tmp_path)
    assert [p.stem for p in found] == ["01-first", "02-second"]
    assert [p.stem for p in planning.discover_notebooks(["02"], tmp_path)] == ["02-second"]
    assert [p.stem for p in planning.discover_notebooks(["00-explore"], tmp_path)] == ["00-explore"]
    with pytest.raises(ParameterError, match="matches several notebooks"):
        planning.discover_notebooks(["0"], tmp_path)


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_data_hashes_cover_the_input_files_and_published_only_the_published_ones(
    tmp_path, monkeypatch
):
    processed, raw = tmp_path / "processed", tmp_path / "raw"
    cases = _write(processed / "cases.parquet", b"cases")
    reference = _write(processed / "reference.parquet", b"regions")
    for ignored in ("README.md", "manifest.json", ".hidden", "__pycache__/x.pyc"):
        _write(processed / ignored, b"not an input")
    published = _write(raw / "published" / "published_ratings.csv", b"ratings")
    synthetic = _write(raw / "synthetic" / "cases.csv", b"synthetic cases")
    _write(raw / ".cache" / "x", b"not an input")
    monkeypatch.setattr(config, "RAW_DIR", raw)

    def digest(path):
        return hashlib.sha256(path.read_bytes()).hexdigest()

    every = {str(p.resolve()): digest(p) for p in (cases, reference, published, synthetic)}
    assert planning.data_hashes(processed) == dict(sorted(every.items()))
    assert planning.data_hashes(processed, published_only=True) == {
        str(published.resolve()): digest(published),
        str(reference.resolve()): digest(reference),
    }


def test_code_version_adds_what_git_describes(monkeypatch):
    described = subprocess.CompletedProcess([], 0, stdout="v1.2-3-gabc123-dirty\n")
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: described)
    assert planning.code_version() == f"{__version__} (git v1.2-3-gabc123-dirty)"

    def no_git(*args, **kwargs):
        raise FileNotFoundError("git")

    monkeypatch.setattr(subprocess, "run", no_git)
    assert planning.code_version() == __version__


def test_regions_are_matched_once_each_and_all_of_them_by_default():
    _, regions = planning.resolve_selection(["wales", "WALES", "north east"], [OK])
    assert regions == ["Wales", "North East"]
    _, every = planning.resolve_selection(None, [OK])
    assert every[0] is None and len(every) == 13  # national and the twelve regions
    with pytest.raises(ParameterError, match="Whales") as info:
        planning.resolve_selection(["Whales", "Londn"], [OK])
    assert len(str(info.value).splitlines()) == 2  # both problems at once


def test_a_notebook_named_by_path_is_taken_and_a_name_that_matches_none_is_refused(tmp_path):
    assert planning.discover_notebooks([OK, OK]) == [Path(OK).resolve()]
    with pytest.raises(ParameterError, match="'zz' matches no notebook in"):
        planning.discover_notebooks(["zz"], FIXTURES)


@pytest.mark.usefixtures("stable_source_hash")
def test_a_run_never_run_is_due_and_refused_parameters_start_no_kernel(tmp_path, data_dir):
    ok, bad = planning.plan_runs(
        ["national"], [OK, BAD], processed_dir=data_dir, reports_dir=tmp_path
    )
    assert (ok.key, ok.folder, ok.action, ok.reason) == (
        "national__ok",
        "national",
        "run",
        "never run",
    )
    assert ok.parameters["region"] is None
    assert ok.parameters["processed_dir"] == str(data_dir.resolve())
    assert str((data_dir / "cases.parquet").resolve()) in ok.data_hashes
    assert ok.previous is None and ok.fingerprint and ok.kernel == config.KERNEL_NAME
    assert (bad.action, bad.reason) == ("invalid", "refused")
    assert "unknown parameter 'region'" in bad.error
    (forced,) = planning.plan_runs(
        ["national"], [OK], force=True, processed_dir=data_dir, reports_dir=tmp_path
    )
    assert (forced.action, forced.reason) == ("run", "forced")


@pytest.mark.usefixtures("stable_source_hash")
def test_a_published_data_notebook_is_real_and_depends_on_published_inputs_only(tmp_path, data_dir):
    nb = json.loads(Path(OK).read_text("utf-8"))
    nb["metadata"]["analysis"] = {"data": "published"}
    published_nb = tmp_path / "published.ipynb"
    published_nb.write_text(json.dumps(nb), "utf-8")
    (spec,) = planning.plan_runs(
        ["national"], [published_nb], processed_dir=data_dir, reports_dir=tmp_path
    )
    assert spec.dataset is None and spec.dataset_kind == "real"
    assert str((data_dir / "cases.parquet").resolve()) not in spec.data_hashes


def test_a_processed_folder_that_is_not_there_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="is not a folder"):
        planning.plan_runs(
            ["national"], [OK], processed_dir=tmp_path / "nowhere", reports_dir=tmp_path
        )
