"""Exceptions raised by the workspace: one flat hierarchy, each written for a person to read."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = [
    "AnalysisError",
    "UnknownFrameworkError",
    "FrameworkDefinitionError",
    "InputDataError",
    "ValidationFailed",
    "ParameterError",
    "ModelError",
    "RunFailed",
    "RunSetupError",
    "OutputFolderError",
    "RunnerGone",
    "RunsInterrupted",
    "InputDataWarning",
]


class AnalysisError(Exception):
    """Base class for every error the workspace raises on purpose."""


class UnknownFrameworkError(AnalysisError, KeyError):
    """An inspection framework id that is not registered."""

    def __init__(self, framework_id: str, known: list[str]):
        self.framework_id = framework_id
        self.known = known
        super().__init__(framework_id)

    def __str__(self) -> str:
        return (
            f"Unknown inspection framework {self.framework_id!r}. "
            f"Known frameworks: {', '.join(self.known)}. "
            "Add one with analysis.frameworks.register_file(path)."
        )


class FrameworkDefinitionError(AnalysisError):
    """A framework definition file is malformed (names the file and the field)."""


class InputDataError(AnalysisError, ValueError):
    """Input data that cannot be used as given: says which file, row, column and value."""


class InputDataWarning(UserWarning):
    """Input data that is used, but that the user should check: says which file and row."""


class ValidationFailed(AnalysisError):
    """Validation found one or more problems; ``failures`` holds them all as a tidy table.

    Columns of ``failures``: file, row, column, value, check, expected (and severity).
    """

    def __init__(self, message: str, failures: pd.DataFrame):
        self.failures = failures
        super().__init__(message)

    def __str__(self) -> str:
        base = super().__str__()
        try:
            table = self.failures.to_string(index=False, max_rows=40, max_colwidth=200)
        except Exception:  # pragma: no cover - failures may be anything a caller passed
            table = str(self.failures)
        return f"{base}\n{table}"


class ParameterError(AnalysisError, ValueError):
    """A notebook or command parameter that is unknown, of the wrong type or out of range."""


class ModelError(AnalysisError):
    """A statistical model could not be specified or fitted."""


class RunFailed(AnalysisError):
    """One or more notebook runs failed; ``failures`` lists them."""

    def __init__(self, message: str, failures: list | None = None):
        self.failures = failures or []
        super().__init__(message)


class RunSetupError(AnalysisError):
    """What a batch of runs needs is missing or unusable, so nothing ran.

    For example: the workspace kernel is not registered, the scheduler cannot be reached, the
    reports folder is unsafe to write into, or another runner holds its lock.
    """


class OutputFolderError(InputDataError, RunSetupError):
    """An output folder may not be written (not the command's own, raw data, the project) or
    another command holds its lock; nothing was written.

    One type for every command that writes a folder (build, extract, simulate, reports), so it
    is both an :class:`InputDataError` and a :class:`RunSetupError` for callers that catch
    either.
    """


class RunnerGone(AnalysisError):
    """A worker's runner no longer holds the reports folder's lock, so the worker writes nothing
    more for its run (the lock's fencing token is gone or belongs to another runner)."""


class RunsInterrupted(AnalysisError):
    """A batch was stopped (Ctrl-C or SIGTERM); runs in flight were recorded as interrupted."""

    def __init__(self, message: str, summary: object | None = None):
        self.summary = summary
        super().__init__(message)
