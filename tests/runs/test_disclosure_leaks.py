"""The leak test: real datasets of tiny PDUs through `analysis reports`, every output scanned.

Four PDUs of 1, 2, 3 and 4 cases (answers all yes, all no, mixed, mixed) and a fifth of 7
(all yes, every case with the outcome) in one real dataset, run through every notebook by the
runner, as a reader would get the result. The fifth PDU makes counts that are small only as
complements: 13 of the 17 cases have the outcome (4 do not) in the key-question tables, which
have no percentage column, and the quality band of the yes answers has 8 of 11 (72.7%, n = 11)
in a sentence. Every file a reader can open (each page's text and alt texts, the text drawn in
every figure, every CSV, the index) is scanned for a count from 1 to 4, a count whose
complement in its row is from 1 to 4, and sentences that give one away (``n = 4``, ``3 of
20``, ``17 of 20``, ``73% ... n = 11``); none may be found. A synthetic copy of the same cases
is run beside it and must show small counts, so the scan can tell suppression from absence.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis.data.build import build
from analysis.report.disclosure import count_columns
from analysis.runs import run_reports
from tests.data.helpers import YORK_DOMAIN_ONE, _csv, published_york

pytestmark = pytest.mark.slow

REGION = "Yorkshire and the Humber"
PDUS = [  # name, code, cases, answers, new offence ("alternate": every other case, from the first)
    ("Barnsley and Rotherham", "N55BAS", 1, "yes", "alternate"),
    ("Bradford and Calderdale", "N55BAC", 2, "no", "alternate"),
    ("Doncaster", "N55DNR", 3, "mixed", "alternate"),
    ("Kirklees", "N55KIR", 4, "mixed", "alternate"),
    ("Leeds", "N55LEE", 7, "yes", "all"),
]
SMALL_TEXT = [
    re.compile(r"\bn\s*=\s*[1-4]\b"),
    re.compile(r"\b[1-4]\s+(?:of|out of)\s+\d+\b"),
    re.compile(r"\b[1-4]\s+(?:cases?|people|answers?|judgements?)\b"),
]
_OF = re.compile(r"\b(\d+)\s+(?:of|out of)\s+(\d+)\b")
_N = re.compile(r"\b[nN]\s*=\s*(\d+)\b")
# a percentage, but not a confidence level ("95% interval" says nothing about the cases)
_PERCENT = re.compile(
    r"\b(\d+(?:\.\d+)?)\s*(?:%|per ?cent)(?!\s*(?:confidence\s+)?(?:interval|CI|credible)\b)"
)
_SENTENCE = re.compile(r"(?<=[.;:!?])\s+|\n")


def revealing(text: str) -> list[str]:
    """What in ``text`` gives a count of 1 to 4 only as a complement or through a percentage.

    ``17 of 20`` (3 are not); and in a sentence saying ``n = N``, a percentage ``p`` with
    ``p × N`` or ``N − p × N`` from 1 to 4 (``73% ... n = 11`` gives 8 of 11, so 3 are not).
    """
    found = []
    for sentence in _SENTENCE.split(text):
        found += [m.group(0) for m in _OF.finditer(sentence)
                  if 0 < int(m.group(2)) - int(m.group(1)) < 5]  # fmt: skip
        sizes = [int(m.group(1)) for m in _N.finditer(sentence)]
        for m in _PERCENT.finditer(sentence):
            for n in sizes:
                k = round(float(m.group(1)) * n / 100)
                if 0 < k < 5 or 0 < n - k < 5:
                    found.append(f"{m.group(0)} of n={n}: {sentence.strip()}")
    return found


def write_tiny(raw, name: str, kind: str):
    folder = raw / "datasets" / name
    folder.mkdir(parents=True)
    (folder / "dataset.toml").write_text(
        f'kind = "{kind}"\ndescription = "tiny PDUs"\nsource = "case records"\n', "utf-8"
    )
    kqs = list(published_york(raw))
    header = [
        "case_id", "inspection_id", "framework", "region", "region_code", "pdu", "pdu_code",
        "fieldwork_start", "sentence_type", "rosh", "gender", "age_band", "ethnicity_group",
        *kqs, "new_offence", "progress_offending_factors", "progress_risk_factors", "complied",
        "proven_reoffence_12m", "sentence_completed", "source",
    ]  # fmt: skip
    rows, units, ratings = [], [], []
    for pdu, code, n, how, offended in PDUS:
        for i in range(n):
            answer = {"yes": "yes", "no": "no"}.get(how) or ("yes" if i % 2 else "no")
            new_offence = offended == "all" or i % 2 == 0
            rows.append(
                [f"{name}-{code}-{i}", f"{name}-{code}-2024", "pdu-2023", REGION, "N55", pdu, code,
                 "2024-09-16", "community" if i % 2 else "licence", "medium",
                 "male" if i % 3 else "female", "25-34", "white", *[answer] * len(kqs),
                 str(new_offence), "True", str(i % 2 == 1), "True", "", "", "case records"]
            )  # fmt: skip
        units.append([REGION, "N55", pdu, code, "", "", "", "100", "case records"])
        ratings += [[REGION, pdu, s, r, "case records"] for s, r in YORK_DOMAIN_ONE.items()]
    _csv(folder / "cases.csv", header, rows)
    _csv(
        folder / "units.csv",
        ["region", "region_code", "pdu", "pdu_code", "staff_in_post_pct", "vacancy_rate",
         "workload_pct", "caseload", "source"],
        units,
    )  # fmt: skip
    _csv(folder / "unit_ratings.csv", ["region", "pdu", "standard", "rating", "source"], ratings)


class _Text(HTMLParser):
    """A page's visible text and its alt texts."""

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in ("alt", "aria-label", "title") and v]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style") and self._skip > 0

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def scan(folder) -> tuple[int, list[str]]:
    """(outputs scanned, leaks found) over every page and CSV under ``folder``."""
    scanned, leaks = 0, []
    for page in sorted(folder.rglob("*.html")):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        text = " ".join(parser.parts)
        scanned += 1
        for pattern in SMALL_TEXT:
            leaks += [f"{page.name}: {m.group(0)!r}" for m in pattern.finditer(text)]
        for part in parser.parts:  # each paragraph, list item and alt text on its own
            leaks += [f"{page.name}: {found!r}" for found in revealing(part)]
    for executed in sorted(folder.rglob("*.ipynb")):  # what each figure's picture says
        for cell in json.loads(executed.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                figure = output.get("metadata", {}).get("analysis/figure") or {}
                if "image/png" not in output.get("data", {}):
                    continue
                scanned += 1
                drawn = " | ".join(figure.get("texts") or [])
                if not figure.get("texts"):
                    leaks.append(f"{executed.name}: a figure whose drawn text is not recorded")
                for pattern in SMALL_TEXT:
                    leaks += [
                        f"{executed.name} figure: {m.group(0)!r}" for m in pattern.finditer(drawn)
                    ]
                for text in figure.get("texts") or []:
                    leaks += [f"{executed.name} figure: {found!r}" for found in revealing(text)]
    for table in sorted(folder.rglob("*.csv")):
        scanned += 1
        frame = pd.read_csv(table, dtype=str, keep_default_na=False)
        numbers = frame.apply(pd.to_numeric, errors="coerce")
        frame.attrs["dataset_kind"] = "real"
        probe = numbers.where(numbers.notna(), frame)
        counts = count_columns(probe.infer_objects())
        for column in counts:
            values = pd.to_numeric(frame[column], errors="coerce")
            small = values[(values > 0) & (values < 5)]
            leaks += [f"{table.name}: {column}={v:g}" for v in small]
        if counts:  # a count whose complement to its row's largest count is small
            values = frame[counts].apply(pd.to_numeric, errors="coerce")
            gaps = values.rsub(values.max(axis=1), axis=0)
            rows, columns = ((gaps > 0) & (gaps < 5)).to_numpy().nonzero()
            for position, column in zip(rows, columns, strict=True):
                leaks.append(
                    f"{table.name} row {position + 1}: {counts[column]}="
                    f"{values.iat[position, column]:g}, {gaps.iat[position, column]:g} below "
                    "the row's largest count"
                )
        with open(table, encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        if "dataset" not in header or "data_kind" not in header:
            leaks.append(f"{table.name}: no dataset/data_kind column")
    return scanned, leaks


def test_no_small_count_leaves_a_real_dataset_of_tiny_pdus(raw_copy, tmp_path):
    shutil.rmtree(raw_copy / "synthetic")
    write_tiny(raw_copy, "tiny-real", "real")
    write_tiny(raw_copy, "tiny-synthetic", "synthetic")
    processed = tmp_path / "processed"
    build(raw_dir=raw_copy, processed_dir=processed)
    reports = tmp_path / "reports"
    summary = run_reports(
        regions=["national", REGION],
        processed_dir=processed,
        reports_dir=reports,
        jobs=2,
        progress=False,
    )
    assert summary.n_failed == 0, [r.error for r in summary.failed]
    real_scanned, real_leaks = scan(reports / "tiny-real")
    index_scanned, index_leaks = scan_index(reports)
    print(f"scanned {real_scanned + index_scanned} outputs; leaks: {real_leaks + index_leaks}")
    assert real_scanned > 10
    assert real_leaks + index_leaks == []
    # the kernels' own control did everything: the export's second pass changed nothing
    # (so removing one suppression call in the helpers or plots shows here, not silently)
    guarded = []
    for log in sorted((reports / "_runs").glob("tiny-real__*.log")):
        lines = [x for x in log.read_text("utf-8").splitlines() if "control at export" in x]
        assert lines, f"{log.name}: the export's disclosure control did not run"
        guarded += [
            f"{log.name}: {x}"
            for x in lines
            if not re.search(
                r"'tables_reprotected': 0, 'figures_withheld': 0, 'texts_scrubbed': 0", x
            )
        ]
    assert guarded == []
    _, synthetic_leaks = scan(reports / "tiny-synthetic")
    assert synthetic_leaks, "the synthetic twin should show its small counts"
    # and the counts that are small only as complements, in tables and in sentences
    assert any("below the row's largest count" in leak for leak in synthetic_leaks)
    assert any(" of n=11: " in leak for leak in synthetic_leaks), synthetic_leaks
    assert not any("dataset/data_kind" in leak for leak in synthetic_leaks)
    for table in (reports / "tiny-synthetic").rglob("*.csv"):
        labels = pd.read_csv(table, dtype=str)[["dataset", "data_kind"]].drop_duplicates()
        expected = (
            [["published", "real"]]
            if "published" in set(labels["dataset"])
            else [["tiny-synthetic", "SYNTHETIC (simulated data, not real results)"]]
        )  # a table of published (real) ratings beside the sample names itself
        assert labels.to_numpy().tolist() == expected, (table, labels)
    for table in (reports / "tiny-real").rglob("*.csv"):
        labels = pd.read_csv(table, dtype=str)[["dataset", "data_kind"]].drop_duplicates()
        assert labels["data_kind"].tolist() == ["real"], table
        assert set(labels["dataset"]) <= {"tiny-real", "published"}, table


def scan_index(reports) -> tuple[int, list[str]]:
    parser = _Text()
    parser.feed((reports / "index.html").read_text(encoding="utf-8"))
    text = " ".join(parser.parts)
    real_part = text.split("Synthetic data")[0]
    leaks = [f"index: {m.group(0)!r}" for p in SMALL_TEXT for m in p.finditer(real_part)]
    return 1, leaks + [f"index: {found!r}" for found in revealing(real_part)]
