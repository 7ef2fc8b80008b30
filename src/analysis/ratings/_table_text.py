"""The plain-text account of :class:`analysis.ratings.table.TableRating` for a terminal."""

from __future__ import annotations

import pandas as pd

from ..frameworks.vocabulary import PROBABILITY_COLUMNS

__all__ = ["table_text"]

_PROBS = PROBABILITY_COLUMNS


def table_text(result) -> str:
    """One block per unit: standards, overall, then every difference, ambiguity and departure."""
    fw, std, overall, comparison = (
        result.framework,
        result.standards,
        result.overall,
        result.comparison,
    )
    lines = [
        f"Framework {fw.id}: {fw.name}",
        "Bands (lowest key question, unrounded): "
        + ", ".join(f"{r} from {lo:g}%" for r, lo in fw.rating_bands)
        + f" ({'confirmed' if fw.provenance['rating_bands'].confirmed else 'UNCONFIRMED'})",
    ]
    lines += [f"Note: {n}" for n in result.notes]
    units = list(dict.fromkeys([*std["unit"], *overall["unit"], *comparison["unit"]]))
    blocks, overalls, compared = _split(std), _split(overall), _split(comparison)
    for unit in units:
        lines += ["", f"Unit: {unit}", ""]
        block = blocks.get(unit, std.iloc[:0])
        if len(block):
            lines.append(_standards_table(block).to_string(index=False))
            lines += _prior_lines(block)
        lines.append(_overall_line(fw, overalls.get(unit, overall.iloc[:0])))
        lines += _comparison_lines(compared.get(unit, comparison.iloc[:0]), block)
    return "\n".join(lines)


def _split(frame: pd.DataFrame) -> dict:
    """The frame's rows per unit, in one pass."""
    return dict(tuple(frame.groupby("unit", sort=False))) if len(frame) else {}


def _standards_table(block: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "standard": block["standard_name"],
            "lowest key question": [
                "" if given is None or given != given else f"{given} (n={n})"
                for given, n in zip(block["lowest_pct_given"], block["n_applicable"], strict=True)
            ],
            "computed": [
                "not rated"
                if pd.isna(r)
                else (f"{r} (ambiguous)" if amb is not pd.NA and amb else str(r))
                for r, amb in zip(block["rating"], block["ambiguous"], strict=True)
            ],
            "P(O / G / RI / I)": [
                " / ".join("-" if pd.isna(row[c]) else f"{100 * row[c]:.0f}%" for c in _PROBS)
                for row in block[list(_PROBS)].to_dict("records")
            ],
            "borderline": block["borderline"].astype("string").fillna("-"),
            "published": block["published_rating"].astype("string").fillna("-"),
        }
    )
    return table


def _overall_line(fw, rows: pd.DataFrame) -> str:
    if rows.empty:
        return "\nOverall: not computed; no standard ratings for this unit."
    row = rows.iloc[0]
    if row["missing_standards"]:
        return f"\nOverall: not computed; no rating for {row['missing_standards']}."
    flag = "confirmed" if fw.provenance["overall_bands"].confirmed else "UNCONFIRMED"
    basis = (
        " from the published standard ratings"
        if row.get("basis") == "published standard ratings"
        else ""
    )
    text = (
        f"\nOverall{basis}: score {row['overall_score']}/{row['max_score']}, "
        f"{row['overall_rating']} (probability {100 * row['p_computed']:.0f}%; overall bands "
        f"{flag})."
    )
    possible = row.get("possible_ratings")
    if isinstance(possible, str) and " or " in possible:
        text += f" Ambiguous: with the rounded percentages it can be {possible}."
    return text


def _comparison_lines(rows: pd.DataFrame, block: pd.DataFrame) -> list[str]:
    lines = []
    for s in block[block["ambiguous"].fillna(False).astype(bool)].to_dict("records"):
        lines.append(
            f"Ambiguous: {s['standard']} can be {s['possible_ratings']}: {s['ambiguity']}."
        )
    for d in rows.to_dict("records"):
        if d["status"] == "differs":
            lines.append(
                f"Difference: {d['standard']} computed {d['computed_rating']}, "
                f"published {d['published_rating']}."
            )
        elif d["status"] == "ambiguous":
            lines.append(
                f"Not a difference: {d['standard']} computed {d['computed_rating']}, published "
                f"{d['published_rating']}; {d['note']}."
            )
        elif d["status"] == "departure":
            lines.append(f"Departure from guidance: {d['standard']} {d['note']}.")
        elif d["status"] == "follows guidance":
            lines.append(f"Follows guidance: {d['standard']}: {d['note']}.")
    compared = rows[rows["status"].isin(["agrees", "ambiguous", "differs"])]
    if len(compared) and (compared["status"] == "agrees").all():
        lines.append(
            f"Computed ratings agree with the {len(compared)} published rating(s) they can be "
            f"checked against ({', '.join(compared['standard'])})."
        )
    return lines


def _prior_lines(block: pd.DataFrame) -> list[str]:
    """Which prior or population the probabilities lean on, and how far it moved each one."""
    if "pooled_towards" not in block or "p_computed_independent" not in block:
        return []
    rated = block[block["rating"].notna()]
    if rated.empty:
        return []
    lines = []
    for towards, rows in rated.groupby("pooled_towards", sort=False):
        scale = rows["prior_scale"].max() if "prior_scale" in rows else 1.0
        shared = rows["prior_shared"].max() if "prior_shared" in rows else 0.0
        ways = []
        if scale > 1:
            ways.append(f"its spread ×{scale:.2g}")
        if shared > 0:
            together = f"SD {shared**0.5:.2g} logits"
            ways.append(f"its key questions free to sit higher or lower together ({together})")
        widened = (
            f"; widened where this unit's data sit far from it ({'; '.join(ways)})" if ways else ""
        )
        moved = ", ".join(
            f"{r['standard']} {100 * (r['p_computed'] - r['p_computed_independent']):+.0f}"
            for r in rows.to_dict("records")
        )
        lines.append(
            f"Probabilities lean on: {towards}{widened}. Points it moved the probability of "
            f"each computed rating, against independent flat priors: {moved}."
        )
    near = rated[rated.get("edge_in_reach", pd.Series(False, index=rated.index)).fillna(False)]
    if len(near):
        lines.append(
            "Borderline because a key question's 95% interval reaches a band edge: "
            + ", ".join(near["standard"])
            + "."
        )
    return lines
