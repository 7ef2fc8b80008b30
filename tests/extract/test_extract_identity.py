"""A report's identity is a key: two reports are never merged, and bad input stays with its file.

Every page here is written in the real site layout with invented units and our own words.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from analysis.cli import main
from analysis.extract import extract_reports, read_document
from analysis.extract.identity import read_title

from .conftest import YORK

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
WEB = (FIXTURES / "pdu-web.html").read_text(encoding="utf-8")
PRESS = (FIXTURES / "pdu-press.txt").read_text(encoding="utf-8")


def _extract(*paths, **kw):
    return extract_reports(list(paths), write=False, progress=False, jobs=1, **kw)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _overall(result) -> dict[str, str]:
    r = result.ratings
    return dict(r[r["standard"] == "overall"][["report_id", "rating"]].itertuples(index=False))


@pytest.mark.parametrize(
    "title, unit",
    [
        ("An inspection of probation services in North Testshire PDU", "North Testshire PDU"),
        ("An inspection of probation services in: North Testshire PDU", "North Testshire PDU"),
        ("An inspection of Probation Services – Testshire region", "Testshire region"),
        ("Dynamic Inspection of Public Protection in Testshire region", "Testshire region"),
    ],
)
def test_the_title_gives_the_unit_with_or_without_a_colon(tmp_path, title, unit):
    doc = read_document(
        _write(tmp_path / "page.txt", f"Skip to content\n\n{title}\n\nPublished:\n")
    )
    assert read_title(doc).unit == unit


def test_a_heading_word_is_never_a_unit_and_the_file_is_an_error_kept_apart(tmp_path):
    nameless = _write(
        tmp_path / "nameless.txt",
        "An inspection of probation services in\n\nPublished:\n\nForeword (Back to top)\n\n"
        "The region will be disappointed to be rated as 'Inadequate' overall.\n",
    )
    good = FIXTURES / "pdu-press.txt"
    result = _extract(nameless, good)
    files = result.files.set_index("file")
    assert files.loc["nameless.txt", "status"] == "error"
    assert (
        "nameless.txt: the report's identity cannot be read" in files.loc["nameless.txt", "message"]
    )
    assert files.loc["pdu-press.txt", "status"] == "ok"
    assert result.reports["unit"].tolist() == ["Testshire PDU"]
    assert result.exit_code == 1


def test_two_pdu_pages_without_a_colon_stay_two_pdu_reports(tmp_path):
    other = (
        WEB.replace("Testshire", "Otherton")
        .replace(
            "overall rating of &lsquo;Requires improvement&rsquo;",
            "overall rating of &lsquo;Inadequate&rsquo;",
        )
        .replace(
            "<tr><td>Overall rating</td><td>Requires improvement</td></tr>",
            "<tr><td>Overall rating</td><td>Inadequate</td></tr>",
        )
    )
    result = _extract(FIXTURES / "pdu-web.html", _write(tmp_path / "otherton.html", other))
    assert sorted(result.reports["unit"]) == ["Otherton PDU", "Testshire PDU"]
    assert set(result.reports["unit_type"]) == {"pdu"}
    assert not result.files["status"].eq("duplicate").any() and result.conflicts.empty
    assert _overall(result) == {
        "testshire-pdu-2025-05-14": "Requires improvement",
        "otherton-pdu-2025-05-14": "Inadequate",
    }
    assert result.exit_code == 0


def test_the_same_pdu_in_two_years_is_two_reports(tmp_path):
    earlier = PRESS.replace("14 May 2025", "10 June 2023")
    result = _extract(FIXTURES / "pdu-press.txt", _write(tmp_path / "testshire-2023.txt", earlier))
    assert sorted(result.reports["publication_date"]) == ["2023-06-10", "2025-05-14"]
    assert result.conflicts.empty


def test_undated_pages_of_one_unit_are_kept_apart_with_a_warning(tmp_path):
    a = PRESS.replace("Published:\n14 May 2025\n", "")
    b = a.replace("five points", "six points")
    result = _extract(_write(tmp_path / "a.txt", a), _write(tmp_path / "b.txt", b))
    assert len(result.reports) == 2 and result.reports["report_id"].is_unique
    assert result.conflicts.empty
    assert result.warnings["warning"].str.contains("publication date not stated").sum() == 2


def test_a_press_release_and_its_report_are_two_publications(tmp_path):
    result = _extract(FIXTURES / "pdu-web.html", FIXTURES / "pdu-press.txt")
    assert sorted(result.reports["layout"]) == ["pdu-press", "pdu-report"]
    assert result.conflicts.empty


def test_a_release_naming_several_units_gives_each_its_own_report(tmp_path):
    text = (
        "Three probation services rated ‘Inadequate’\n\n"
        "Probation Delivery Units (PDUs*) in three towns have each been rated ‘Inadequate’ "
        "following inspections by HM Inspectorate of Probation.\n\n"
        "Alphaton PDU, Betaville PDU and Gammaford and Delta PDU each received the lowest "
        "rating possible (‘Inadequate’).\n\n"
        "Alphaton PDU received one out of a possible 27 inspection points.\n"
    )
    result = _extract(_write(tmp_path / "trio.txt", text))
    assert sorted(result.reports["unit"]) == [
        "Alphaton PDU",
        "Betaville PDU",
        "Gammaford and Delta PDU",
    ]
    assert set(_overall(result).values()) == {"Inadequate"} and len(_overall(result)) == 3
    score = result.figures[result.figures["measure_id"] == "score"]
    assert score["report_id"].str.startswith("alphaton").tolist() == [True]


def test_ratings_respectively_or_of_other_units_or_earlier_are_not_this_units(tmp_path):
    result = _extract(FIXTURES / "pdu-press.txt")
    assert list(_overall(result).values()) == [
        "Requires improvement"
    ]  # not Sampleton's, not 2022's
    text = (
        "An inspection of probation services in Alphaton PDU\n\n"
        "Probation services in two towns have been rated ‘Good’ and ‘Inadequate’, "
        "respectively, following inspections.\n"
    )
    result = _extract(_write(tmp_path / "pair.txt", text))
    assert _overall(result) == {}
    assert result.warnings["warning"].str.contains("respectively").any()


def test_a_truncated_page_warns_that_the_rating_is_not_stated(tmp_path):
    cut = PRESS[: PRESS.index("has received")]
    result = _extract(_write(tmp_path / "cut.txt", cut + "Testshire is a PDU"))
    assert result.files["status"].tolist() == ["error"]  # no sentence names the unit
    result = _extract(
        _write(
            tmp_path / "title.txt",
            "An inspection of probation services in Testshire PDU\n\nForeword\n",
        )
    )
    assert _overall(result) == {}
    assert result.warnings["warning"].str.contains("overall rating not stated").any()


def test_a_page_of_another_inspectorate_is_an_error_for_that_file(tmp_path):
    prisons = _write(
        tmp_path / "prisons.txt",
        "HM Inspectorate of Prisons\n\nReport on an unannounced inspection of HMP Testshire\n\n"
        "Inspectors found the prison was not safe enough.\n",
    )
    result = _extract(prisons, FIXTURES / "pdu-press.txt")
    files = result.files.set_index("file")
    assert files.loc["prisons.txt", "status"] == "error"
    assert (
        "prisons.txt: not a recognised inspection report layout"
        in files.loc["prisons.txt", "message"]
    )
    assert files.loc["pdu-press.txt", "status"] == "ok"


def test_a_table_and_prose_that_disagree_are_a_conflict_and_exit_1(tmp_path, capsys):
    page = WEB.replace(
        "overall rating of &lsquo;Requires improvement&rsquo;",
        "overall rating of &lsquo;Inadequate&rsquo;",
    )
    path = _write(tmp_path / "testshire.html", page)
    result = _extract(path)
    c = result.conflicts
    assert c["item"].tolist() == ["overall (ratings table / text)"]
    assert (c["value_kept"].iloc[0], c["value_other"].iloc[0][:10]) == (
        "Requires improvement",
        "Inadequate",
    )
    assert result.exit_code == 1
    assert main(["extract", str(path), "--out", str(tmp_path / "o"), "--quiet"]) == 1
    assert "conflict: testshire-pdu-2025-05-14 ratings overall" in capsys.readouterr().out


def test_a_conflict_between_true_copies_is_listed_and_exit_1(seeds, tmp_path):
    text = YORK.read_text(encoding="utf-8")
    copy = _write(tmp_path / "york-copy.txt", text.replace("Score\t3/21", "Score\t5/21", 1))
    result = _extract(YORK, copy)
    assert result.files["status"].tolist() == ["ok", "duplicate"]
    assert len(result.reports) == 1 and result.exit_code == 1
    assert "conflict: york-pdu-2024-12" in repr(result)


@pytest.mark.parametrize(
    "change, why",
    [
        (
            lambda t: t.replace(
                "keeping other people safe?\t25%", "keeping other people safe?\t33%", 1
            ),
            "33%",
        ),
        (
            lambda t: t.replace(
                "Does assessment focus sufficiently on the factors linked to offending and desistance?\t80%\n",
                "",
                1,
            ),
            "missing",
        ),
    ],
)
def test_an_imperfect_report_fails_alone_and_the_others_are_written(seeds, tmp_path, change, why):
    bad = _write(tmp_path / "york-imperfect.txt", change(YORK.read_text(encoding="utf-8")))
    out = tmp_path / "out"
    result = extract_reports([bad, FIXTURES / "pdu-web.html"], out=out, progress=False, jobs=1)
    files = result.files.set_index("file")
    assert files.loc["york-imperfect.txt", "status"] == "error"
    assert files.loc["york-imperfect.txt", "message"].startswith(str(bad))
    assert why in files.loc["york-imperfect.txt", "message"]
    assert files.loc["pdu-web.html", "status"] == "ok"
    assert result.exit_code == 1 and (out / "reports.csv").is_file()
    assert set(result.rating_check["report_id"]) == {"testshire-pdu-2025-05-14"}


def test_a_key_question_table_printed_twice_is_read_once(seeds, tmp_path):
    lines = YORK.read_text(encoding="utf-8").split("\n")
    start = next(i for i, t in enumerate(lines) if t.startswith("Key question\tPercentage"))
    doubled = lines[: start + 4] + lines[start : start + 4] + lines[start + 4 :]
    result = _extract(_write(tmp_path / "york-twice.txt", "\n".join(doubled)))
    assert len(result.key_questions) == 12 and result.n_failed == 0
    assert result.warnings["warning"].str.contains("printed again").sum() == 3


def test_an_unclosed_script_does_not_drop_the_tables(tmp_path):
    page = WEB.replace('<script>var x = "Score 9/21";</script>', '<script>var x = "Score 9/21";')
    result = _extract(_write(tmp_path / "unclosed.html", page))
    assert len(result.ratings) == 8 and len(result.key_questions) == 6
    assert result.warnings["warning"].str.contains("unclosed <script>").any()


def test_one_stray_byte_does_not_lose_the_region(tmp_path):
    data = PRESS.encode("utf-8").replace(b"Leaders in Testshire", b"Leaders \xff in Testshire", 1)
    path = tmp_path / "stray.txt"
    path.write_bytes(data)
    result = _extract(path)
    assert result.reports["region"].tolist() == ["North East"]
    assert result.warnings["warning"].str.contains("not UTF-8").any()


def test_the_page_address_gives_the_date_where_the_text_does_not(tmp_path):
    page = WEB.replace("<dt>Published:</dt><dd>14 May 2025</dd>", "")
    result = _extract(_write(tmp_path / "addressed.html", page))
    assert result.reports["publication_date"].tolist() == ["2025"]


@pytest.mark.parametrize("filler", [" " * 200_000, "\t " * 100_000, "word " * 40_000])
def test_reading_is_linear_on_long_lines(seeds, tmp_path, filler):
    for source in (YORK, FIXTURES / "pdu-web.html", FIXTURES / "pdu-press.txt"):
        text = source.read_text(encoding="utf-8")
        cut = text.index("\n", len(text) // 3) + 1
        path = _write(tmp_path / f"long{source.suffix}", text[:cut] + filler + "\n" + text[cut:])
        start = time.perf_counter()
        result = _extract(path)
        # a backtracking pattern takes minutes here (50,000 spaces once took 37 s)
        assert time.perf_counter() - start < 20
        assert result.files["status"].tolist() == ["ok"]


def test_text_that_reaches_a_table_is_formula_escaped_and_read_back_as_written(tmp_path):
    from analysis.data.extracted import read_extracted

    hostile = PRESS.replace(
        "Testshire Probation Delivery Unit (PDU) has received",
        "=HYPERLINK(1) Testshire Probation Delivery Unit (PDU) has received",
    )
    raw = tmp_path / "raw"
    result = extract_reports(
        [_write(tmp_path / "hostile.txt", hostile)], out=raw / "extracted", progress=False
    )
    sentence = result.ratings["source_text"].iloc[0]
    assert sentence.startswith("=HYPERLINK(1)")
    written = (raw / "extracted" / "ratings.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in written and ",=HYPERLINK" not in written
    tables, _, problems = read_extracted(raw, set())
    assert problems == []
    assert tables["extracted_ratings"]["source_text"].iloc[0] == sentence


def test_a_pdf_dated_by_month_and_its_web_page_dated_by_day_are_one_report(seeds, tmp_path):
    text = YORK.read_text(encoding="utf-8")
    web_dated = text.replace(
        "HM Inspectorate of Probation, December 2024", "Published: 05 December 2024", 1
    )
    result = _extract(YORK, _write(tmp_path / "york-page.txt", web_dated))
    assert result.files["status"].tolist() == ["ok", "duplicate"] and len(result.reports) == 1
    assert result.conflicts.empty and result.exit_code == 0  # one date, two precisions
    assert result.warnings["warning"].str.contains("another precision").any()
    year_only = text.replace("HM Inspectorate of Probation, December 2024", "", 1)
    result = _extract(YORK, _write(tmp_path / "york-undated.txt", year_only))
    assert len(result.reports) == 2  # no date: kept apart, never merged


@pytest.mark.parametrize(
    "headline, what",
    [
        ("A thematic inspection of work with people who have committed domestic abuse", "thematic"),
        ("Annual report 2030: findings across probation", "annual report"),
        ("12 March 2030 - What we learned this year", "blog"),
        ("An effective practice guide to sentence planning", "guide"),
    ],
)
def test_pages_that_are_not_an_inspection_report_are_skipped_saying_what_they_are(
    tmp_path, headline, what
):
    page = f"Skip to content\n\n{headline}\n\nEvery PDU we inspected has been rated 'Inadequate'.\n"
    result = _extract(_write(tmp_path / "page.txt", page))
    assert result.files["status"].tolist() == ["skipped"]
    assert what in result.files["message"].iloc[0] and result.reports.empty
