"""Fixtures for the extraction tests: the seed publications and PDFs made from text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis import config

# The seeds sit beside the project (<root>/../shared/seeds); ANALYSIS_SEEDS_DIR overrides that
# for a checkout kept elsewhere.
SEEDS = Path(
    os.environ.get("ANALYSIS_SEEDS_DIR") or config.PROJECT_ROOT.parent / "shared" / "seeds"
)
YORK = SEEDS / "003_f44d0456c80d8b57.txt"


def _make_pdf(text: str, path: Path, *, encrypt: bool = False) -> Path:
    """Write ``text`` as a PDF with a real text layer (fpdf2, DejaVu Sans), one line per line.

    Tabs become four spaces (fpdf2 does not render tabs); long lines wrap as a PDF would.
    """
    import matplotlib
    from fpdf import FPDF

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(orientation="L", format="A3")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_font("DejaVu", size=9)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    for line in text.splitlines():
        if line.strip():
            pdf.multi_cell(width, 5, line.replace("\t", "    "), new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.ln(5)
    if encrypt:
        pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.output(str(path))
    return path


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
    return _make_pdf(YORK.read_text(encoding="utf-8"), out)


@pytest.fixture(scope="session")
def make_pdf():
    """``make_pdf(text, path, encrypt=False)``: a PDF with a real text layer made from text."""
    return _make_pdf
