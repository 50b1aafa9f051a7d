"""The instructor's start page, ``index.html``: every notebook's deck and page, and the results.

:class:`Deck` is one notebook's line on it: what the run said of the notebook and what the build
wrote for it. The page itself is the template ``templates/course_index.html.j2``.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import markupsafe
import mistune
import nbformat

NO_RESULTS = (
    "<p>No results with this build: <code>make slides</code> shows those of the run it makes "
    "(with <code>--executed</code>, name their folder with <code>--results</code>).</p>"
)


@dataclass
class Deck:
    name: str  # NN_topic
    source: Path
    status: str  # "ok", or the runner's "failed"/"skipped"/..., or "missing" (no executed copy)
    message: str = ""
    deck: Path | None = None
    page: Path | None = None
    moved_outputs: int = 0
    title: str = ""
    executed: Path | None = None  # the executed copy to render


def title_of(path: Path) -> str:
    """The notebook's first heading without its number ("Language modelling with windows");
    from the file name when the notebook cannot be read (the runner reports why)."""
    try:
        notebook = nbformat.read(path, as_version=4)
    except (OSError, ValueError):
        return path.stem[3:].replace("_", " ")
    for cell in notebook.cells:
        heading = (
            re.search(r"^#\s+(.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        )
        if heading:
            return re.sub(r"^\d+\s*[·.:-]\s*|^\d+\s+", "", heading.group(1)).strip()
    return path.stem[3:].replace("_", " ")


def results_html(markdown_text: str) -> str:
    """A Markdown results table as HTML (its cells escaped), or a line saying there is none."""
    if not markdown_text.strip():
        return NO_RESULTS
    to_html = mistune.create_markdown(plugins=["table"], escape=True)
    return to_html(markdown_text)


def _row(deck: Deck) -> dict:
    row = {"number": deck.name[:2], "title": deck.title or deck.name[3:], "status": deck.status}
    if deck.status == "ok" and deck.deck and deck.page:
        row.update(deck=deck.deck.name, page=deck.page.name)
        moved = deck.moved_outputs
        row["note"] = f"{moved} long output(s) on sub-slides" if moved else ""
    else:
        row["note"] = deck.message.splitlines()[0] if deck.message else ""
    return row


def index_page(decks: list[Deck], results_markdown: str, profile: str, prefix: str) -> str:
    """The start page, linking each deck and page as ``prefix`` + its file name."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader(__package__, "templates"),
        autoescape=True,
        trim_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("course_index.html.j2").render(
        rows=[_row(deck) for deck in decks],
        results_html=markupsafe.Markup(results_html(results_markdown)),
        profile=profile,
        prefix=prefix,
        built=time.strftime("%Y-%m-%d %H:%M"),
    )
