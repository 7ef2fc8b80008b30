"""analysis.extract.prose: ratings, scores, counts of standards and percentages stated in
sentences, and what is not read as the unit's own (earlier ratings, other units', ratings given
"respectively")."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.extract.prose import (
    MAX_SENTENCE,
    Sentence,
    count_statements,
    is_other_or_earlier,
    overall_statements,
    percent_statements,
    score_statements,
    sentences,
    standard_statements,
)

from .conftest import FIXTURES, extract, overall_by_report


def _one(text: str) -> list[Sentence]:
    return [Sentence(text, 0)]


def test_ratings_respectively_or_of_other_units_or_earlier_are_not_this_units(tmp_path):
    result = extract(FIXTURES / "pdu-press.txt")
    assert list(overall_by_report(result).values()) == [
        "Requires improvement"
    ]  # not Sampleton's, not 2022's
    text = (
        "An inspection of probation services in Alphaton PDU\n\n"
        "Probation services in two towns have been rated ‘Good’ and ‘Inadequate’, "
        "respectively, following inspections.\n"
    )
    path = Path(tmp_path / "pair.txt")
    path.write_text(text, encoding="utf-8")
    result = extract(path)
    assert overall_by_report(result) == {}
    assert result.warnings["warning"].str.contains("respectively").any()


def test_sentences_split_a_line_and_never_join_lines():
    lines = ("First one.  Second ‘one’ here! third stays", "", "next line", "Is it? “Yes.”")
    assert list(sentences(lines)) == [
        Sentence("First one.", 0),
        Sentence("Second ‘one’ here! third stays", 0),
        Sentence("next line", 2),
        Sentence("Is it?", 3),
        Sentence("“Yes.”", 3),
    ]
    assert [s.line for s in sentences(lines, start=2, stop=3)] == [2]


def test_a_sentence_is_capped():
    (long,) = sentences(("word " * 1000,))
    assert len(long.text) == MAX_SENTENCE


@pytest.mark.parametrize(
    ("text", "rating", "each"),
    [
        ("This led to an overall rating of ‘Requires improvement’.", "Requires improvement", False),
        ("The overall rating is 'Requires Improvement'.", "Requires improvement", False),
        (
            "The region will be disappointed to be rated as ‘Inadequate’ overall.",
            "Inadequate",
            False,
        ),
        ("In Testshire the PDU has been rated as ‘Good’ following an inspection.", "Good", False),
        ("Units in three towns have each been rated ‘Inadequate’.", "Inadequate", True),
        (
            "A, B and C PDU each received the lowest rating possible (Inadequate).",
            "Inadequate",
            True,
        ),
        ("Overall, Testshire YJS was rated as ‘Outstanding’.", "Outstanding", False),
        (
            "We have rated the sufficiency of these arrangements as “Good” overall.",
            "Good",
            False,
        ),
        ("Inspectors gave the service an overall rating of ‘Good’.", "Good", False),
    ],
)
def test_overall_ratings_as_the_pages_phrase_them(text, rating, each):
    warnings = []
    (statement,) = overall_statements(_one(text), warnings.append)
    assert (statement.rating, statement.each, statement.sentence.text) == (rating, each, text)
    assert warnings == []


@pytest.mark.parametrize(
    "text",
    [
        "The Testshire PDU was last inspected in 2022, when it was rated as ‘Good’ overall.",
        "The other is Sampleton PDU, which received a rating of ‘Inadequate’.",
        "The other three are Alphaton PDU (rated ‘Inadequate’) and Betaville PDU.",
        "Leaders were committed, and the overall rating of the service is not yet known.",
    ],
)
def test_earlier_other_units_and_unrated_sentences_give_no_overall_rating(text):
    assert overall_statements(_one(text), lambda message: None) == []


def test_ratings_given_respectively_are_warned_about_not_paired():
    warnings = []
    text = "Two PDUs have been rated ‘Good’ and ‘Inadequate’, respectively."
    assert overall_statements([Sentence(text, 4)], warnings.append) == []
    assert len(warnings) == 1 and "respectively" in warnings[0] and "line 5" in warnings[0]


@pytest.mark.parametrize(
    ("text", "other"),
    [
        ("last inspected in 2022, when it was rated as ‘Good’", True),
        ("The other is Sampleton PDU", True),
        ("Both received a rating of ‘Good’", True),
        ("This led to an overall rating of ‘Good’", False),
    ],
)
def test_is_other_or_earlier(text, other):
    assert is_other_or_earlier(text) is other


def test_a_sentence_about_another_report_published_on_a_date_is_other():
    assert is_other_or_earlier("Sampleton PDU (published on 29 June 2023), was rated ‘Good’.")


def test_each_received_the_lowest_rating_possible_in_brackets_and_quotes():
    text = "A, B and C PDU each received the lowest rating possible (‘Inadequate’)."
    (statement,) = overall_statements(_one(text), lambda message: None)
    assert (statement.rating, statement.each) == ("Inadequate", True)


def test_standard_ratings_as_the_pages_phrase_them_first_kept():
    items = [
        Sentence("We gave a ‘Good’ rating for leadership.", 0),
        Sentence("Staffing was rated as ‘requires improvement’.", 1),
        Sentence("Work to support victims was judged ‘outstanding’.", 2),
        Sentence("Later, leadership was rated as ‘Inadequate’.", 3),
        Sentence("It was last inspected when planning was rated ‘Good’.", 4),
    ]
    got = [(slug, rating, s.line) for slug, rating, s in standard_statements(items)]
    assert got == [
        ("leadership", "Good", 0),
        ("staffing", "Requires improvement", 1),
        ("victims", "Outstanding", 2),
    ]


def test_a_quoted_rating_for_a_standard_after_a_space_is_read():
    items = [
        Sentence("The PDU was rated ‘Requires improvement’ for its planning.", 0),
        Sentence("It was rated ‘Good’ for the leadership standards overall.", 1),
    ]
    got = [(slug, rating, s.line) for slug, rating, s in standard_statements(items)]
    assert got == [("planning", "Requires improvement", 0)]


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("scoring five points out of a possible 21", (5, 21)),
        ("It received two inspection points out a possible 27.", (2, 27)),
        ("It received zero out of a total of 27 inspection points.", (0, 27)),
        ("It received one point out of a possible 27.", (1, 27)),
    ],
)
def test_scores_stated_in_prose(text, score):
    (found,) = score_statements(_one(text))
    assert found[:2] == score and found[3] in text


def test_no_score_without_points():
    assert score_statements(_one("eight out of 20 cases were sufficient")) == []


def test_counts_of_standards_with_one_rating():
    (count,) = count_statements(
        _one("There were ‘Inadequate’ ratings for eight out of nine of our quality standards.")
    )
    assert (count["rating"], count["n"], count["of"], count["what"]) == (
        "Inadequate",
        8,
        9,
        "quality standards",
    )
    (count,) = count_statements(
        _one("Casework across all four service delivery standards we inspected was ‘Inadequate’.")
    )
    assert (count["rating"], count["n"], count["of"], count["what"]) == (
        "Inadequate",
        4,
        4,
        "service delivery standards",
    )
    assert count_statements(_one("The previous ‘Good’ ratings for all four standards.")) == []


@pytest.mark.parametrize(
    ("text", "value", "topic"),
    [
        ("Only 34 per cent of cases were sufficient in managing risk of harm.", 34, "keeping_safe"),
        ("Work supporting desistance was sufficient in 60% of the cases.", 60, "desistance"),
        ("Engagement was satisfactory in forty per cent of cases.", 40, "engagement"),
        ("Sufficient in 70 per cent of them.", 70, None),
    ],
)
def test_percentages_of_cases_in_a_sentence_about_sufficiency(text, value, topic):
    (found,) = percent_statements(_one(text))
    assert (found["value"], found["topic"]) == (value, topic)


def test_a_percentage_without_sufficiency_is_not_read():
    assert percent_statements(_one("Only 34 per cent of cases had a plan.")) == []


def test_keeping_other_people_safe_is_the_keeping_safe_topic():
    (found,) = percent_statements(
        _one("Work to keep other people safe was sufficient in only 54 per cent of cases.")
    )
    assert found["topic"] == "keeping_safe"
