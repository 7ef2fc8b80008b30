"""Paths and project-wide settings, all derived from the project root.

The project root is the folder holding ``pyproject.toml``. It is found from this file's
location (an editable install), and can be overridden with the ``ANALYSIS_PROJECT_ROOT``
environment variable, for example to point a notebook at a copy of the data.

>>> from analysis import config
>>> config.RAW_DIR.name
'raw'
"""

from __future__ import annotations

from pathlib import Path

from .settings import project_root_override

__all__ = [
    "VERSION",
    "PROJECT_ROOT",
    "DATA_DIR",
    "RAW_DIR",
    "PROCESSED_DIR",
    "SYNTHETIC_DIR",
    "DATASETS_DIR",
    "REPORTS_DIR",
    "NOTEBOOKS_DIR",
    "DOCS_DIR",
    "KERNEL_NAME",
    "SHARED_DIR",
    "project_root",
    "reference_list_path",
]

VERSION = "0.1.0"
"""The package version: its one home (``analysis.__version__`` and pyproject.toml read it)."""

KERNEL_NAME = "probation-analysis"
"""Name of the Jupyter kernel that ``make`` registers inside the project's virtual environment."""


def project_root() -> Path:
    """Return the project root: ``$ANALYSIS_PROJECT_ROOT`` if set, else the checkout holding this package."""
    override = project_root_override()
    if override is not None:
        return override
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd().resolve()


PROJECT_ROOT = project_root()
DATA_DIR = PROJECT_ROOT / "data"
RAW_DIR = DATA_DIR / "raw"
PROCESSED_DIR = DATA_DIR / "processed"
SYNTHETIC_DIR = RAW_DIR / "synthetic"
"""The embedded synthetic sample: a dataset declared ``kind = "synthetic"`` in its ``dataset.toml``."""
DATASETS_DIR = RAW_DIR / "datasets"
"""Users' own datasets, one folder each (``data/raw/datasets/<name>/`` with a ``dataset.toml``)."""
REPORTS_DIR = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DOCS_DIR = PROJECT_ROOT / "docs"
SHARED_DIR = PROJECT_ROOT.parent / "shared"
"""Reference material kept beside the project (seed publications); optional."""


def reference_list_path() -> Path:
    """The reference list of regions and PDUs: ``data/raw/reference/regions_pdus.csv``.

    Falls back to the shared copy beside the project (``../shared/data/regions_pdus.csv``) when
    the project's own copy is absent; the one place that path is built.
    """
    own = RAW_DIR / "reference" / "regions_pdus.csv"
    shared = SHARED_DIR / "data" / "regions_pdus.csv"
    return own if own.is_file() or not shared.is_file() else shared
