"""Progress in a log that is not a terminal is one line per finished run, not a bar."""

import io

from analysis.runs.progress import LineProgress, progress_bar


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_log_gets_one_line_per_finished_run():
    log = io.StringIO()
    bar = progress_bar(None, 3, enabled=True, stream=log)
    assert isinstance(bar, LineProgress)
    with bar:
        for failed in (0, 1, 1):
            bar.set_postfix(failed=failed, refresh=False)
            bar.update()
        bar.write("failed wales/02-quality-outcome-associations: ...")
    lines = log.getvalue().splitlines()
    assert "\r" not in log.getvalue()
    assert [line.split(" runs finished")[0] for line in lines[:3]] == [
        "reports: 1/3",
        "reports: 2/3",
        "reports: 3/3",
    ]
    assert ", 1 failed, " in lines[2]
    assert lines[3].startswith("failed wales/")


def test_disabled_progress_prints_nothing():
    log = io.StringIO()
    bar = progress_bar(None, 2, enabled=False, stream=log)
    bar.update()
    bar.write("x")
    assert log.getvalue() == ""


def test_a_terminal_gets_the_bar():
    made = {}

    def fake_tqdm(**kwargs):
        made.update(kwargs)
        return "bar"

    assert progress_bar(fake_tqdm, 5, enabled=True, stream=_Terminal()) == "bar"
    assert made["total"] == 5 and made["disable"] is False
