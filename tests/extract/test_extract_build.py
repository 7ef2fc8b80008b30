"""analysis extract then analysis build: the seed reports' figures reach data/processed.

The extracted tables are validated and loaded by the build like any other raw input; a broken
extracted file stops the build with a message naming it, and nothing is written.
"""

from __future__ import annotations

import pytest

from analysis import data
from analysis.data.build import build
from analysis.exceptions import ValidationFailed
from analysis.extract import extract_reports
from tests.conftest import tree_digest


def test_extracted_seed_figures_are_built_into_processed(seeds, raw_copy, tmp_path):
    extract_reports(sorted(seeds.glob("*.txt")), out=raw_copy / "extracted", progress=False)
    report = build(raw_dir=raw_copy, processed_dir=tmp_path / "processed")
    assert report.rows["extracted_prompts"] >= 30
    assert report.rows["extracted_key_questions"] == 12  # York 2024, over 20 cases
    prompts = data.load_extracted("prompts", processed_dir=tmp_path / "processed")
    assert prompts.attrs["dataset_kind"] == "real"
    assert prompts["source_text"].str.len().gt(0).all()  # every value keeps its sentence
    ratings = data.load_extracted("ratings", processed_dir=tmp_path / "processed")
    overall = ratings[
        (ratings["standard"] == "overall") & ratings["report_id"].str.contains("york")
    ]
    assert overall["rating"].tolist() == ["Inadequate"] and overall["score"].tolist() == [3]
    assert not report.warnings["check"].eq("file_known").any()  # every extracted file is read


def test_a_broken_extracted_file_stops_the_build_and_names_it(seeds, raw_copy, tmp_path):
    out = raw_copy / "extracted"
    extract_reports(
        [seeds / next(p.name for p in seeds.glob("003_*.txt"))], out=out, progress=False
    )
    text = (out / "key_questions.csv").read_text(encoding="utf-8").splitlines()
    text[0] = text[0].replace("pct_yes", "percent")  # a column renamed by hand
    (out / "key_questions.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    processed = tmp_path / "processed"
    before = tree_digest(raw_copy)
    with pytest.raises(ValidationFailed) as err:
        build(raw_dir=raw_copy, processed_dir=processed)
    failures = err.value.failures
    assert "extracted/key_questions.csv" in set(failures["file"])
    assert failures.loc[failures["file"] == "extracted/key_questions.csv", "check"].tolist() == [
        "columns in order"
    ]
    assert tree_digest(raw_copy) == before and not processed.exists()


def test_extracted_real_pages_build_and_sit_beside_the_published_table(raw_copy, tmp_path):
    from analysis.extract import compare_published
    from tests.extract.conftest import PAGES

    if not (PAGES / "index.csv").is_file():
        pytest.skip(f"real page openings not found at {PAGES}")
    extract_reports([PAGES], out=raw_copy / "extracted", progress=False, jobs=1)
    processed = tmp_path / "processed"
    build(raw_dir=raw_copy, processed_dir=processed)
    reports = data.load_extracted("reports", processed_dir=processed)
    ratings = data.load_extracted("ratings", processed_dir=processed)
    assert len(reports) == 51
    published = data.load_published_ratings(processed_dir=processed)
    table = compare_published(reports, ratings, published)
    assert table["status"].eq("differs").sum() == 0
    assert table[table["item"] == "overall"]["status"].eq("agrees").sum() >= 30


def test_notebook_03_sets_the_extracted_pages_beside_the_published_table(raw_copy, tmp_path):
    """extract, build, then the published-data report: one line per extracted report."""
    import pandas as pd

    from tests.extract.conftest import PAGES
    from tests.runs.test_notebooks import REAL_ONLY, _run

    if not (PAGES / "index.csv").is_file():
        pytest.skip(f"real page openings not found at {PAGES}")
    extract_reports([PAGES], out=raw_copy / "extracted", progress=False, jobs=1)
    processed = tmp_path / "processed"
    build(raw_dir=raw_copy, processed_dir=processed)
    _, result = _run(REAL_ONLY, None, processed, tmp_path)
    tables = {p.stem: p for p in result.tables}
    beside = pd.read_csv(tables["extracted_beside_published"])
    assert len(beside) == 51 and beside["report_id"].is_unique
    assert beside["differs"].sum() == 0 and beside["agrees"].sum() >= 30
    html = result.html.read_text(encoding="utf-8")
    assert "51 reports read from the Inspectorate&#x27;s pages" in html or (
        "51 reports read from the Inspectorate's pages" in html
    )
