"""Rating decision guidance: configured with its source, unconfirmed, checked on load."""

import pytest

from analysis import config, frameworks
from analysis.exceptions import FrameworkDefinitionError

SEED = config.SHARED_DIR / "seeds" / "003_f44d0456c80d8b57.txt"
RULE = "leadership_after_inadequate_case_supervision"


def test_pdu_2023_has_the_york_leadership_rule_unconfirmed_with_its_source():
    fw = frameworks.get("pdu-2023")
    (rule,) = fw.guidance_rules
    assert (rule.id, rule.standard, rule.when) == (RULE, "leadership", "all")
    assert (rule.case_based_at_most, rule.indicates) == ("Inadequate", "Inadequate")
    assert rule.provenance.confirmed is False and rule.provenance.seed == "003"
    assert "seed" not in rule.provenance.source  # the source is reader text
    rules = fw.rules_table().set_index("rule")
    assert not rules.loc[f"guidance: {RULE}", "confirmed"]
    assert f"guidance: {RULE}: UNCONFIRMED" in repr(fw)


def test_the_quoted_sentence_is_in_the_york_report():
    if not SEED.is_file():
        pytest.skip(f"seed document not found at {SEED}")
    report = " ".join(SEED.read_text(encoding="utf-8").split())
    assert (
        "rating decision guidance would normally indicate a leadership rating of 'Inadequate'"
        in report
    )


@pytest.mark.parametrize("fid", ["pdu-2021", "probation-2018", "youth-2018", "adult-2013"])
def test_guidance_rules_are_not_inherited(fid):
    assert frameworks.get(fid).guidance_rules == ()


def test_rule_conditions():
    (rule,) = frameworks.get("pdu-2023").guidance_rules
    four = {s: "Inadequate" for s in frameworks.get("pdu-2023").case_based_standards}
    assert rule.applies(four) is True
    assert rule.applies({**four, "planning": "Requires improvement"}) is False
    assert rule.applies({**four, "planning": None}) is None  # cannot tell
    assert rule.departs("Requires improvement") and not rule.departs("Inadequate")
    any_rule = type(rule)(**{**rule.__dict__, "when": "any"})
    assert any_rule.applies({"assessment": "Inadequate", "planning": "Good"}) is True
    assert any_rule.applies({"assessment": "Good", "planning": None}) is None


BASE = (
    'id = "local"\nextends = "pdu-2023"\nname = "local"\n'
    '[provenance]\nsource = "test"\nconfirmed = false\n'
)


@pytest.mark.parametrize(
    "rule,message",
    [
        (
            'id = "r"\nstandard = "court"\nwhen = "all"\ncase_based_at_most = "Inadequate"\n'
            'indicates = "Inadequate"\ndescription = "d"\nsource = "s"\nconfirmed = false\n',
            "standard 'court' is not one of leadership",
        ),
        (
            'id = "r"\nstandard = "leadership"\nwhen = "most"\ncase_based_at_most = "Inadequate"\n'
            'indicates = "Inadequate"\ndescription = "d"\nsource = "s"\nconfirmed = false\n',
            "when = 'most'; expected 'all' or 'any'",
        ),
        (
            'id = "r"\nstandard = "leadership"\nwhen = "all"\ncase_based_at_most = "Poor"\n'
            'indicates = "Inadequate"\ndescription = "d"\nsource = "s"\nconfirmed = false\n',
            "case_based_at_most = 'Poor'; expected one of Outstanding",
        ),
        (
            'id = "r"\nstandard = "leadership"\nwhen = "all"\n'
            'indicates = "Inadequate"\ndescription = "d"\nsource = "s"\nconfirmed = false\n',
            "[[guidance_rules]] number 1 lacks case_based_at_most",
        ),
        (
            'id = "r"\nstandard = "leadership"\nwhen = "all"\ncase_based_at_most = "Inadequate"\n'
            'indicates = "Inadequate"\ndescription = "d"\n',
            "[guidance_rules.r] needs 'source' and 'confirmed'",
        ),
    ],
)
def test_a_bad_rule_is_explained_naming_the_file(tmp_path, rule, message):
    path = tmp_path / "local.toml"
    path.write_text(BASE + "[[guidance_rules]]\n" + rule, encoding="utf-8")
    with pytest.raises(FrameworkDefinitionError) as err:
        frameworks.load_file(path)
    assert str(path) in str(err.value) and message in str(err.value)
    assert "local" not in frameworks.available()
