"""PDFs with a real text layer made from text (fpdf2): for the extraction tests and benchmark."""

from __future__ import annotations

from pathlib import Path


def make_pdf(text: str, path: Path, *, encrypt: bool = False) -> Path:
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
