"""The extraction report: each file, its layout, counts of values read, and every warning."""

from __future__ import annotations

import pandas as pd

__all__ = ["extraction_report"]


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _md_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(frame.columns) + " |"
    rule = "| " + " | ".join("---" for _ in frame.columns) + " |"
    rows = [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows])


def extraction_report(tables: dict[str, pd.DataFrame]) -> str:
    """Markdown text of the extraction report for the tables of one run."""
    files, warnings = tables["files"], tables["warnings"]
    checks, conflicts = tables["rating_check"], tables["conflicts"]
    counts = files["status"].value_counts()
    lines = [
        "# Extraction report",
        "",
        f"{len(files)} file(s): " + ", ".join(f"{n} {s}" for s, n in counts.items()) + ".",
        f"{len(tables['reports'])} report(s); {len(tables['ratings'])} ratings, "
        f"{len(tables['key_questions'])} key-question percentages, {len(tables['prompts'])} "
        f"prompt-level results, {len(tables['figures'])} figures.",
        "",
        "## Files",
        "",
        _md_table(
            files[
                [
                    "file",
                    "kind",
                    "layout",
                    "status",
                    "report_id",
                    "n_ratings",
                    "n_key_questions",
                    "n_prompts",
                    "n_figures",
                    "n_warnings",
                    "message",
                ]
            ]
        ),
        "",
        "## Warnings",
        "",
        _md_table(warnings) if len(warnings) else "None.",
        "",
        "## Computed and published ratings",
        "",
        "Each extracted key-question table rated by the framework's rules (lowest key question, "
        "bands as configured) and set beside the published ratings.",
        "",
    ]
    differ = checks[checks["agrees"].eq(False).fillna(False) | checks["rule_rating"].notna()]
    if len(checks) == 0:
        lines.append("No key-question tables were extracted.")
    elif len(differ) == 0:
        lines.append(f"All {int(checks['agrees'].eq(True).sum())} comparable ratings agree.")
    else:
        lines.append(
            _md_table(
                differ[
                    [
                        "report_id",
                        "standard",
                        "computed_rating",
                        "published_rating",
                        "rule_rating",
                        "note",
                    ]
                ]
            )
        )
    lines += ["", "## Conflicts between files holding the same report", ""]
    lines.append(_md_table(conflicts) if len(conflicts) else "None.")
    return "\n".join(lines) + "\n"
