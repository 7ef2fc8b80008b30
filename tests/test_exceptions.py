"""analysis.exceptions: one flat hierarchy, each error caught by what callers catch and read by people."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import exceptions
from analysis.exceptions import (
    AnalysisError,
    InputDataError,
    OutputFolderError,
    RunFailed,
    RunSetupError,
    RunsInterrupted,
    UnknownFrameworkError,
    ValidationFailed,
)


def test_every_exported_error_is_an_analysis_error_and_every_warning_a_user_warning():
    names = [n for n in exceptions.__all__ if n != "AnalysisError"]
    assert {"InputDataError", "ValidationFailed", "OutputFolderError"} <= set(names)
    warnings = [n for n in names if n.endswith("Warning")]
    assert warnings == ["InputDataWarning"]
    for name in names:
        kind = UserWarning if name in warnings else AnalysisError
        assert issubclass(getattr(exceptions, name), kind), name


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        ("UnknownFrameworkError", KeyError),
        ("InputDataError", ValueError),
        ("ParameterError", ValueError),
        ("OutputFolderError", ValueError),
    ],
)
def test_errors_are_also_the_builtin_a_caller_would_catch(error, builtin):
    assert issubclass(getattr(exceptions, error), builtin)


def test_an_unknown_framework_names_the_known_ones_and_the_way_to_add_one():
    error = UnknownFrameworkError("pdu-2030", ["pdu-2021", "pdu-2023"])
    assert (error.framework_id, error.known) == ("pdu-2030", ["pdu-2021", "pdu-2023"])
    # a KeyError's own str() would quote the key; this one reads as a sentence
    assert str(error) == (
        "Unknown inspection framework 'pdu-2030'. Known frameworks: pdu-2021, pdu-2023. "
        "Add one with analysis.frameworks.register_file(path)."
    )
    with pytest.raises(KeyError):
        raise error


def test_validation_failed_shows_the_message_and_every_failure():
    failures = pd.DataFrame(
        [
            ["published/key_questions.csv", 2, "pct_yes", "140", "less_than_or_equal_to(100)"],
            ["synthetic/unit_ratings.csv", 5, "rating", "Satisfactory", "rating_label"],
        ],
        columns=["file", "row", "column", "value", "check"],
    )
    error = ValidationFailed("Validation failed: 2 errors. Nothing was written.", failures)
    assert error.failures is failures
    lines = str(error).splitlines()
    assert lines[0] == "Validation failed: 2 errors. Nothing was written."
    assert lines[1].split() == ["file", "row", "column", "value", "check"]
    assert lines[2].split() == [
        "published/key_questions.csv",
        "2",
        "pct_yes",
        "140",
        "less_than_or_equal_to(100)",
    ]
    assert lines[3].split()[-1] == "rating_label" and len(lines) == 4


def test_an_output_folder_error_is_caught_as_either_parent():
    for parent in (InputDataError, RunSetupError):
        with pytest.raises(parent, match="Refusing to write"):
            raise OutputFolderError("Refusing to write reports to /: the project root.")


def test_run_failed_lists_its_failures_and_never_shares_an_empty_list():
    assert RunFailed("2 runs failed", ["wales/kq", "york/kq"]).failures == ["wales/kq", "york/kq"]
    first, second = RunFailed("none listed"), RunFailed("none listed")
    first.failures.append("wales/kq")
    assert second.failures == []
    assert str(first) == "none listed"


def test_an_interrupted_batch_carries_its_summary():
    summary = {"done": 3, "interrupted": 1}
    error = RunsInterrupted("Stopped by Ctrl-C.", summary)
    assert error.summary is summary and str(error) == "Stopped by Ctrl-C."
    assert RunsInterrupted("Stopped.").summary is None
