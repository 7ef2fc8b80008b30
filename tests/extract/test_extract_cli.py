"""The `analysis extract` command: a summary, exit 0, 1 when a file failed, 2 on user errors."""

from __future__ import annotations

from pathlib import Path

from analysis.cli import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"


def test_extract_writes_tables_and_prints_a_summary(tmp_path, capsys):
    out = tmp_path / "extracted"
    assert main(["extract", str(FIXTURES / "pdu-web.html"), "--out", str(out), "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "1 file(s) (1 ok)" in printed and str(out) in printed
    assert (out / "reports.csv").is_file() and (out / "extraction-report.md").is_file()


def test_a_file_that_fails_gives_exit_1_and_the_rest_are_written(tmp_path, capsys):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"GIF89a")
    code = main(
        [
            "extract",
            str(bad),
            str(FIXTURES / "spotlight-web.html"),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
        ]
    )
    assert code == 1
    assert "bad.pdf: the name ends in .pdf but the file is not a PDF" in capsys.readouterr().out
    assert (tmp_path / "o" / "figures.csv").read_text().count("\n") == 9


def test_no_report_files_is_a_user_error(tmp_path, capsys):
    assert main(["extract", str(tmp_path), "--quiet"]) == 2
    assert "No report files found" in capsys.readouterr().err
