"""End to end, ``analysis.extract.extract_reports`` on the seed publications, checked against
the figures transcribed by hand.

The hand transcriptions in data/raw/published/ were made from the same seeds before this
extractor existed; they are the outside reference here. Every row whose source is a seed must
be reproduced value by value.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import config
from analysis.extract import extract_reports

YORK = "003_f44d0456c80d8b57.txt"
YNY_2013 = "002_4a8cea8de56e8ecf.txt"
SPOTLIGHT_YH = "000_ab449c958aec2f90.txt"
SPOTLIGHT_NE = "001_a4b78a2d4d80419d.txt"
GUIDE = "004_bff390554d827577.txt"
PUBLISHED = config.RAW_DIR / "published"
REPORT_OF_PREFIX = {
    "york24": "york-pdu-2024-12",
    "yh24": "yorkshire-and-the-humber-region-2024-07-01",
    "ne25": "north-east-region-2025",
    "yny13": "york-and-north-yorkshire-probation-trust-2014-02",
}

SEED_PUBLICATIONS = {
    "An inspection of probation services in: York PDU",
    "Effective Practice Spotlight: The Probation Service - Yorkshire and the Humber Region",
    "Effective Practice Spotlight: The Probation Service - North East region",
    "Inspection of Adult Offending Work: York and North Yorkshire Probation Trust",
}


@pytest.fixture(scope="module")
def result(seeds, tmp_path_factory):
    out = tmp_path_factory.mktemp("extracted")
    return extract_reports(sorted(seeds.glob("*.txt")), out=out, progress=False)


def _figures(result, report_id):
    f = result.figures
    return f[f["report_id"] == report_id].set_index("measure_id")


def test_every_seed_is_read_or_skipped_with_a_reason(result):
    files = result.files.set_index("file")
    assert files.loc[YORK, "layout"] == "pdu-report"
    assert files.loc[YNY_2013, "layout"] == "adult-2013"
    assert files.loc[SPOTLIGHT_YH, "layout"] == "spotlight"
    assert files.loc[SPOTLIGHT_NE, "layout"] == "spotlight"
    assert files.loc[GUIDE, "status"] == "skipped"
    assert "practice guide" in files.loc[GUIDE, "message"]
    assert result.n_failed == 0


def test_york_ratings_score_and_departure(result):
    r = result.ratings[result.ratings["report_id"] == "york-pdu-2024-12"].set_index("standard")
    assert r["rating"].to_dict() == {
        "overall": "Inadequate",
        "leadership": "Requires improvement",
        "staffing": "Requires improvement",
        "services": "Requires improvement",
        "assessment": "Inadequate",
        "planning": "Inadequate",
        "implementation_and_delivery": "Inadequate",
        "reviewing": "Inadequate",
    }
    assert (r.loc["overall", "score"], r.loc["overall", "max_score"]) == (3, 21)
    assert r.loc["leadership", "rule_rating"] == "Inadequate"
    assert "would normally indicate" in r.loc["leadership", "departure_text"]
    assert r["rule_rating"].drop("leadership").isna().all()
    # every value keeps its line and how it was read
    assert r.loc["overall", "location"].startswith("line ")
    assert r.loc["planning", "source_text"].startswith("P 2.2")


def test_york_key_questions_twelve_percentages_over_20_cases(result):
    kq = result.key_questions.set_index("key_question")
    assert len(kq) == 12 and (kq["n"] == 20).all()
    assert kq.loc["assessment_keeping_safe", "pct_yes"] == 25
    assert kq.loc["implementation_and_delivery_desistance", "pct_yes"] == 30


def test_york_sample_and_outcomes(result):
    f = _figures(result, "york-pdu-2024-12")
    assert f.loc["community", "value"] == 12 and f.loc["licence", "value"] == 8
    assert f.loc["licence", "in_words"]
    assert (f.loc["charged", "value"], f.loc["convicted", "value"]) == (3, 6)
    assert (
        f.loc["charged-or-convicted", "value"],
        f.loc["charged-or-convicted", "denominator"],
    ) == (8, 20)
    york_warnings = result.warnings[result.warnings["report_id"] == "york-pdu-2024-12"]
    assert (
        york_warnings["warning"].str.contains("8 published, but 3 charged + 6", regex=False).all()
    )
    rep = result.reports.set_index("report_id").loc["york-pdu-2024-12"]
    assert (rep["cases"], rep["cases_community"], rep["cases_licence"]) == (20, 12, 8)
    assert rep["fieldwork_start"] == "2024-09-16" and rep["publication_date"] == "2024-12"
    assert rep["region"] == "Yorkshire and the Humber"
    assert len(rep["sha256"]) == 64


def test_york_has_at_least_30_prompt_level_results(result):
    p = result.prompts[result.prompts["report_id"] == "york-pdu-2024-12"]
    assert len(p) >= 30
    assert set(p["standard"]) == {
        "assessment",
        "planning",
        "implementation_and_delivery",
        "reviewing",
    }
    row = p[p["quantity_text"] == "eight out of 15"].iloc[0]
    assert (row["n"], row["n_relevant"], row["direction"]) == (8, 15, "deficient")
    assert row["standard"] == "reviewing" and row["in_words"]
    approx = p[p["quantity_text"] == "just over two-thirds"].iloc[0]
    assert approx["approximate"] and approx["bound"] == "lower"
    quarter = p[p["quantity_text"] == "a quarter"].iloc[0]
    assert quarter["pct"] == 25 and "risk of serious harm" in quarter["prompt"]
    # the key-question table lines are not counted again as prompts
    assert not p["prompt"].str.contains(r"\?\t", regex=True).any()


def test_york_extracted_ratings_agree_with_published_and_list_the_departure(result):
    check = result.rating_check.set_index("standard")
    for standard in ("assessment", "planning", "implementation_and_delivery", "reviewing"):
        assert check.loc[standard, "computed_rating"] == "Inadequate"
        assert check.loc[standard, "agrees"]
    assert check.loc["overall", "computed_rating"] == "Inadequate"
    assert check.loc["leadership", "rule_rating"] == "Inadequate"
    assert "departure" in check.loc["leadership", "note"]


def test_2013_section_scores_and_factor_table(result):
    f = _figures(result, "york-and-north-yorkshire-probation-trust-2014-02")
    scores = f[f["topic"] == "section_scores"]["value"].to_dict()
    assert scores == {
        "assisting-sentencing": 82,
        "delivering-sentence": 85,
        "reducing-reoffending": 82,
        "protecting-public": 80,
        "victims": 86,
    }
    assert f.loc["factor-accommodation-cases", "value"] == 14
    assert f.loc["factor-accommodation-progress", "value"] == 71
    assert f.loc["no-further-offence", "approximate"]
    assert f.loc["no-further-offence", "bound"] == "lower"


def test_spotlight_samples_and_the_north_east_sum_is_warned(result):
    yh = _figures(result, "yorkshire-and-the-humber-region-2024-07-01")["value"]
    assert (yh["cases"], yh["community"], yh["licence"]) == (546, 327, 219)
    ne = _figures(result, "north-east-region-2025")["value"]
    assert (ne["cases"], ne["community"], ne["licence"]) == (292, 185, 109)
    warnings = result.warnings[result.warnings["report_id"] == "north-east-region-2025"]
    assert (
        warnings["warning"]
        .str.contains("292 published, but 185 community + 109", regex=False)
        .any()
    )
    yh_warn = result.warnings[result.warnings["report_id"].str.startswith("yorkshire")]
    assert not yh_warn["warning"].str.contains("published, but").any()


def test_every_seed_figure_in_published_is_reproduced_value_by_value(result):
    published = pd.read_csv(PUBLISHED / "figures.csv")
    seed = published["publication"].isin(SEED_PUBLICATIONS)
    # figures from other publications were read off the published pages, so each names its
    # address; every figure of a seed publication must come back from the seed's text
    assert published.loc[~seed, "address"].str.startswith("https://").all()
    assert published.loc[~seed, "address"].notna().all()
    published = published[seed]
    compared = 0
    for row in published.itertuples(index=False):
        prefix, measure = row.figure_id.split("-", 1)
        report_id = REPORT_OF_PREFIX[prefix]
        f = _figures(result, report_id)
        assert measure in f.index, f"{row.figure_id} not extracted"
        got = f.loc[measure]
        assert math.isclose(got["value"], row.value), (row.figure_id, got["value"], row.value)
        if not pd.isna(got["denominator"]) and not pd.isna(row.denominator):
            assert math.isclose(got["denominator"], row.denominator), row.figure_id
        compared += 1
    assert compared == len(published) == 64


def test_key_questions_and_2013_factors_match_published_tables(result):
    kq = pd.read_csv(PUBLISHED / "key_questions.csv").set_index("key_question")
    got = result.key_questions.set_index("key_question")
    assert (got.loc[kq.index, "pct_yes"].to_numpy() == kq["pct_yes"].to_numpy()).all()
    assert (got.loc[kq.index, "n"].to_numpy() == kq["n"].to_numpy()).all()
    # the hand-entered n_yes (from sentences in the report) agree with pct x n
    stated = kq.dropna(subset=["n_yes"])
    assert (stated["pct_yes"] * stated["n"] / 100 == stated["n_yes"]).all()

    factors = pd.read_csv(PUBLISHED / "offending_factors_2013.csv")
    f = _figures(result, "york-and-north-yorkshire-probation-trust-2014-02")["value"]
    for row in factors.itertuples(index=False):
        slug = row.factor.lower().replace(" ", "-")
        assert f[f"factor-{slug}-cases"] == row.n_cases
        assert f[f"factor-{slug}-interventions"] == row.pct_interventions_sufficient
        assert f[f"factor-{slug}-progress"] == row.pct_progress_sufficient


def test_york_ratings_match_the_published_ratings_row(result):
    pub = pd.read_csv(PUBLISHED / "published_ratings.csv")
    york = pub[(pub["unit"] == "York PDU") & (pub["report_year"] == 2024)].iloc[0]
    r = result.ratings.set_index("standard")["rating"]
    assert r["overall"] == york["overall_rating"]
    for standard in ("leadership", "staffing", "services", "assessment", "planning"):
        assert r[standard] == york[standard]
    overall = result.ratings.set_index("standard").loc["overall"]
    assert f"{overall['score']}/{overall['max_score']}" == york["score"]


def test_written_tables_read_back_valid(result):
    from analysis.extract import TABLES, validate_table

    for name in TABLES:
        frame = pd.read_csv(result.out_dir / f"{name}.csv", dtype=str, keep_default_na=False)
        frame = frame.replace("", None)
        validate_table(name, frame)
    report = (result.out_dir / "extraction-report.md").read_text()
    assert "004_bff390554d827577.txt" in report and "292 published" in report
