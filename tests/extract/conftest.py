"""Fixtures for the extraction tests: the seed publications, the real page openings, hand-made
fixtures, documents made from text and PDFs made from text."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from analysis import config
from analysis.extract.readers import Document, read_document
from analysis.extract.run import extract_reports
from tests.extract.pdfs import make_pdf as pdf_from_text

# The seeds sit beside the project (<root>/../shared/seeds); ANALYSIS_SEEDS_DIR overrides that
# for a checkout kept elsewhere.
SEEDS = Path(
    os.environ.get("ANALYSIS_SEEDS_DIR") or config.PROJECT_ROOT.parent / "shared" / "seeds"
)
YORK = SEEDS / "003_f44d0456c80d8b57.txt"
# The real page openings and their index.csv (<root>/../shared/pages); ANALYSIS_PAGES_DIR
# overrides that.
PAGES = Path(
    os.environ.get("ANALYSIS_PAGES_DIR") or config.PROJECT_ROOT.parent / "shared" / "pages"
)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
"""Hand-made pages in the site's layouts, with invented units and figures."""


@pytest.fixture(scope="session")
def seeds() -> Path:
    """The seed publications beside the project, or skip with a clear message."""
    if not YORK.is_file():
        pytest.skip(
            f"seed publications not found at {SEEDS} (they sit beside the project; set ANALYSIS_SEEDS_DIR to point elsewhere)"
        )
    return SEEDS


@pytest.fixture(scope="session")
def pages_index() -> list[dict[str, str]]:
    """The rows of the real page openings' index.csv, or skip saying where they were looked for."""
    if not (PAGES / "index.csv").is_file():
        pytest.skip(
            f"real page openings not found at {PAGES} (they sit beside the project in "
            "../shared/pages; set ANALYSIS_PAGES_DIR to point elsewhere)"
        )
    with open(PAGES / "index.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def doc(tmp_path):
    """``doc(text, name="page.txt")``: the Document that read_document makes of ``text`` saved
    as a UTF-8 file of that name."""

    def make(text: str, name: str = "page.txt") -> Document:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return read_document(path)

    return make


@pytest.fixture(scope="session")
def york_pdf(seeds, tmp_path_factory) -> Path:
    """A PDF made from the York PDU 2024 report text."""
    out = tmp_path_factory.mktemp("pdf") / "york-2024.pdf"
    return pdf_from_text(YORK.read_text(encoding="utf-8"), out)


@pytest.fixture(scope="session")
def make_pdf():
    """``make_pdf(text, path, encrypt=False)``: a PDF with a real text layer made from text."""
    return pdf_from_text


def extract(*paths, **kw):
    """``extract_reports`` of ``paths`` in this process, without writing or a progress bar."""
    return extract_reports(list(paths), write=False, progress=False, jobs=1, **kw)


def write(path: Path, text: str) -> Path:
    """``text`` saved as UTF-8 at ``path``; the path."""
    path.write_text(text, encoding="utf-8")
    return path


def overall_by_report(result) -> dict[str, str]:
    """The overall rating of each report of an extraction result, by report id."""
    r = result.ratings
    return dict(r[r["standard"] == "overall"][["report_id", "rating"]].itertuples(index=False))
