"""The `analysis` command: rate a hand-written CSV; errors are messages with the documented exit
status (2 input or environment, 3 internal error with a log), never a traceback."""

import errno
import json
import os
import subprocess
import sys

import pytest

from analysis import cli, config

YORK = config.PROJECT_ROOT / "examples" / "york-2024.csv"


def test_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for command in ("rate", "frameworks", "build", "simulate", "reports", "validate"):
        assert command in out


def test_rate_york_table(capsys):
    assert cli.main(["rate", str(YORK)]) == 0
    out = capsys.readouterr().out
    assert "score 3/21, Inadequate" in out
    rows = [line.split() for line in out.splitlines() if "(n=20)" in line]
    assert len(rows) == 4
    assert all(
        r[-1] == "Inadequate" and "Inadequate" in r[:-3] for r in rows
    )  # computed and published
    # seed 003: the guidance "would normally indicate" Inadequate for leadership; RI was applied
    assert (
        "Departure from guidance: leadership published Requires improvement, but the guidance "
        "would normally indicate Inadequate" in out
    )
    assert "a reading of the guidance that the Inspectorate has not confirmed" in out
    assert "leadership_after_inadequate_case_supervision" not in out and "seed 003" not in out
    assert "agree with the 5 published rating(s)" in out
    assert "agree with every published rating" not in out


def test_rate_json_lists_differences(tmp_path, capsys):
    changed = tmp_path / "york.csv"
    changed.write_text(
        YORK.read_text(encoding="utf-8").replace(
            "York,Planning,engagement,70,20,Inadequate", "York,Planning,engagement,70,20,Good"
        ),
        encoding="utf-8",
    )
    assert cli.main(["rate", str(changed), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [
        (d["standard"], d["computed_rating"], d["published_rating"]) for d in out["differences"]
    ] == [("planning", "Inadequate", "Good")]
    assert out["overall"][0]["overall_score"] == 3


def test_rate_csv_format(capsys):
    assert cli.main(["rate", str(YORK), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("unit,standard,standard_name")


@pytest.mark.parametrize(
    "line,message",
    [
        (
            "York,Planning,engagement,170,20,",
            "row 2, column pct_yes: '170' should be between 0 and 100",
        ),
        (
            "York,Planing,engagement,70,20,",
            "row 2, column standard: Framework 'pdu-2023' has no standard 'Planing'",
        ),
        ("York,Planning,safety first,70,20,", "row 2, column area: 'safety first' is not an area"),
        (
            "York,Planning,engagement,seventy,20,",
            "row 2, column pct_yes: 'seventy' is not a percentage",
        ),
        (
            "York,Planning,engagement,70,20,Excellent",
            "row 2, column published_rating: Unknown rating label 'Excellent'",
        ),
    ],
)
def test_rate_bad_rows_exit_2_with_file_row_column_value(tmp_path, capsys, line, message):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "unit,standard,area,pct_yes,n,published_rating\n" + line + "\n", encoding="utf-8"
    )
    assert cli.main(["rate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and message in err
    assert "Traceback" not in err


def test_unknown_framework_exit_2(capsys):
    assert cli.main(["rate", str(YORK), "--framework", "pdu-1999"]) == 2
    assert "Known frameworks" in capsys.readouterr().err


def test_console_script_runs_as_a_process():
    proc = subprocess.run(
        [sys.executable, "-m", "analysis.cli", "frameworks"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "pdu-2023" in proc.stdout


def test_rate_published_ratings_only_example(capsys):
    """York's ratings table as printed (seed 003): no percentages, a clear answer."""
    assert cli.main(["rate", str(YORK.with_name("york-2024-ratings-only.csv"))]) == 0
    out = capsys.readouterr().out
    assert "has published ratings but no key-question percentages" in out
    assert "Overall from the published standard ratings: score 3/21, Inadequate" in out
    assert "Departure from guidance: leadership published Requires improvement" in out


def test_help_lists_the_exit_codes(capsys):
    for argv in (["--help"], ["reports", "--help"]):
        with pytest.raises(SystemExit):
            cli.main(argv)
        out = capsys.readouterr().out
        assert "exit status:" in out
        for code in ("0", "1", "2", "3", "130"):
            assert f"\n  {code:<4} {cli.EXIT_CODES[int(code)]}" in out


def test_an_internal_error_is_one_line_naming_a_log_with_the_traceback(monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("division by zero in a place that should never divide")

    monkeypatch.setattr(cli, "_cmd_frameworks", broken)
    assert cli.main(["frameworks"]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("internal error: ZeroDivisionError: division by zero in a place")
    log = err.split("the details are in ")[1].split(")")[0]
    text = open(log, encoding="utf-8").read()
    assert "Traceback (most recent call last)" in text and "def broken" not in err
    assert "command: ['frameworks']" in text
    os.unlink(log)


def test_an_environment_error_is_exit_2_naming_the_file(monkeypatch, capsys):
    def no_space(args):
        raise OSError(errno.ENOSPC, "No space left on device", "/data/out.csv")

    monkeypatch.setattr(cli, "_cmd_frameworks", no_space)
    assert cli.main(["frameworks"]) == 2
    assert capsys.readouterr().err == "error: No space left on device (/data/out.csv)\n"


OK_NOTEBOOK = config.PROJECT_ROOT / "tests" / "fixtures" / "notebooks" / "ok.ipynb"


def test_reports_without_the_kernel_is_exit_2_and_nothing_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "KERNEL_NAME", "no-such-kernel-for-this-test")
    reports = tmp_path / "reports"
    args = ["reports", "--regions", "national", "--notebooks", str(OK_NOTEBOOK)]
    assert cli.main([*args, "--reports", str(reports), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "The Jupyter kernel 'no-such-kernel-for-this-test' is not registered, so nothing" in err
    assert not (reports / "national").exists() and not (reports / "_runs").exists()


def test_reports_with_an_unreachable_scheduler_is_exit_2(tmp_path, monkeypatch, capsys):
    from analysis.runs import runner

    monkeypatch.setattr(runner, "SCHEDULER_TIMEOUT", "1s")
    reports = tmp_path / "reports"
    args = ["reports", "--regions", "national", "--notebooks", str(OK_NOTEBOOK), "--force"]
    args += ["--scheduler", "tcp://127.0.0.1:9", "--reports", str(reports), "--quiet"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "Cannot reach the dask scheduler at tcp://127.0.0.1:9" in err
    assert "Nothing was run." in err and not (reports / "national").exists()


def test_validate_runs_the_rating_study_too_and_prints_its_table(tmp_path, monkeypatch, capsys):
    import pandas as pd

    from analysis.models import study
    from analysis.synthetic import reliability_study

    calls = []
    monkeypatch.setattr(study, "run_study", lambda **kw: pd.DataFrame({"model": ["m"]}))

    def rating_study(replications, out, seed):
        calls.append((replications, out, seed))
        table = pd.DataFrame(columns=reliability_study._TABLE_COLUMNS)
        table.attrs["settings"] = {"replications": replications, "seed": seed, "seconds": 0}
        return table

    monkeypatch.setattr(reliability_study, "run_rating_validation", rating_study)
    args = ["validate", "--replications", "2", "--out", str(tmp_path), "--quiet"]
    assert cli.main([*args, "--rating-replications", "3"]) == 0
    assert calls == [(3, tmp_path, 20241)]
    assert "Rating probabilities: 3 replications" in capsys.readouterr().out
    assert cli.main([*args, "--rating-replications", "0"]) == 0  # 0: skipped
    assert len(calls) == 1
