"""A definition saved into ``course_utils`` from the notebook that teaches it stays word for word
the notebook's: the lesson shows the code that later notebooks call."""

from __future__ import annotations

import ast
import inspect
import textwrap
from pathlib import Path

import nbformat
import pytest

from course_utils import models, runs

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"

# name in course_utils -> (notebook that teaches it, the module that keeps it)
SAVED = {
    "sentiment_model": ("03_imdb_simple_rnn", models),
    "forecaster": ("06_dropout", models),
}


def definition_in_notebook(notebook: str, name: str) -> str:
    cells = nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4).cells
    for cell in cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return ast.get_source_segment(cell.source, node)
    raise AssertionError(f"notebook {notebook} does not define {name}")


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_definition_is_the_notebooks(name):
    notebook, module = SAVED[name]
    saved = textwrap.dedent(inspect.getsource(getattr(module, name))).strip()
    assert definition_in_notebook(notebook, name).strip() == saved


def test_helpers_say_which_notebook_introduced_them():
    for name, (notebook, module) in SAVED.items():
        assert f"notebook {notebook[:2]}" in getattr(module, name).__doc__, name
    assert "notebook 03 introduces" in runs.__doc__
