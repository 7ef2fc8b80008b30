"""Interactive exploration for researchers in JupyterLab: pick a region, standard and outcome.

:func:`explorer` returns an ipywidgets panel; each change recomputes, from the package's own
functions, the key-question scores of the chosen standard by PDU and the outcome rate for cases
answered yes and no on each of its key questions (with Wilson intervals). Given the published
tables, a "Data" choice switches between the case-level data, named by its declared kind
(:func:`case_data_label`: "Synthetic sample" only for a dataset declared synthetic), and the
real published inspections (ratings of every published report in the region, and the published key-question
scores of the chosen standard, as published). The panel also runs headless (under papermill):
it is built and drawn once for the default choices. The panel is for JupyterLab only; exported
reports leave it out.
"""

from __future__ import annotations

import pandas as pd

from .. import frameworks, ratings
from ..data.provenance import label_kind, origin, run_origin
from ..data.schemas import STANDARD_SLUGS
from ..stats import wilson_interval
from .summaries.words import OUTCOME_LABELS

__all__ = [
    "ALL_REGIONS",
    "outcome_choice",
    "region_choices",
    "SYNTHETIC",
    "PUBLISHED",
    "case_data_label",
    "outcome_by_answer",
    "selection_tables",
    "published_tables",
    "explorer",
]

ALL_REGIONS = "All regions (national)"
SYNTHETIC = "Synthetic sample (simulated cases)"
"""The "Data" choice for case-level data declared synthetic."""
PUBLISHED = "Published inspections (real)"

_PUBLISHED_COLUMNS = (
    "region",
    "unit",
    "report_year",
    "report_date",
    "framework",
    "overall_rating",
    "score",
    *STANDARD_SLUGS,
    "source_url",
)
_PUBLISHED_KQ_COLUMNS = ("region", "unit", "year", "key_question", "pct_yes", "n", "source")


def case_data_label(cases: pd.DataFrame) -> str:
    """The "Data" choice naming the case-level data by its declared kind (``label_kind``).

    Only data declared synthetic are called a synthetic sample; real data are named with their
    dataset, and data whose kind nobody declared are said to be treated as real.

    >>> frame = pd.DataFrame({"region": ["Wales"]})
    >>> case_data_label(frame)
    'Case records (kind not declared; treated as real)'
    >>> frame.attrs.update(dataset="wales-2024", dataset_kind="real")
    >>> case_data_label(frame)
    'Case records: wales-2024 (real)'
    >>> frame.attrs.update(dataset="synthetic", dataset_kind="synthetic")
    >>> case_data_label(frame) == SYNTHETIC
    True
    """
    kind = label_kind(cases)
    if kind == "synthetic":
        return SYNTHETIC
    if kind == "unknown":
        return "Case records (kind not declared; treated as real)"
    run = run_origin()
    name = origin(cases).dataset or (run.dataset if run else None)
    return f"Case records: {name} (real)" if name else "Case records (real)"


def outcome_by_answer(cases: pd.DataFrame, key_questions, outcome: str) -> pd.DataFrame:
    """Outcome rate among cases answered yes and no on each key question, with Wilson intervals.

    Returns columns ``key_question, answer, n, events, rate_pct, ci_low, ci_high`` (percent).

    Raises
    ------
    KeyError
        If the outcome or a key-question column is missing.

    >>> cases = pd.DataFrame({"planning_engagement": ["yes", "no", "yes", "not_applicable"],
    ...                       "new_offence": pd.array([True, True, False, None], dtype="boolean")})
    >>> outcome_by_answer(cases, ["planning_engagement"], "new_offence")[["answer", "n", "events"]]
      answer  n  events
    0    yes  2       1
    1     no  1       1
    """
    rows = []
    for kq in key_questions:
        known = cases[cases[outcome].notna()]
        for answer in ("yes", "no"):
            chosen = known.loc[known[kq].astype(str) == answer, outcome].astype(bool)
            rows.append(
                {
                    "key_question": kq,
                    "answer": answer,
                    "n": len(chosen),
                    "events": int(chosen.sum()),
                }
            )
    table = pd.DataFrame(rows)
    low, high = wilson_interval(table["events"], table["n"])
    table["rate_pct"] = 100 * table["events"] / table["n"].where(table["n"] > 0)
    table["ci_low"], table["ci_high"] = 100 * low, 100 * high
    return table


