"""Plan report runs: which notebook x region runs exist, and which are up to date.

A run is described by a frozen :class:`~analysis.runs.spec.RunSpec` (picklable, so it can go
to a worker process or a dask worker). A run is up to date, and skipped, when its notebook file, its parameters, the input
data files, the package version and the package's own source are all unchanged since a
successful run whose outputs still exist. Only the standard library is used here, so deciding
that nothing needs to run is fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

from .. import __version__, config
from ..exceptions import ParameterError
from ..settings import cell_timeout
from .datasets import built_datasets, kind_without_dataset
from .parameters import (
    canonical_region,
    known_regions,
    notebook_parameters,
    region_slug,
    validate_parameters,
)
from .spec import RunManifest, RunSpec

__all__ = [
    "plan_runs",
    "discover_notebooks",
    "data_hashes",
    "code_version",
    "resolve_selection",
]

_IGNORED_DATA_FILES = {"README.md", "manifest.json"}


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _display_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(config.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path.resolve())


PUBLISHED_TABLES = (
    "reference",
    "pdu_aliases",
    "published_ratings",
    "published_key_questions",
    "published_figures",
    "offending_factors_2013",
    "youth_justice_ratings",
    "extracted_reports",
    "extracted_ratings",
)
"""Processed tables a published-data notebook (``"analysis": {"data": "published"}``) reads."""
PUBLISHED_RAW = ("published", "reference", "extracted")
"""Folders of ``data/raw`` those tables are built from."""


def _published(folder: Path, parts: tuple[str, ...], processed: Path) -> bool:
    if folder == processed:
        return len(parts) == 1 and Path(parts[0]).stem in PUBLISHED_TABLES
    return parts[0] in PUBLISHED_RAW


def data_hashes(
    processed_dir: str | os.PathLike[str] | None = None, *, published_only: bool = False
) -> dict[str, str]:
    """SHA-256 of every input data file: the processed folder and ``data/raw``.

    The files themselves are hashed (not ``manifest.json``, which describes them and may carry
    a build time), so a file changed by hand is noticed too. With ``published_only``, only the
    inputs of a published-data notebook (:data:`PUBLISHED_TABLES`, :data:`PUBLISHED_RAW`):
    no case-level or synthetic file is among them, so changing one does not rerun it.

    Returns
    -------
    dict of str to str
        Path (relative to the project root where possible) to hex digest, sorted by path.
    """
    return {
        path: digest
        for path, (digest, published) in _hash_files(processed_dir).items()
        if published or not published_only
    }


def _hash_files(processed_dir) -> dict[str, tuple[str, bool]]:
    """Every input file: display path to (digest, whether a published-data notebook reads it)."""
    processed = Path(processed_dir) if processed_dir else config.PROCESSED_DIR
    hashes: dict[str, tuple[str, bool]] = {}
    for folder in (processed, config.RAW_DIR):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            parts = path.relative_to(folder).parts
            if (
                not path.is_file()
                or path.name in _IGNORED_DATA_FILES
                or any(p.startswith((".", "__")) for p in parts)
            ):
                continue
            published = _published(folder, parts, processed)
            hashes[_display_path(path)] = (_sha256_file(path), published)
    return dict(sorted(hashes.items()))


def _source_hash(root: Path | None = None) -> str:
    """One digest over the package's own files (code, framework TOML, templates)."""
    root = root or Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_version() -> str:
    """Package version plus ``git describe --always --dirty`` when the project is a git checkout."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            cwd=config.PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        described = ""
    return f"{__version__} (git {described})" if described else __version__


def _batch_enabled(path: Path) -> bool:
    try:
        meta = json.loads(path.read_text("utf-8")).get("metadata", {})
    except (OSError, ValueError):
        return True  # let the run fail visibly rather than hide the notebook
    return meta.get("analysis", {}).get("batch", True) is not False


def discover_notebooks(notebooks=None, notebooks_dir: Path | None = None) -> list[Path]:
    """The notebooks to run: those named (stem, file name, unique prefix or path), else all.

    Without names, every ``*.ipynb`` in the notebooks folder is taken except those whose
    metadata says ``"analysis": {"batch": false}`` (interactive notebooks).

    Raises
    ------
    ParameterError
        If a name matches no notebook, or a prefix matches several.
    """
    folder = Path(notebooks_dir or config.NOTEBOOKS_DIR)
    available = sorted(folder.glob("*.ipynb"))
    if notebooks is None:
        return [p for p in available if _batch_enabled(p)]
    if isinstance(notebooks, str | os.PathLike):
        notebooks = [notebooks]
    chosen: list[Path] = []
    for name in notebooks:
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            chosen.append(path.resolve())
            continue
        stem = path.name.removesuffix(".ipynb")
        matches = [p for p in available if p.stem == stem] or [
            p for p in available if p.stem.startswith(stem)
        ]
        if len(matches) != 1:
            from ..data.normalise import suggest
            from ..data.reference import did_you_mean

            known = [p.stem for p in available]
            what = "matches several notebooks" if matches else "matches no notebook"
            hint = "" if matches else did_you_mean(suggest(stem, known))
            raise ParameterError(
                f"Notebook {str(name)!r} {what} in {folder}.{hint} Known: {', '.join(known) or 'none'}."
            )
        chosen.append(matches[0])
    return list(dict.fromkeys(chosen))


def resolve_selection(regions=None, notebooks=None) -> tuple[list[Path], list[str | None]]:
    """The notebooks and regions a batch covers, checked (nothing is read but names).

    Raises
    ------
    ParameterError
        If a region or notebook name is unknown.
    """
    return discover_notebooks(notebooks), _regions(regions)


def _regions(regions) -> list[str | None]:
    if regions is None:
        return [None, *known_regions()]
    if isinstance(regions, str):
        regions = [regions]
    problems, result = [], []
    for name in regions:
        try:
            result.append(canonical_region(name))
        except ParameterError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError("\n".join(problems))
    return list(dict.fromkeys(result))


def _fingerprint(fields: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


_FINGERPRINT_FIELDS = {
    "notebook_sha256": "the notebook changed",
    "parameters": "the parameters changed",
    "data_hashes": "the input data changed",
    "package_version": "the package version changed",
    "source_sha256": "the package's code changed",
    "kernel": "the kernel changed",
}


def _rerun_reason(spec: RunSpec, previous: RunManifest | None) -> str | None:
    """Why a run must execute, in words; None when it is up to date."""
    if previous is None:
        return "never run"
    if previous.problem:
        return f"its manifest cannot be used ({previous.problem})"
    if previous.status == "running":
        return "the last run did not finish (the runner was stopped)"
    if previous.status == "interrupted":
        return "the last run was interrupted"
    if previous.status != "ok":
        return "the last run failed"
    if previous.fingerprint != spec.fingerprint:
        changed = [
            why
            for key, why in _FINGERPRINT_FIELDS.items()
            if getattr(previous, key) != getattr(spec, key)
        ]
        return "; ".join(changed) or "its inputs changed"
    outputs = previous.outputs
    files = [outputs.get("html"), outputs.get("ipynb"), *(outputs.get("tables") or [])]
    missing = [
        f if isinstance(f, str) else "?"
        for f in files
        if not (isinstance(f, str) and f and (spec.reports_dir / f).is_file())
    ]
    if missing:
        return "outputs missing: " + ", ".join(missing)
    return None


def _targets(notebooks: list[Path], regions: list[str | None], datasets: list[dict]):
    """Every run: (notebook, region, dataset or None), with its key and output folder.

    The one place the loop dimensions are combined. A notebook that declares a ``dataset``
    parameter runs once per dataset that has cases in the region (national: any), into
    ``<dataset>/<region>/``; a notebook without one (published data only) runs once per
    region, into ``<region>/``.
    """
    for nb in notebooks:
        per_dataset = "dataset" in notebook_parameters(nb)
        for region in regions:
            slug = region_slug(region)
            if not per_dataset:
                yield nb, region, None, f"{slug}__{nb.stem}", slug
                continue
            for d in datasets:
                if region is None or d["regions"] is None or region in d["regions"]:
                    key, folder = f"{d['name']}__{slug}__{nb.stem}", f"{d['name']}/{slug}"
                    yield nb, region, d, key, folder


def plan_runs(
    regions=None,
    notebooks=None,
    *,
    force: bool = False,
    processed_dir: str | os.PathLike[str] | None = None,
    reports_dir: str | os.PathLike[str] | None = None,
    kernel_name: str | None = None,
    dataset: str | None = None,
) -> list[RunSpec]:
    """Describe every run (notebook x region x dataset) and decide which need executing.

    Notebooks with a ``dataset`` parameter run once per case-level dataset built (or only
    ``dataset``), for the regions that dataset covers; real and synthetic datasets are never
    pooled in one run.

    Each run is a :class:`~analysis.runs.spec.RunSpec` with ``action``: ``"run"``, ``"skip"``
    (up to date: same notebook, parameters, input data and code as a successful run whose
    outputs exist) or ``"invalid"`` (its parameters were refused, ``error`` says why; no kernel
    is started for it). ``reason`` says why a run executes; ``previous`` is the last manifest.
    A manifest that cannot be used (unreadable, ``null``, a list) means the run executes again.

    Raises
    ------
    ParameterError
        If a region or notebook name is unknown, or ``processed_dir`` is not a folder.
    """
    reports = Path(reports_dir or config.REPORTS_DIR).resolve()
    paths, region_list = resolve_selection(regions, notebooks)
    if processed_dir is not None and not Path(processed_dir).is_dir():
        raise ParameterError(f"processed_dir {str(processed_dir)!r} is not a folder.")
    files = _hash_files(processed_dir)
    all_hashes = {path: digest for path, (digest, _) in files.items()}
    published_hashes = {path: digest for path, (digest, pub) in files.items() if pub}
    kernel = kernel_name or config.KERNEL_NAME
    common = {"package_version": __version__, "source_sha256": _source_hash(), "kernel": kernel}
    timeout = cell_timeout()
    nb_hashes = {nb: _sha256_file(nb) for nb in paths}
    plan = []
    datasets = built_datasets(processed_dir, dataset)
    for nb, region, chosen, key, folder in _targets(paths, region_list, datasets):
        published_only = chosen is None and kind_without_dataset(nb) == "real"
        hashes = published_hashes if published_only else all_hashes
        given: dict[str, Any] = {"region": region}
        if chosen is not None:
            given["dataset"] = chosen["name"]
        if processed_dir is not None:
            given["processed_dir"] = str(Path(processed_dir).resolve())
        spec = RunSpec(
            key=key,
            notebook=nb,
            notebook_relpath=_display_path(nb),
            notebook_stem=nb.stem,
            notebook_sha256=nb_hashes[nb],
            region=region,
            region_slug=region_slug(region),
            dataset=chosen["name"] if chosen else None,
            dataset_kind=chosen["kind"] if chosen else kind_without_dataset(nb),
            disclosure_threshold=chosen.get("disclosure_threshold") if chosen else None,
            reports_dir=reports,
            folder=folder,
            parameters=given,
            data_hashes=hashes,
            kernel_names=(kernel, kernel),
            execution_timeout=timeout,
            **common,
        )
        previous = RunManifest.read(spec.manifest)
        spec = replace(spec, previous=previous)
        try:
            parameters = validate_parameters(nb, given)
        except ParameterError as exc:
            plan.append(replace(spec, action="invalid", error=str(exc), reason="refused"))
            continue
        fingerprint = _fingerprint(
            {
                "notebook_sha256": spec.notebook_sha256,
                "parameters": parameters,
                "data_hashes": hashes,
                **common,
            }
        )
        spec = replace(spec, parameters=parameters, fingerprint=fingerprint)
        reason = "forced" if force else _rerun_reason(spec, previous)
        plan.append(
            replace(spec, action="run" if reason else "skip", reason=reason or "up to date")
        )
    return plan
