"""Every command in the README works on a fresh clone.

Each shell line of the README's ``sh`` blocks is checked: ``make`` targets exist; ``analysis``
commands parse with the real argument parser, name regions, notebooks and datasets that the
committed data have, and point at files that exist; the quick ones (``rate``, ``frameworks``,
``--help``) are run. The long ones (``build``, ``reports``, ``extract``) are run in full by their
own tests (tests/data, tests/runs, tests/extract); here their arguments are checked.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from analysis import cli, config

README = config.PROJECT_ROOT / "README.md"


def _commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```(?:sh|bash|shell)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


COMMANDS = _commands()


def test_the_readme_has_commands_to_check():
    assert any(c.startswith("make ") for c in COMMANDS)
    assert any(c.startswith(".venv/bin/analysis ") for c in COMMANDS)
    assert all(c.startswith(("make ", ".venv/bin/analysis ")) for c in COMMANDS), COMMANDS


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith("make ")])
def test_make_targets_exist(command):
    makefile = (config.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in shlex.split(command)[1:]:
        if "=" not in target:
            assert re.search(rf"^{re.escape(target)}:", makefile, re.M), target


@pytest.mark.parametrize("command", [c for c in COMMANDS if c.startswith(".venv/bin/analysis ")])
def test_analysis_commands_parse_and_name_what_a_fresh_clone_has(command, capsys, tmp_path):
    from analysis.data.metadata import discover
    from analysis.runs.planning import resolve_selection

    argv = shlex.split(command)[1:]
    args = cli.build_parser().parse_args(argv)
    if args.command == "reports":
        resolve_selection(args.regions, getattr(args, "notebooks", None))
        if getattr(args, "dataset", None):
            declared, _ = discover(config.RAW_DIR)
            names = [info.name for info, _ in declared]
            assert args.dataset in names, f"{command}: no dataset {args.dataset!r} ({names})"
    elif args.command == "rate":
        assert (config.PROJECT_ROOT / args.file).is_file()
        if args.out is not None:  # written into a scratch folder, not the checkout
            argv[argv.index("--out") + 1] = str(tmp_path / Path(args.out).name)
        assert cli.main(argv) == 0
        out = capsys.readouterr().out
        if args.out is None:
            assert "Overall" in out
        else:
            assert (tmp_path / Path(args.out).name).read_text(encoding="utf-8").startswith("unit,")
    elif args.command == "frameworks":
        assert cli.main(argv) == 0
    # build, extract and the rest: parse_args above refuses an unknown option or a missing one
