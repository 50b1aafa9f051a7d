"""Keep slides within the screen: a long text output moves to a sub-slide of its own.

A slide whose cells would stand taller than SLIDE_BUDGET (estimated by :mod:`.heights`) has a text
output of at least MOVABLE_LINES lines (a model summary, a training log) moved to a new sub-slide
right after its code: a one-line caption, then the output alone, then the rest of the slide.
"""

from __future__ import annotations

import copy

import nbformat

from .cells import REMOVE_CELL, REMOVE_INPUT, REMOVE_OUTPUT, on_a_slide, slide_type, tags, text
from .heights import estimated_height, output_lines
from .screen import SLIDE_HEIGHT

# The estimate is rough, and the deck shrinks a slide a little to fit: only a slide well above
# the screen is split.
SLIDE_BUDGET = SLIDE_HEIGHT / 0.85
MOVABLE_LINES = 6
_CAPTION_PX = 40
MOVED_OUTPUT_CLASS = "course-moved-output"  # the caption's class (styled, counted by the tests)


def coalesce_streams(cell) -> None:
    """Join consecutive prints to one stream, as a reader sees them (a training log, say)."""
    merged = []
    for output in cell.get("outputs", []):
        last = merged[-1] if merged else None
        if (
            last is not None
            and output.get("output_type") == "stream"
            and last.get("output_type") == "stream"
            and last.get("name") == output.get("name")
        ):
            last["text"] = text(last["text"]) + text(output["text"])
        else:
            merged.append(output)
    if "outputs" in cell:
        cell["outputs"] = merged


def _movable(cell) -> bool:
    """A code cell shown with its code whose text output could stand on a slide of its own."""
    if cell.cell_type != "code" or not on_a_slide(cell):
        return False
    if tags(cell) & {REMOVE_INPUT, REMOVE_OUTPUT}:
        return False
    return output_lines(cell) >= MOVABLE_LINES


def _slides_of(cells: list) -> list[list]:
    """The cells grouped as reveal.js shows them: one group per slide or sub-slide."""
    groups: list[list] = []
    for cell in cells:
        kind = "-" if REMOVE_CELL in tags(cell) else slide_type(cell)
        starts = kind in ("slide", "subslide")
        if not groups or (starts and any(estimated_height(c) for c in groups[-1])):
            groups.append([])
        groups[-1].append(cell)
    return groups


def _split_output(cell) -> tuple:
    """The code without its output, a caption starting a sub-slide, and the output alone.

    The new cells' ids follow the code cell's, so that the same notebook renders the same deck.
    """
    outputs, cell.outputs = cell.outputs, []
    base = (cell.get("id") or "cell")[:48]
    caption = nbformat.v4.new_markdown_cell(
        f'<p class="{MOVED_OUTPUT_CLASS}">Output of the code on the previous slide</p>',
        metadata={"slideshow": {"slide_type": "subslide"}},
        id=f"{base}-moved-caption",
    )
    output = nbformat.v4.new_code_cell(
        cell.source,
        id=f"{base}-moved-output",
        metadata={"slideshow": {"slide_type": "-"}, "tags": sorted(tags(cell) | {REMOVE_INPUT})},
        outputs=outputs,
        execution_count=cell.get("execution_count"),
    )
    return cell, caption, output


def _fit(group: list) -> tuple[list, int]:
    """``group`` (one slide's cells), with outputs moved to sub-slides until each part fits.

    The output moved is the one that leaves the two parts most even; each part is fitted again.
    """
    heights = [estimated_height(cell) for cell in group]
    total = sum(heights)
    if total <= SLIDE_BUDGET:
        return group, 0
    best = None
    for index, cell in enumerate(group):
        if not _movable(cell):
            continue
        before = sum(heights[:index]) + estimated_height(cell, with_output=False)
        after = _CAPTION_PX + estimated_height(cell, with_input=False) + sum(heights[index + 1 :])
        if best is None or max(before, after) < best[0]:
            best = (max(before, after), index)
    if best is None or best[0] >= total:
        return group, 0  # nothing to move that would help: the deck shrinks or scrolls it
    index = best[1]
    code, caption, output = _split_output(group[index])
    head, moved_head = _fit([*group[:index], code])
    tail, moved_tail = _fit([caption, output, *group[index + 1 :]])
    return head + tail, 1 + moved_head + moved_tail


def move_long_outputs(notebook: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, int]:
    """A copy of ``notebook`` in which no slide is much taller than the screen, if moving helps.

    The moved output is the same cell again, tagged ``remove_input``, after a caption
    ("Output of the code on the previous slide") that starts a sub-slide. Consecutive prints are
    joined first, as the deck shows them. Returns the copy and how many outputs moved.
    """
    prepared = copy.deepcopy(notebook)
    for cell in prepared.cells:
        coalesce_streams(cell)
    cells, moved = [], 0
    for group in _slides_of(prepared.cells):
        fitted, count = _fit(group)
        cells += fitted
        moved += count
    prepared.cells = cells
    return prepared, moved
