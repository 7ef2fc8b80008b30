"""Rate a table of published key-question percentages and compare with the published ratings.

What ``analysis rate FILE`` runs: read the table (:func:`analysis.ratings.published.read_rating_table`),
score and rate every unit, add the overall rating from the published domain-one ratings, and
list every difference from a published rating.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pandas as pd

from .. import frameworks as _fw
from .overall import overall_ratings
from .published import compare_published, key_question_scores_from_percentages, read_rating_table
from .scores import standard_ratings

__all__ = ["TableRating", "rate_table"]


@dataclass(frozen=True)
class TableRating:
    """Computed and published ratings of the units in one table."""

    framework: _fw.Framework
    key_questions: pd.DataFrame
    standards: pd.DataFrame
    """Standard ratings with ``published_rating`` and ``agrees`` beside the computed one."""
    overall: pd.DataFrame
    comparison: pd.DataFrame
    """Every computed rating beside the published one (:func:`compare_published`)."""

    @property
    def differences(self) -> pd.DataFrame:
        """The rows of :attr:`comparison` where computed and published ratings differ."""
        return self.comparison[self.comparison["agrees"].eq(False).fillna(False)]

    def to_json_dict(self) -> dict:
        """Standards, overall ratings and differences as JSON-ready records."""
        return {
            "framework": self.framework.id,
            "standards": json.loads(self.standards.to_json(orient="records")),
            "overall": json.loads(self.overall.to_json(orient="records")),
            "differences": json.loads(self.differences.to_json(orient="records")),
        }

    def to_text(self) -> str:
        """A plain-text account for a terminal: one block per unit."""
        return _text(self.framework, self.standards, self.overall, self.comparison)

    def __repr__(self) -> str:
        return self.to_text()


def rate_table(
    path: str | os.PathLike[str],
    framework: str | _fw.Framework = "pdu-2023",
    *,
    borderline_at: float = 0.2,
) -> TableRating:
    """Rate every unit in a table of key-question percentages (CSV or Excel).

    Raises
    ------
    InputDataError
        If the file cannot be read or a row is not usable (see :func:`read_rating_table`).
    """
    fw = _fw.get(framework)
    kq_input, published = read_rating_table(path, fw)
    kq = key_question_scores_from_percentages(kq_input, fw, by="unit")
    std = standard_ratings(kq, fw, by="unit", borderline_at=borderline_at)
    domain_one = published[~published["standard"].isin([*fw.case_based_standards, "overall"])]
    overall = overall_ratings(
        std, fw, by="unit", other_ratings=domain_one, borderline_at=borderline_at
    )
    computed = pd.concat(
        [
            std[["unit", "standard", "rating"]],
            overall[["unit", "overall_rating"]]
            .rename(columns={"overall_rating": "rating"})
            .assign(standard="overall"),
        ]
    ).dropna(subset=["rating"])
    comparison = compare_published(computed, published, by="unit", framework=fw)
    std = std.merge(
        comparison[["unit", "standard", "published_rating", "agrees"]],
        on=["unit", "standard"],
        how="left",
    )
    return TableRating(fw, kq, std, overall, comparison)


def _text(fw, std, overall, comparison) -> str:
    lines = [
        f"Framework {fw.id}: {fw.name}",
        "Bands (lowest key question): "
        + ", ".join(f"{r} from {lo:g}%" for r, lo in fw.rating_bands),
    ]
    for unit, block in std.groupby("unit", sort=False):
        lines += ["", f"Unit: {unit}", ""]
        table = block.assign(
            lowest=lambda d: (
                d["lowest_pct"].map(lambda v: "" if v != v else f"{v:.0f}%")
                + " (n="
                + d["n_applicable"].astype(str)
                + ")"
            ),
            probabilities=lambda d: d.apply(
                lambda r: " / ".join(
                    "-" if r[c] != r[c] else f"{100 * r[c]:.0f}%"
                    for c in ("p_outstanding", "p_good", "p_requires_improvement", "p_inadequate")
                ),
                axis=1,
            ),
            published=lambda d: d["published_rating"].astype("string").fillna("-"),
        )[["standard_name", "lowest", "rating", "probabilities", "borderline", "published"]]
        table.columns = [
            "standard",
            "lowest key question",
            "computed",
            "P(O / G / RI / I)",
            "borderline",
            "published",
        ]
        lines.append(table.to_string(index=False))
        row = overall[overall["unit"] == unit].iloc[0]
        if row["missing_standards"]:
            lines.append(f"\nOverall: not computed; no rating for {row['missing_standards']}.")
        else:
            lines.append(
                f"\nOverall: score {row['overall_score']}/{row['max_score']}, {row['overall_rating']} "
                f"(probability {100 * row['p_computed']:.0f}%; overall bands {'confirmed' if fw.provenance['overall_bands'].confirmed else 'UNCONFIRMED'})."
            )
        diffs = comparison[
            (comparison["unit"] == unit) & comparison["agrees"].eq(False).fillna(False)
        ]
        for _, d in diffs.iterrows():
            lines.append(
                f"Difference: {d['standard']} computed {d['computed_rating']}, published {d['published_rating']}."
            )
        if diffs.empty and comparison[comparison["unit"] == unit]["agrees"].notna().any():
            lines.append("Computed ratings agree with every published rating given.")
    return "\n".join(lines)
