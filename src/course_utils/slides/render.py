"""One executed notebook rendered twice: ``NN_topic.slides.html`` (the deck) and ``NN_topic.html``.

The deck is rendered from a copy with long outputs on sub-slides of their own; the page from the
notebook as it ran. Each is checked offline before it is written: a page that would load anything
from outside its folder, or a notebook with a mermaid diagram (not bundled), stops the build.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from .audit import outside_urls
from .cells import without_solutions
from .errors import SlidesError
from .exporters import page_exporter, slides_exporter, template_values
from .long_outputs import move_long_outputs


def check_no_mermaid(notebook: nbformat.NotebookNode, name: str) -> None:
    """Raise :class:`SlidesError` when ``notebook`` has a mermaid diagram, in a cell or output."""
    for cell in notebook.cells:
        in_output = any(
            "text/vnd.mermaid" in output.get("data", {}) for output in cell.get("outputs", [])
        )
        if in_output or (cell.cell_type == "markdown" and "```mermaid" in cell.source):
            raise SlidesError(
                f"{name} has a mermaid diagram: mermaid.js is not bundled with the offline "
                "decks; draw the diagram as an image instead."
            )


def _write_offline(path: Path, page: str) -> Path:
    outside = outside_urls(page)
    if outside:
        raise SlidesError(
            f"{path.name} would load {', '.join(sorted(set(outside))[:5])} from outside "
            "the build folder; every script, style sheet and image must be local or embedded."
        )
    path.write_text(page, encoding="utf-8")
    return path


def render(executed: Path, slides_dir: Path, name: str, profile: str) -> tuple[Path, Path, int]:
    """Write ``name.slides.html`` and ``name.html`` for one executed notebook into ``slides_dir``.

    Returns the deck's path, the page's path and how many long outputs moved to sub-slides.
    """
    notebook = nbformat.read(executed, as_version=4)
    check_no_mermaid(notebook, name)
    resources = {
        "metadata": {"name": name, "path": str(executed.parent)},
        "course": template_values(profile),
    }
    prepared, moved = move_long_outputs(without_solutions(notebook))
    deck_html, _ = slides_exporter().from_notebook_node(prepared, resources=dict(resources))
    page_html, _ = page_exporter().from_notebook_node(notebook, resources=dict(resources))
    deck = _write_offline(slides_dir / f"{name}.slides.html", deck_html)
    page = _write_offline(slides_dir / f"{name}.html", page_html)
    return deck, page, moved
