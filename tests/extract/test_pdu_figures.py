"""analysis.extract._pdu_figures: the PDU report's figures read by pattern (sample, staffing,
caseload, User Voice, outcomes), each from a sentence in the report's wording.

The sentences below are written here, in the wording the patterns were made from, with
invented figures.
"""

from __future__ import annotations

import re

from analysis import config
from analysis.extract._collect import Collected, read_figures
from analysis.extract._pdu_figures import FIGURES

_TEXT = """\
We conducted 30 interviews with probation practitioners.

The number of staff in post was 85 per cent of the target.

Vacancies were highest for probation officers (POs) at 20 per cent below target, probation
services officers (PSOs) at 12 per cent and case administrators at 5 per cent.

The sickness rate was 11 days per member of staff, with a vacancy rate at 4.5 FTE under target.

PSO grades had the highest workload at 140 per cent, with the majority at 110 per cent.

There was an allowance of 6.5 full-time-equivalent senior probation officers.

In the staff survey, 70 per cent said they received regular supervision.

The total caseload at the time of the inspection announcement was 1,500, with 12 per cent from
a minority ethnic background. The caseload comprised 700 community sentences, 400 people on
post-release supervision and 300 cases in the custodial estate.

Sentencers gave a satisfaction rate of 90 per cent.

User Voice had contact with 50 people on probation, through 20 face-to-face surveys and 30
online surveys.

There were 60 per cent of respondents who reported that their probation officer took time to
understand them. Three in four felt involved in creating their sentence plan. In all, 80 per
cent understood what was expected of them. There were 65 per cent of respondents who reported
a good relationship with their officer. Only 10 per cent of respondents had experience of breach
processes. Forty out of 50, reported that they had been treated fairly. There were 55 per cent
of respondents who felt they had been asked for their views. Five of the 12 people who needed
support from mental health services had not yet had it.

Progress was made in the factors most closely linked to offending (30 per cent). Improvements
in factors related to risk of harm were achieved in few cases (4 of 15 relevant cases).

Two people on probation had been charged with a new offence and a further three convicted of
one. In all (five out of 20) had been convicted or charged.
"""

_EXPECTED = {
    "interviews": (30, None),
    "staff-in-post": (85, None),
    "vacancy-po": (20, None),
    "vacancy-pso": (12, None),
    "vacancy-admin": (5, None),
    "sickness": (11, None),
    "po-vacancy-fte": (4.5, None),
    "workload-pso-max": (140, None),
    "workload-po": (110, None),
    "spo-fte": (6.5, None),
    "supervision": (70, None),
    "caseload": (1500, None),
    "caseload-minority": (12, None),
    "caseload-community": (700, None),
    "caseload-post-release": (400, None),
    "caseload-custody": (300, None),
    "judicial-satisfaction": (90, None),
    "uv-respondents": (50, None),
    "uv-face": (20, None),
    "uv-online": (30, None),
    "uv-needs": (60, None),
    "uv-plan": (75, None),
    "uv-expectations": (80, None),
    "uv-relationship": (65, None),
    "uv-breach": (10, None),
    "uv-fair": (40, 50),
    "uv-heard": (55, None),
    "uv-mental-health": (5, 12),
    "progress-offending": (30, None),
    "progress-risk": (4, 15),
    "charged": (2, None),
    "convicted": (3, None),
    "charged-or-convicted": (5, 20),
}


def test_every_figure_is_read_from_its_sentence(doc):
    col = Collected(doc(_TEXT), "pdu-report")
    assert read_figures(col, FIGURES) == []
    got = {f["measure_id"]: (f["value"], f["denominator"]) for f in col.figures}
    assert got == _EXPECTED
    assert col.warnings == []


def test_units_and_wording_are_kept(doc):
    col = Collected(doc(_TEXT), "pdu-report")
    read_figures(col, FIGURES)
    figures = {f["measure_id"]: f for f in col.figures}
    assert (figures["sickness"]["value_unit"], figures["spo-fte"]["value_unit"]) == ("days", "fte")
    assert figures["uv-plan"]["value_unit"] == "percent"
    assert figures["uv-plan"]["read_as"] == "ratio in words"
    assert (figures["charged"]["in_words"], figures["charged"]["topic"]) == (True, "outcomes")
    assert figures["uv-fair"]["in_words"] and not figures["caseload"]["in_words"]


def test_a_figure_not_in_the_text_is_reported_missing(doc):
    col = Collected(doc("The sickness rate was 11 days.\n"), "pdu-report")
    missing = read_figures(col, FIGURES)
    assert [f["measure_id"] for f in col.figures] == ["sickness"]
    assert len(missing) == len(FIGURES) - 1 and "caseload" in missing


def test_measure_ids_are_unique_and_each_is_documented():
    ids = [spec.measure_id for spec in FIGURES]
    assert len(ids) == len(set(ids)) == 33
    doc = (config.DOCS_DIR / "extraction.md").read_text(encoding="utf-8")
    listed = doc[doc.index("`figures.measure_id` values:") : doc.index("They match the suffixes")]
    assert set(ids) <= set(re.findall(r"`([a-z-]+)`", listed))
