"""Fixtures for the extraction tests: the seed publications and PDFs made from text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis import config
from tests.extract.pdfs import make_pdf as pdf_from_text

# The seeds sit beside the project (<root>/../shared/seeds); ANALYSIS_SEEDS_DIR overrides that
# for a checkout kept elsewhere.
SEEDS = Path(
    os.environ.get("ANALYSIS_SEEDS_DIR") or config.PROJECT_ROOT.parent / "shared" / "seeds"
)
YORK = SEEDS / "003_f44d0456c80d8b57.txt"


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The seed publications beside the project, or skip with a clear message."""
    if not YORK.is_file():
        pytest.skip(
            f"seed publications not found at {SEEDS} (they sit beside the project; set ANALYSIS_SEEDS_DIR to point elsewhere)"
        )
    return SEEDS


@pytest.fixture(scope="session")
def york_pdf(seeds, tmp_path_factory) -> Path:
    """A PDF made from the York PDU 2024 report text."""
    out = tmp_path_factory.mktemp("pdf") / "york-2024.pdf"
    return pdf_from_text(YORK.read_text(encoding="utf-8"), out)


@pytest.fixture(scope="session")
def make_pdf():
    """``make_pdf(text, path, encrypt=False)``: a PDF with a real text layer made from text."""
    return pdf_from_text
