"""Report extraction benchmark: 100 reports, and the PDF library choice.

- `extract_reports()` on 100 files: the five seed publications, each ten times as text and ten
  times as a PDF made from that text (fpdf2, DejaVu Sans), into a temporary folder: wall time
  in one process and with the default worker processes, then peak Python memory (tracemalloc)
  in a separate one-process run. Target: under 20 s on this 2-core machine.
- pypdfium2 against pypdf and pdfplumber on the York PDU PDF: seconds to extract its text (best of 3) and
  how many of the values read from the original text the PDF text reproduces.

Needs the seeds beside the project (../shared/seeds, or ANALYSIS_SEEDS_DIR).
Run: .venv/bin/python benchmarks/bench_extract.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from analysis import config

sys.path.insert(0, str(config.PROJECT_ROOT))  # the tests' PDF maker, shared with the benchmark
from tests.extract.pdfs import make_pdf  # noqa: E402

SEEDS = Path(
    os.environ.get("ANALYSIS_SEEDS_DIR") or config.PROJECT_ROOT.parent / "shared" / "seeds"
)
_VALUES = {
    "ratings": ["standard", "rating", "score"],
    "key_questions": ["key_question", "pct_yes", "n"],
    "figures": ["measure_id", "value", "denominator"],
    "prompts": ["standard", "quantity_text", "n", "n_relevant", "direction"],
}


def _cpu() -> float:
    """CPU seconds of this process and its finished worker processes."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _values(result) -> set:
    out = set()
    for table, cols in _VALUES.items():
        for row in result.tables[table][cols].astype(str).itertuples(index=False):
            out.add((table, *row))
    return out


def compare_pdf_libraries(york_txt: Path, york_pdf: Path) -> None:
    import pdfplumber
    from pypdf import PdfReader

    from analysis.extract import extract_reports, readers

    def pypdf_pages(path):
        return [p.extract_text() or "" for p in PdfReader(path).pages]

    def pdfium_pages(path):
        import pypdfium2 as pdfium

        doc = pdfium.PdfDocument(path)
        try:
            return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        finally:
            doc.close()

    def plumber_pages(path):
        with pdfplumber.open(path) as pdf:
            return [p.extract_text() or "" for p in pdf.pages]

    truth = _values(extract_reports([york_txt], write=False, progress=False))
    original = readers.pdf_text
    for name, pages in (
        ("pypdfium2", pdfium_pages),
        ("pypdf", pypdf_pages),
        ("pdfplumber", plumber_pages),
    ):
        seconds = best_of(lambda pages=pages: pages(york_pdf))
        readers.pdf_text = lambda path, data, pages=pages: pages(path)
        try:
            got = _values(extract_reports([york_pdf], write=False, progress=False))
        finally:
            readers.pdf_text = original
        n_pages = len(pages(york_pdf))
        print(
            f"pdf_{name}: {seconds:.3f} s for {n_pages} pages; values reproduced "
            f"{len(truth & got)}/{len(truth)}, extra {len(got - truth)}"
        )


def main() -> None:
    if not SEEDS.is_dir():
        print(f"skipped: seeds not found at {SEEDS}")
        return
    from analysis.extract import extract_reports

    seeds = sorted(SEEDS.glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "in"
        src.mkdir()
        t0 = time.perf_counter()
        pdfs = [make_pdf(s.read_text(encoding="utf-8"), tmp / f"{s.stem}.pdf") for s in seeds]
        print(f"made {len(pdfs)} PDFs from the seed texts in {time.perf_counter() - t0:.1f} s")
        files = []
        for k in range(10):
            for s in seeds:
                files.append(shutil.copy(s, src / f"{s.stem}-{k}.txt"))
            for p in pdfs:
                files.append(shutil.copy(p, src / f"{p.stem}-{k}.pdf"))
        print(f"load_average_1min: {os.getloadavg()[0]:.1f} (2 cores; other work shares them)")
        for jobs in (1, None):
            start, cpu0 = time.perf_counter(), _cpu()
            result = extract_reports(files, out=tmp / "out", progress=False, jobs=jobs)
            seconds, cpu = time.perf_counter() - start, _cpu() - cpu0
            kinds = result.files.groupby("kind")["seconds"].sum()
            label = "1 process" if jobs == 1 else "default worker processes"
            print(
                f"extract_100 ({label}): {seconds:.2f} s for {len(files)} files "
                f"(CPU {cpu:.2f} s; {len(result.reports)} reports, "
                f"{int(result.files['status'].eq('duplicate').sum())} duplicates, "
                f"{result.n_failed} failed); target < 20 s; time inside the readers: text "
                f"{kinds.get('txt', 0):.2f} s, pdf {kinds.get('pdf', 0):.2f} s"
            )
        # memory in one process (tracemalloc sees only this process) and in a separate run:
        # tracemalloc slows allocation-heavy parsing several-fold
        tracemalloc.start()
        extract_reports(files, out=tmp / "out2", progress=False, jobs=1)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(
            f"extract_100_peak_memory: {peak:.0f} MiB (tracemalloc, Python allocations, 1 process)"
        )
        compare_pdf_libraries(SEEDS / "003_f44d0456c80d8b57.txt", tmp / "003_f44d0456c80d8b57.pdf")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
