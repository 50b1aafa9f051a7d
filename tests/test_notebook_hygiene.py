"""Every notebook: valid, numbered, slide metadata on every cell, outputs only on checked cells,
the standard opening, declared data sets, and no progress bars."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from course_utils.notebooks import is_checked
from course_utils.runner import declared_datasets

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
LOADERS = {
    "load_imdb": "imdb",
    "load_imdb_padded": "imdb",
    "load_imdb_word_index": "imdb",
    "load_tiny_shakespeare": "tinyshakespeare",
    "load_jena_climate": "jena_climate",
}


def read(path):
    return nbformat.read(path, as_version=4)


def code(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def test_notebooks_are_numbered_in_teaching_order():
    names = [path.name for path in NOTEBOOKS]
    assert names, "no notebooks found"
    assert all(re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", name) for name in names), names
    assert [int(name[:2]) for name in names] == list(range(1, len(names) + 1))


@pytest.fixture(params=NOTEBOOKS, ids=lambda path: path.stem)
def notebook(request):
    return request.param, read(request.param)


def test_valid_with_kernel_metadata(notebook):
    _, nb = notebook
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.kernelspec.language == "python"


def test_every_cell_has_slide_metadata(notebook):
    _, nb = notebook
    for index, cell in enumerate(nb.cells):
        assert cell.metadata.get("slideshow", {}).get("slide_type") in SLIDE_TYPES, index


def test_outputs_only_on_checked_cells(notebook):
    _, nb = notebook
    for index, cell in enumerate(code(nb)):
        if is_checked(cell):
            assert cell.outputs, f"checked code cell {index} has no stored output"
            assert all(o.get("name") != "stderr" for o in cell.outputs), index
        else:
            assert not cell.outputs and cell.execution_count is None, f"code cell {index}"


def test_opens_with_a_title_and_the_setup_cell(notebook):
    path, nb = notebook
    number = path.name[:2]
    assert nb.cells[0].cell_type == "markdown"
    assert nb.cells[0].source.startswith(f"# {number} · ")
    assert "you will be able to" in nb.cells[0].source
    setup = code(nb)[0]
    assert f'course_utils.setup("{number}")' in setup.source
    assert "google" not in setup.source.lower() or "colab" in setup.source.lower()


def test_ends_with_summary_exercises_and_references(notebook):
    _, nb = notebook
    first_lines = [cell.source.splitlines()[0] for cell in nb.cells if cell.cell_type == "markdown"]
    sections = [line for line in first_lines if line.startswith("## ")]  # not the exercises' ###
    assert sections[-3:] == ["## Summary", "## Exercises", "## References"]
    references = nb.cells[-1].source
    assert re.search(r"\(\d{4}\)", references), "references name their year, as (1997)"


def test_every_cell_has_an_id(notebook):
    """Ids are required from nbformat 4.5 on; nbformat.read would add missing ones silently."""
    path, _ = notebook
    raw = json.loads(path.read_text())
    assert all("id" in cell for cell in raw["cells"]), [
        index for index, cell in enumerate(raw["cells"]) if "id" not in cell
    ]


def test_declares_exactly_the_data_sets_it_loads(notebook):
    _, nb = notebook
    source = "\n".join(cell.source for cell in code(nb))
    used = {dataset for loader, dataset in LOADERS.items() if re.search(rf"\b{loader}\(", source)}
    assert set(declared_datasets(nb)) == used


def kept_runs(nb) -> tuple[bool, bool]:
    """Whether the notebook trains and keeps a run for others (``fit_or_load(..., load=False)``),
    and whether it loads one (a ``fit_or_load`` call without ``load=False``)."""
    calls = [
        call_arguments(cell.source, match.end())
        for cell in code(nb)
        for match in re.finditer(r"\bfit_or_load\(", cell.source)
    ]
    keeps = [re.search(r"\bload=False\b", arguments) is not None for arguments in calls]
    return any(keeps), not all(keeps)


def test_a_notebook_that_loads_kept_runs_names_the_notebooks_that_train_them(notebook):
    """``make run`` starts it only after them (README, "Two notebooks at a time"), so that it loads
    their runs instead of training the same models beside them."""
    path, nb = notebook
    _, loads = kept_runs(nb)
    named = nb.metadata.get("course", {}).get("loads_runs_from", [])
    assert bool(named) == loads, f"{path.name}: loads kept runs: {loads}; names {named}"
    earlier = {p.stem: p for p in NOTEBOOKS if p.name < path.name}
    for name in named:
        assert name in earlier, f"{path.name} names {name}, which is not an earlier notebook"
        assert kept_runs(read(earlier[name]))[0], f"{name} keeps no run for {path.name}"


def call_arguments(source: str, start: int) -> str:
    """The text between the parenthesis that opens at ``start - 1`` and its match."""
    depth = 1
    for end in range(start, len(source)):
        depth += {"(": 1, ")": -1}.get(source[end], 0)
        if depth == 0:
            return source[start:end]
    raise AssertionError(f"unbalanced call at {source[start - 20 : start]!r}")


def test_no_progress_bars_and_seeded(notebook):
    _, nb = notebook
    source = "\n".join(cell.source for cell in code(nb))
    assert not re.search(r"verbose\s*=\s*(1|True|\"auto\")", source)
    training = list(re.finditer(r"(?<!Normaliser)\.fit\(|\bfit_and_keep_best\(", source))
    for call in training:
        arguments = call_arguments(source, call.end())
        assert re.search(r"verbose\s*=\s*[02]\b", arguments), f"no verbose=0 or 2: {arguments[:80]}"
    if training:
        assert "keras.utils.set_random_seed(" in source


PLUMBING = "# Plumbing, not the lesson: record this run's results for the course's results table"


def test_results_are_recorded_off_the_slides_in_one_plumbing_cell(notebook):
    """Recording is bookkeeping: one cell before the summary, left out of the deck and page."""
    _, nb = notebook
    recording = [
        index
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and re.search(r"\brecord(_timing)?\(", cell.source)
    ]
    if not recording:
        return
    assert len(recording) == 1, f"record() calls in cells {recording}: keep them in one cell"
    cell = nb.cells[recording[0]]
    assert cell.source.startswith(PLUMBING), cell.source[:80]
    assert "remove_cell" in cell.metadata.get("tags", [])
    assert cell.metadata["slideshow"]["slide_type"] == "skip"
    summary = next(i for i, c in enumerate(nb.cells) if c.source.startswith("## Summary"))
    assert recording[0] < summary
