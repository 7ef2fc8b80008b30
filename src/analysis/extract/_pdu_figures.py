"""Figures of the PDU report read by pattern: sample, staffing, caseload, User Voice, outcomes.

Each pattern is tolerant of line breaks (``\\s+`` between words) and reads numbers in digits
or words; ``v`` is the value and ``d`` a denominator where the sentence gives one.
"""

from __future__ import annotations

from ._collect import FigureSpec
from ._numbers import NUMBER

__all__ = ["FIGURES"]

N = rf"(?P<v>{NUMBER})"
P = rf"(?P<v>{NUMBER})\s+per\s*cent"
_S = r"\s+"

FIGURES = [
    FigureSpec(
        "interviews",
        "sample",
        "interviews with probation practitioners",
        rf"conducted{_S}{N}{_S}interviews{_S}with{_S}probation{_S}practitioners",
    ),
    FigureSpec(
        "staff-in-post",
        "staffing",
        "staff in post, % of target",
        rf"staff{_S}in{_S}post{_S}was{_S}{P}{_S}of{_S}the{_S}target",
        "percent",
    ),
    FigureSpec(
        "vacancy-po",
        "staffing",
        "probation officer vacancies, % below target",
        rf"probation{_S}officers{_S}\(POs\){_S}at{_S}{P}{_S}below",
        "percent",
    ),
    FigureSpec(
        "vacancy-pso",
        "staffing",
        "probation services officer vacancies, % below target",
        rf"probation{_S}services{_S}officers{_S}\(PSOs\){_S}at{_S}{P}",
        "percent",
    ),
    FigureSpec(
        "vacancy-admin",
        "staffing",
        "case administrator vacancies, % below target",
        rf"case{_S}administrators{_S}at{_S}{P}",
        "percent",
    ),
    FigureSpec(
        "sickness",
        "staffing",
        "annual sickness per member of staff",
        rf"sickness{_S}rate{_S}was{_S}{N}{_S}days",
        "days",
    ),
    FigureSpec(
        "po-vacancy-fte",
        "staffing",
        "probation officer vacancies, FTE under target",
        rf"vacancy{_S}rate{_S}at{_S}{N}{_S}FTE{_S}under",
        "fte",
    ),
    FigureSpec(
        "workload-pso-max",
        "staffing",
        "highest workload, PSO and PQiP grades (WMT)",
        rf"highest{_S}workload{_S}at{_S}{P}",
        "percent",
    ),
    FigureSpec(
        "workload-po",
        "staffing",
        "typical probation officer workload (WMT)",
        rf"majority{_S}at{_S}{P}",
        "percent",
    ),
    FigureSpec(
        "spo-fte",
        "staffing",
        "senior probation officers allocated, FTE",
        rf"allowance{_S}of{_S}{N}{_S}full-time-equivalent",
        "fte",
    ),
    FigureSpec(
        "supervision",
        "staffing",
        "staff reporting regular supervision (staff survey)",
        rf"{P}{_S}said{_S}they{_S}received{_S}regular{_S}supervision",
        "percent",
    ),
    FigureSpec(
        "caseload",
        "caseload",
        "total caseload at inspection announcement",
        rf"total{_S}caseload{_S}at{_S}the{_S}time{_S}of{_S}the{_S}inspection{_S}announcement{_S}was{_S}{N}",
    ),
    FigureSpec(
        "caseload-minority",
        "caseload",
        "caseload from a minority ethnic background",
        rf"announcement{_S}was{_S}{NUMBER},{_S}with{_S}{P}{_S}from{_S}a{_S}minority",
        "percent",
    ),
    FigureSpec(
        "caseload-community",
        "caseload",
        "community sentences",
        rf"caseload{_S}comprised{_S}{N}{_S}community{_S}sentences",
    ),
    FigureSpec(
        "caseload-post-release",
        "caseload",
        "post-release supervision",
        rf"{N}{_S}people{_S}on{_S}post-release{_S}supervision",
    ),
    FigureSpec(
        "caseload-custody",
        "caseload",
        "cases in the custodial estate",
        rf"{N}{_S}cases{_S}in{_S}the{_S}custodial{_S}estate",
    ),
    FigureSpec(
        "judicial-satisfaction",
        "context",
        "judicial satisfaction rate",
        rf"satisfaction{_S}rate{_S}of{_S}{P}",
        "percent",
    ),
    FigureSpec(
        "uv-respondents",
        "user_voice",
        "people on probation contacted by User Voice",
        rf"had{_S}contact{_S}with{_S}{N}{_S}people{_S}on{_S}probation",
    ),
    FigureSpec("uv-face", "user_voice", "face-to-face surveys", rf"{N}{_S}face-to-face{_S}surveys"),
    FigureSpec("uv-online", "user_voice", "online surveys", rf"{N}{_S}online{_S}surveys"),
    FigureSpec(
        "uv-needs",
        "user_voice",
        "officer took time to understand personal needs at induction",
        rf"{P}{_S}of{_S}respondents,?{_S}who{_S}reported{_S}that{_S}their{_S}probation{_S}officer{_S}took{_S}time",
        "percent",
    ),
    FigureSpec(
        "uv-plan",
        "user_voice",
        "felt involved in creating their sentence plan",
        rf"(?P<v>{NUMBER}{_S}in{_S}{NUMBER}|{NUMBER}(?={_S}per\s*cent)){_S}(?:per\s*cent{_S})?felt{_S}involved{_S}in{_S}creating",
        "percent",
    ),
    FigureSpec(
        "uv-expectations",
        "user_voice",
        "understood what was expected of them",
        rf"{P}{_S}understood{_S}what{_S}was{_S}expected",
        "percent",
    ),
    FigureSpec(
        "uv-relationship",
        "user_voice",
        "good relationship with their probation officer",
        rf"{P}{_S}of{_S}respondents{_S}who{_S}reported{_S}a{_S}good{_S}relationship",
        "percent",
    ),
    FigureSpec(
        "uv-breach",
        "user_voice",
        "experience of breach processes",
        rf"{P}{_S}of{_S}respondents{_S}had{_S}experience{_S}of{_S}breach",
        "percent",
    ),
    FigureSpec(
        "uv-fair",
        "user_voice",
        "treated fairly during their time on probation",
        rf"{N}{_S}out{_S}of{_S}(?P<d>{NUMBER}),?{_S}reported{_S}that{_S}(?:they{_S})?ha(?:ve|d){_S}been{_S}treated{_S}fairly",
    ),
    FigureSpec(
        "uv-heard",
        "user_voice",
        "asked for their views and felt heard",
        rf"{P}{_S}of{_S}respondents{_S}who{_S}felt{_S}they{_S}ha(?:ve|d){_S}been{_S}asked",
        "percent",
    ),
    FigureSpec(
        "uv-mental-health",
        "user_voice",
        "needed mental health support but not yet able to access it",
        rf"{N}{_S}of{_S}the{_S}(?P<d>{NUMBER}){_S}people{_S}who{_S}needed{_S}support{_S}from{_S}mental{_S}health",
    ),
    FigureSpec(
        "progress-offending",
        "outcomes",
        "sufficient improvement in the factors most closely linked to offending",
        rf"factors{_S}most{_S}closely{_S}linked{_S}to{_S}offending{_S}\({P}\)",
        "percent",
    ),
    FigureSpec(
        "progress-risk",
        "outcomes",
        "improvement in factors related to risk of harm (relevant cases)",
        rf"risk{_S}of{_S}harm{_S}were{_S}achieved{_S}in{_S}\w+{_S}cases{_S}\({N}{_S}of{_S}(?P<d>{NUMBER}){_S}relevant",
    ),
    FigureSpec(
        "charged",
        "outcomes",
        "charged with a new offence since the start of the order or licence",
        rf"{N}{_S}people{_S}on{_S}probation{_S}had{_S}been{_S}charged",
    ),
    FigureSpec(
        "convicted",
        "outcomes",
        "convicted of a new offence since the start of the order or licence",
        rf"a{_S}further{_S}{N}{_S}convicted",
    ),
    FigureSpec(
        "charged-or-convicted",
        "outcomes",
        "charged with or convicted of further offending",
        rf"\({N}{_S}out{_S}of{_S}(?P<d>{NUMBER})\){_S}had{_S}been{_S}(?:convicted|charged)",
    ),
]
