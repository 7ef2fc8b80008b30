"""End to end, ``analysis.extract.extract_reports`` on the Inspectorate's real page openings
(../shared/pages): every page read as its index says.

``index.csv`` beside the pages says, for each file, the unit, kind, region, year and the
ratings the opening states, filled from the page alone. No page text is copied here: the test
reads the files where they are and skips, saying why, where they are absent.
"""

from __future__ import annotations

import pytest

from analysis.extract import extract_reports
from analysis.extract.identity import unit_key

from .conftest import PAGES


@pytest.fixture(scope="module")
def corpus(pages_index):
    result = extract_reports([PAGES], write=False, progress=False, jobs=1)
    return pages_index, result


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(";")] if text.strip() else []


def _reports_of(result, file: str):
    files = result.files.set_index("file")
    rid = files.loc[file, "report_id"]
    ids = rid.split("; ") if isinstance(rid, str) else []
    reports = result.reports.set_index("report_id")
    return [(rid, reports.loc[rid]) for rid in ids if rid in reports.index]


def _overall(result, rid: str) -> str:
    r = result.ratings
    got = r[(r["report_id"] == rid) & (r["standard"] == "overall")]["rating"]
    return got.iloc[0] if len(got) else ""


def test_every_page_gives_the_unit_kind_and_overall_rating_its_index_gives(corpus):
    index, result = corpus
    wrong = []
    right = 0
    for row in index:
        if row["kind"] == "other":
            continue
        units = _split(row["unit"])
        ratings = _split(row["overall_rating"]) or [""] * len(units)
        got = _reports_of(result, row["file"])
        seen = [(rep["unit"], rep["layout"], _overall(result, rid)) for rid, rep in got]
        wanted = list(zip(units, [row["kind"]] * len(units), ratings, strict=True))
        ok = len(seen) == len(wanted) and all(
            unit_key(s[0]) == unit_key(w[0]) and s[1] == w[1] and s[2] == w[2]
            for s, w in zip(seen, wanted, strict=True)
        )
        right += ok
        if not ok:
            wrong.append((row["file"], seen, wanted))
    assert wrong == []
    assert right == sum(r["kind"] != "other" for r in index) == 49


def test_a_rating_the_index_says_is_not_stated_gives_a_warning_not_a_value(corpus):
    index, result = corpus
    for row in index:
        if row["kind"] == "other" or row["overall_rating"]:
            continue
        for rid, _ in _reports_of(result, row["file"]):
            assert _overall(result, rid) == ""
            w = result.warnings[result.warnings["report_id"] == rid]["warning"]
            assert w.str.contains("overall rating not stated").any(), row["file"]


def test_no_two_distinct_reports_are_merged(corpus):
    index, result = corpus
    units = sum(len(_split(r["unit"])) for r in index if r["kind"] != "other")
    assert len(result.reports) == units == 51
    assert result.reports["report_id"].is_unique
    assert not result.files["status"].eq("duplicate").any()
    assert result.conflicts.empty and result.n_failed == 0


def test_every_other_page_is_recognised_as_not_an_inspection_report(corpus):
    index, result = corpus
    files = result.files.set_index("file")
    others = [r["file"] for r in index if r["kind"] == "other"]
    assert len(others) == 7
    for name in others:
        assert files.loc[name, "status"] == "skipped", name
        assert "not an inspection report" in files.loc[name, "message"]
    reporting = [r["file"] for r in index if r["kind"] != "other"]
    assert files.loc[reporting, "status"].eq("ok").all()


def test_a_year_or_region_read_never_contradicts_the_index(corpus):
    index, result = corpus
    checked = 0
    for row in index:
        for _, rep in _reports_of(result, row["file"]):
            date = rep["publication_date"]
            if row["year"] and isinstance(date, str):
                assert date[:4] == row["year"], row["file"]
                checked += 1
            region = rep["region"]
            if row["region"] and isinstance(region, str) and row["region"] != "national":
                assert unit_key(region).replace(",", "") == unit_key(row["region"]), row["file"]
                checked += 1
    assert checked >= 10


def test_ratings_scores_and_counts_stated_in_prose(corpus):
    _, result = corpus
    ratings = result.ratings.set_index(["source_file", "standard"])
    assert ratings.loc[("pdu-cwm-taf-morgannwg-2025-report.txt", "leadership"), "rating"] == "Good"
    nps = "region-south-west-nps-2021-press.txt"
    assert ratings.loc[(nps, "leadership"), "rating"] == "Good"
    assert ratings.loc[(nps, "victims"), "rating"] == "Outstanding"
    assert (ratings["read_as"].str.contains("prose")).all()

    figures = result.figures
    scores = figures[figures["measure_id"] == "score"].set_index("source_file")
    assert scores.loc[
        "pdu-staffordshire-stoke-2022-press.txt", ["value", "denominator"]
    ].tolist() == [2, 27]
    assert scores.loc["pdu-sheffield-2023-press.txt", "value"] == 1
    assert scores.loc["pdu-leicester-leicestershire-rutland-2023-press.txt", "value"] == 2
    trio = figures[figures["source_file"] == "pdu-london-trio-press.txt"]
    assert trio[trio["report_id"].str.startswith("hammersmith")]["value"].tolist() == [0]

    counts = figures[figures["measure_id"].str.startswith("standards-rated")].set_index(
        "source_file"
    )
    essex = counts.loc["pdu-essex-north-first-press.txt"]
    assert (essex["value"], essex["denominator"]) == (8, 9)
    cardiff = counts.loc["pdu-cardiff-vale-2025-report.txt"]
    assert (cardiff["value"], cardiff["denominator"]) == (4, 4)

    pct = figures[figures["measure_id"].str.startswith("prose-pct")].set_index("source_file")
    assert pct.loc["pdu-derbyshire-press.txt", "value"] == 34
    assert pct.loc["pdu-derbyshire-press.txt", "topic"] == "keeping_safe"


def test_earlier_and_other_units_ratings_are_not_read_as_the_units_own(corpus):
    _, result = corpus
    by_file = result.ratings[result.ratings["standard"] == "overall"].set_index("source_file")
    # last inspected in 2022 and rated 'Good' then; this report's own rating differs
    assert (
        by_file.loc["pdu-gateshead-south-tyneside-p4259-report.txt", "rating"]
        == "Requires improvement"
    )
    # the release names Portsmouth and the Isle of Wight's rating as another unit's
    assert by_file.loc["pdu-east-berkshire-2023-press.txt", "rating"] == "Inadequate"
    # "rated 'Good' and 'Requires improvement', respectively": no pairing, so no value
    w = result.warnings[result.warnings["file"] == "pdu-south-tyneside-gateshead-p1171-report.txt"]
    assert w["warning"].str.contains("respectively").any()
