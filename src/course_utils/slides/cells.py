"""What a notebook cell asks of the slides: its slide type and its tags."""

from __future__ import annotations

# Cell tags: remove_input shows a cell's output without its code; remove_output the reverse;
# remove_cell leaves the cell out of the slides and the page altogether.
REMOVE_INPUT, REMOVE_OUTPUT, REMOVE_CELL = "remove_input", "remove_output", "remove_cell"


def tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def slide_type(cell) -> str:
    """``slide``, ``subslide``, ``fragment``, ``-``, ``notes`` or ``skip`` (``-`` when unset)."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def on_a_slide(cell) -> bool:
    """Whether the deck shows the cell at all (not skipped, not a note, not removed)."""
    return slide_type(cell) not in ("skip", "notes") and REMOVE_CELL not in tags(cell)


def text(value) -> str:
    """A notebook text field, stored either as one string or as a list of lines."""
    return "".join(value) if isinstance(value, list) else (value or "")
