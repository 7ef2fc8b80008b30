"""analysis.config: the project root, the paths derived from it, the version and the reference list."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import analysis
from analysis import config
from analysis.settings import PROJECT_ROOT_ENV

CHECKOUT = Path(__file__).resolve().parents[1]


def test_the_project_root_is_the_checkout_holding_pyproject(monkeypatch):
    monkeypatch.delenv(PROJECT_ROOT_ENV, raising=False)
    assert config.project_root() == CHECKOUT
    assert (CHECKOUT / "pyproject.toml").is_file()


def test_the_project_root_can_be_pointed_at_a_copy(monkeypatch, tmp_path):
    monkeypatch.setenv(PROJECT_ROOT_ENV, str(tmp_path / "copy"))
    assert config.project_root() == (tmp_path / "copy").resolve()


def test_every_path_is_derived_from_the_root():
    """The layout of docs/data.md and data/raw/README.md: data/raw, data/processed, ..."""
    root = config.PROJECT_ROOT
    assert {
        "DATA_DIR": config.DATA_DIR.relative_to(root),
        "RAW_DIR": config.RAW_DIR.relative_to(root),
        "PROCESSED_DIR": config.PROCESSED_DIR.relative_to(root),
        "SYNTHETIC_DIR": config.SYNTHETIC_DIR.relative_to(root),
        "DATASETS_DIR": config.DATASETS_DIR.relative_to(root),
        "REPORTS_DIR": config.REPORTS_DIR.relative_to(root),
        "NOTEBOOKS_DIR": config.NOTEBOOKS_DIR.relative_to(root),
        "DOCS_DIR": config.DOCS_DIR.relative_to(root),
    } == {
        "DATA_DIR": Path("data"),
        "RAW_DIR": Path("data/raw"),
        "PROCESSED_DIR": Path("data/processed"),
        "SYNTHETIC_DIR": Path("data/raw/synthetic"),
        "DATASETS_DIR": Path("data/raw/datasets"),
        "REPORTS_DIR": Path("reports"),
        "NOTEBOOKS_DIR": Path("notebooks"),
        "DOCS_DIR": Path("docs"),
    }
    assert config.SHARED_DIR == root.parent / "shared"


def test_the_reference_list_is_the_projects_own_copy():
    assert config.reference_list_path() == CHECKOUT / "data/raw/reference/regions_pdus.csv"


def _shared_list(tmp_path: Path) -> Path:
    shared = tmp_path / "shared"
    (shared / "data").mkdir(parents=True)
    (shared / "data" / "regions_pdus.csv").write_text("region,pdu\n", encoding="utf-8")
    return shared


def test_the_shared_reference_list_is_used_when_the_own_copy_is_absent(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(config, "SHARED_DIR", _shared_list(tmp_path))
    assert config.reference_list_path() == tmp_path / "shared/data/regions_pdus.csv"


def test_the_own_reference_list_wins_over_the_shared_one(monkeypatch, tmp_path):
    own = tmp_path / "raw" / "reference" / "regions_pdus.csv"
    own.parent.mkdir(parents=True)
    own.write_text("region,pdu\n", encoding="utf-8")
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(config, "SHARED_DIR", _shared_list(tmp_path))
    assert config.reference_list_path() == own


def test_with_neither_list_the_own_path_is_named(monkeypatch, tmp_path):
    """So that the message a reader gets names the file to restore."""
    monkeypatch.setattr(config, "RAW_DIR", tmp_path / "raw")
    monkeypatch.setattr(config, "SHARED_DIR", tmp_path / "shared")
    assert config.reference_list_path() == tmp_path / "raw/reference/regions_pdus.csv"


def test_the_version_has_one_home():
    pyproject = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "analysis.config.VERSION"
    }
    assert analysis.__version__ == config.VERSION
    assert re.fullmatch(r"\d+\.\d+\.\d+", config.VERSION)


def test_the_kernel_name_is_the_one_make_registers():
    makefile = (CHECKOUT / "Makefile").read_text(encoding="utf-8")
    assert f"KERNEL := {config.KERNEL_NAME}\n" in makefile