def selection_tables(
    cases: pd.DataFrame, *, region: str, standard: str, outcome: str, framework: str = "pdu-2023"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Key-question scores by PDU and outcome by answer, for one region (or all) and standard."""
    fw = frameworks.get(framework)
    chosen = cases if region == ALL_REGIONS else cases[cases["region"].astype(str) == region]
    scores = ratings.key_question_scores(chosen, framework, by=("pdu",))
    scores = scores[scores["standard"] == standard].reset_index(drop=True)
    questions = [k.id for k in fw.key_questions if k.standard == standard]
    return scores, outcome_by_answer(chosen, questions, outcome)


def published_tables(
    published: pd.DataFrame, key_questions: pd.DataFrame | None, *, region: str, standard: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Published ratings in a region (or all) and published key-question scores of a standard.

    Values are shown as published (nothing is recomputed); columns that a table lacks are left
    out.

    >>> ratings = pd.DataFrame({"region": ["North East", "Wales"], "unit": ["A", "B"],
    ...                         "overall_rating": ["Good", "Inadequate"]})
    >>> published_tables(ratings, None, region="Wales", standard="planning")[0]
      region unit overall_rating
    0  Wales    B     Inadequate
    """

    def in_region(frame: pd.DataFrame) -> pd.DataFrame:
        if region == ALL_REGIONS or "region" not in frame.columns:
            return frame
        return frame[frame["region"].astype(str) == region]

    ratings_shown = in_region(published)
    ratings_shown = ratings_shown[[c for c in _PUBLISHED_COLUMNS if c in ratings_shown.columns]]
    if key_questions is None:
        kq_shown = pd.DataFrame(columns=list(_PUBLISHED_KQ_COLUMNS))
    else:
        kq_shown = in_region(key_questions)
        if "standard" in kq_shown.columns:
            kq_shown = kq_shown[kq_shown["standard"].astype(str) == standard]
        kq_shown = kq_shown[[c for c in _PUBLISHED_KQ_COLUMNS if c in kq_shown.columns]]
    return ratings_shown.reset_index(drop=True), kq_shown.reset_index(drop=True)


def explorer(
    cases: pd.DataFrame,
    *,
    framework: str = "pdu-2023",
    region: str | None = None,
    outcome: str = "new_offence",
    published: pd.DataFrame | None = None,
    published_key_questions: pd.DataFrame | None = None,
):
    """A panel of drop-downs (data, region, standard, outcome) and the tables they select.

    The tables are drawn into an HTML widget (no output capture), so the panel also builds
    reliably when the notebook runs headless.

    Parameters
    ----------
    cases : DataFrame
        Case-level data, as a loader returns it (its marks say its dataset and kind; the
        "Data" choice names it by them, see :func:`case_data_label`).
    framework, region, outcome : str
        The framework, and the region and outcome chosen at the start.
    published, published_key_questions : DataFrame, optional
        The published ratings and key-question scores; when given, a "Data" drop-down switches
        between the case-level data and the published inspections. The outcome does not apply
        to published data and is disabled there.

    Returns
    -------
    ipywidgets.VBox

    Raises
    ------
    KeyError
        If ``outcome`` is not an outcome column of the data.
    """
    import ipywidgets as widgets

    from .display import table_bundle

    fw = frameworks.get(framework)
    regions = region_choices(cases, published)
    outcomes = [o for o in OUTCOME_LABELS if o in cases.columns]
    if outcome not in outcomes:
        raise KeyError(f"Unknown outcome {outcome!r}; choose one of {', '.join(outcomes)}.")
    start = next((r for r in regions if region and r.lower() == region.lower()), ALL_REGIONS)
    pick_region = widgets.Dropdown(options=regions, value=start, description="Region")
    pick_standard = widgets.Dropdown(
        options=[(fw.standard(s).name, s) for s in fw.case_based_standards],
        value=fw.case_based_standards[0],
        description="Standard",
    )
    pick_outcome = widgets.Dropdown(
        options=[(outcome_choice(o), o) for o in outcomes], value=outcome, description="Outcome"
    )
    case_data = case_data_label(cases)
    pick_data = widgets.Dropdown(
        options=[case_data, PUBLISHED], value=case_data, description="Data"
    )
    shown = widgets.HTML()

    def redraw(_=None):
        pick_outcome.disabled = pick_data.value == PUBLISHED
        if pick_data.value == PUBLISHED:
            rated, scored = published_tables(
                published,
                published_key_questions,
                region=pick_region.value,
                standard=pick_standard.value,
            )
            where = _where(pick_region.value, fw.standard(pick_standard.value).name)
            shown.value = _table_or_message(
                table_bundle,
                rated,
                "explore_published",
                "Published inspection ratings",
                f"No published inspection report {where}.",
            ) + _table_or_message(
                table_bundle,
                scored,
                "explore_published_kq",
                "Published key-question scores (as published)",
                f"No published key-question scores {where}.",
            )
            return
        scores, by_answer = selection_tables(
            cases,
            region=pick_region.value,
            standard=pick_standard.value,
            outcome=pick_outcome.value,
            framework=framework,
        )
        where = _where(pick_region.value, fw.standard(pick_standard.value).name)
        by_answer = by_answer[by_answer["n"] > 0]
        shown.value = _table_or_message(
            table_bundle,
            scores,
            "explore_scores",
            "Key-question scores by PDU",
            f"No inspected cases {where}.",
        ) + _table_or_message(
            table_bundle,
            by_answer,
            "explore_outcomes",
            f"Rate of {OUTCOME_LABELS[pick_outcome.value]} by answer",
            f"No cases with a known outcome {where}.",
        )

    controls = [pick_region, pick_standard, pick_outcome]
    if published is not None:
        controls.insert(0, pick_data)
    for control in controls:
        control.observe(redraw, names="value")
    redraw()
    return widgets.VBox([widgets.HBox(controls, layout={"flex_flow": "row wrap"}), shown])


_NATIONAL_NAMES = frozenset({"national", "england and wales", "all regions", "england & wales"})
"""Region values that mean the whole country: offered once, as :data:`ALL_REGIONS`."""


def region_choices(cases: pd.DataFrame, published: pd.DataFrame | None = None) -> list[str]:
    """The region drop-down: one national choice first, then every region A to Z.

    A published table's national rows (region ``National``) are part of the national choice,
    not a region of their own.

    >>> region_choices(pd.DataFrame({"region": ["Wales", "North East"]}),
    ...                pd.DataFrame({"region": ["National", "Wales"]}))
    ['All regions (national)', 'North East', 'Wales']
    """
    names = set(cases["region"].dropna().astype(str))
    if published is not None and "region" in published.columns:
        names |= set(published["region"].dropna().astype(str))
    names = {n for n in names if n.strip().casefold() not in _NATIONAL_NAMES}
    return [ALL_REGIONS, *sorted(names)]


def outcome_choice(outcome: str) -> str:
    """An outcome as the drop-down shows it: ``'new_offence'`` → ``'A new offence'``."""
    words = OUTCOME_LABELS.get(outcome, outcome.replace("_", " "))
    return words[:1].upper() + words[1:]


def _where(region: str, standard: str) -> str:
    place = "nationally" if region == ALL_REGIONS else f"in {region}"
    return f"{place} for {standard}"


def _table_or_message(table_bundle, frame, name, caption, empty) -> str:
    """The table, or for an empty selection a sentence saying there is nothing to show."""
    from html import escape

    if frame.empty:
        return (
            f'<p class="note" role="status">{escape(empty)} Choose another region, standard '
            "or data source.</p>"
        )
    row_header = "unit" if "unit" in frame.columns else None
    return table_bundle(frame, name, caption, row_header=row_header)[0]["text/html"]
