"""What a notebook cell asks of the slides: its slide type, its tags, and whether it is part of
an exercise's solution (which the decks leave out and the pages keep)."""

from __future__ import annotations

import copy

from ..exercises import cell_kind

# Cell tags: remove_input shows a cell's output without its code; remove_output the reverse;
# remove_cell leaves the cell out of the slides and the page altogether.
REMOVE_INPUT, REMOVE_OUTPUT, REMOVE_CELL = "remove_input", "remove_output", "remove_cell"


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def slide_type(cell) -> str:
    """``slide``, ``subslide``, ``fragment``, ``-``, ``notes`` or ``skip`` (``-`` when unset)."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


# nbgrader's kinds of cell that hold or check an answer: a code solution, a written answer, a
# test cell. The lecture shows the exercise and its hint; its solution is on the page.
SOLUTION_KINDS = ("solution", "answer", "tests")


def is_solution(cell) -> bool:
    """Whether the cell holds or checks an exercise's answer (nbgrader's metadata says so)."""
    return cell_kind(cell) in SOLUTION_KINDS


def on_a_slide(cell) -> bool:
    """Whether the deck shows the cell at all (not skipped, not a note, not removed, not a
    solution)."""
    return (
        slide_type(cell) not in ("skip", "notes")
        and REMOVE_CELL not in tags(cell)
        and not is_solution(cell)
    )


def without_solutions(notebook):
    """A copy of ``notebook`` for the deck: the exercises' solution cells left out."""
    deck = copy.deepcopy(notebook)
    deck.cells = [cell for cell in deck.cells if not is_solution(cell)]
    return deck


def text(value) -> str:
    """A notebook text field, stored either as one string or as a list of lines."""
    return "".join(value) if isinstance(value, list) else (value or "")
