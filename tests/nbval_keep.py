"""A pytest plugin for the nbval run: keep each notebook as nbval executed it, outputs included.

``make nbval`` loads it (``-p tests.nbval_keep --nbval-keep DIR``) so that ``make test`` can
render the smoke-profile slides from nbval's own run instead of executing every notebook twice.
nbval keeps each cell's fresh outputs on its test item (``test_outputs``); at the end of the
session they are written back into a copy of the notebook, in ``DIR/<notebook>.ipynb``.

Each nbval run writes into a folder of its own (the Makefile names it), so that two runs at once
never delete or overwrite each other's files; ``--nbval-link LINK=TARGET`` then points a fixed
name (``build/nbval-notebooks``) at this run's folder when the session ends, in one rename.
"""

from __future__ import annotations

import contextlib
import copy
import os
import time
from pathlib import Path

import nbformat
import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--nbval-keep",
        metavar="DIR",
        default=None,
        help="write each notebook that nbval ran, with the outputs of this run, into DIR",
    )
    parser.addoption(
        "--nbval-link",
        metavar="LINK=TARGET",
        action="append",
        default=[],
        help="when the session ends, make LINK a symbolic link to TARGET (replaced in one rename)",
    )


def _notebook_of(item):
    notebook = getattr(item.parent, "nb", None)
    return notebook if getattr(item, "cell", None) is not None and notebook is not None else None


def executed_notebooks(items) -> dict[Path, nbformat.NotebookNode]:
    """The notebooks behind nbval's cell items, each with the outputs its cells gave this run.

    A notebook any of whose code cells did not run (a failure stopped it, or it was deselected)
    is left out: a half-executed notebook must not become a deck.
    """
    by_file: dict[Path, list] = {}
    for item in items:
        if _notebook_of(item) is not None:
            by_file.setdefault(Path(str(item.parent.fspath)), []).append(item)
    kept = {}
    for path, cell_items in by_file.items():
        notebook = cell_items[0].parent.nb
        outputs = {id(item.cell): item.test_outputs for item in cell_items}
        code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        if any(outputs.get(id(cell)) is None for cell in code_cells):
            continue
        executed = copy.deepcopy(notebook)
        count = 0
        for original, cell in zip(notebook.cells, executed.cells, strict=True):
            if cell.cell_type != "code":
                continue
            count += 1
            cell.execution_count = count
            cell.outputs = [nbformat.from_dict(dict(output)) for output in outputs[id(original)]]
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count
        kept[path] = executed
    return kept


def _partly_run(items) -> set[Path]:
    """Notebooks some of whose cells ran in this process and some not. Under pytest-xdist each
    worker collects every notebook but runs only its share: one it did not touch is another
    worker's, and is left alone."""
    ran: dict[Path, set[bool]] = {}
    for item in items:
        if _notebook_of(item) is not None:
            path = Path(str(item.parent.fspath))
            ran.setdefault(path, set()).add(getattr(item, "test_outputs", None) is not None)
    return {path for path, seen in ran.items() if seen == {True, False}}


def point_link(link: Path, target: Path) -> None:
    """Make ``link`` a symbolic link to the folder ``target`` (relative, so that the build folder
    can move), replacing what was there in one rename: a reader finds the previous target or
    this one, never neither. A real folder or file at ``link`` (an older Makefile filled
    build/nbval-results in place) is renamed aside, never deleted."""
    target.mkdir(parents=True, exist_ok=True)
    if link.exists() and not link.is_symlink():
        aside = link.with_name(f"{link.name}.before-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}")
        with contextlib.suppress(FileNotFoundError):  # another run moved it first
            link.rename(aside)
    temporary = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(os.path.relpath(target, link.parent))
    os.replace(temporary, link)


def links(values: list[str]) -> list[tuple[Path, Path]]:
    """``--nbval-link`` values as ``(link, target)`` pairs."""
    pairs = [value.split("=", 1) for value in values]
    for value, pair in zip(values, pairs, strict=True):
        if len(pair) != 2 or not all(pair):
            raise pytest.UsageError(f"--nbval-link takes LINK=TARGET, not {value!r}")
    return [(Path(link), Path(target)) for link, target in pairs]


def pytest_configure(config):
    links(config.getoption("--nbval-link"))  # a mistyped option stops before any notebook runs


def pytest_sessionfinish(session, exitstatus):
    _keep_executed(session)
    for link, target in links(session.config.getoption("--nbval-link")):
        point_link(link, target)


def _keep_executed(session) -> None:
    folder = session.config.getoption("--nbval-keep")
    if not folder:
        return
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    kept = executed_notebooks(session.items)
    for path in _partly_run(session.items):  # a notebook that stopped half-way leaves no copy
        (folder / path.name).unlink(missing_ok=True)
    for path, notebook in kept.items():
        nbformat.write(notebook, folder / path.name)
