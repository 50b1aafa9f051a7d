"""Before a notebook runs: can the data sets it declares (``course.datasets``) be had?

In the full profile a notebook whose data cannot be had is skipped with the data layer's own
message; in the smoke profile it runs, because the notebooks fall back to stand-ins themselves.
A corrupt file or a broken mirror is never passed over: its message stops the notebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..data import CourseDataError, DataUnavailableError, files_of, locate
from ..notebooks import declared_datasets
from ..profiles import Profile


def missing_data(datasets: list[str], profile: Profile) -> str | None:
    """The data layer's message for the first unavailable file, or ``None`` when all are there.

    In the smoke profile nothing is missing: the notebooks fall back to stand-ins themselves.
    """
    for dataset in datasets:
        for remote in files_of(dataset):
            try:
                locate(remote)
            except DataUnavailableError as error:
                if profile.allows_standins:
                    print(f"  {remote.relative_path} unavailable: the notebook will use a stand-in")
                    break
                return str(error)
            except CourseDataError as error:  # a corrupt file or a broken mirror: no fallback
                return str(error)
    return None


def why_it_cannot_run(
    path: Path, notebook: nbformat.NotebookNode, profile: Profile
) -> tuple[str, str] | None:
    """``("skipped", the data layer's message)`` when the notebook's data cannot be had,
    ``("failed", what to fix)`` when its metadata names an unknown data set, else ``None``."""
    try:
        reason = missing_data(declared_datasets(notebook), profile)
    except KeyError as error:  # files_of: a data set the registry does not know
        return "failed", (
            f"{path} names an unknown data set in its metadata (course.datasets): "
            f"{error.args[0]} Fix the notebook's metadata."
        )
    return ("skipped", reason) if reason else None
