"""The slides folder, written whole: ``<build>/slides/`` with every deck, page and asset, its
``decks.json`` (what was built, for the browser tests) and the two start pages.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

from .assets import copy_assets
from .index import Deck, index_page
from .render import render


def _clear_old(slides_dir: Path) -> None:
    """Remove the decks, pages and screenshots of an earlier build (a renamed notebook's too)."""
    for pattern in ("[0-9][0-9]_*.slides.html", "[0-9][0-9]_*.html", "[0-9][0-9]_*.png"):
        for old in slides_dir.glob(pattern):
            old.unlink()


def _manifest(decks: list[Deck], profile: str) -> str:
    entries = [
        {
            "notebook": str(deck.source),
            "executed": str(deck.executed) if deck.executed else None,
            "status": deck.status,
            "deck": deck.deck.name if deck.deck else None,
            "page": deck.page.name if deck.page else None,
            "moved_outputs": deck.moved_outputs,
        }
        for deck in decks
    ]
    return json.dumps({"profile": profile, "decks": entries}, indent=1)


def build(
    decks: list[Deck],
    build_dir: Path,
    profile: str,
    results_markdown: str,
    node_modules: Path | None = None,
) -> list[Deck]:
    """Render every deck whose notebook ran (``status`` "ok") from its executed copy, and write
    ``decks.json``, ``slides/index.html`` and ``build/index.html``. A deck without an executed
    copy is marked "missing"; the others get their files and moved-output count."""
    slides_dir = build_dir / "slides"
    slides_dir.mkdir(parents=True, exist_ok=True)
    _clear_old(slides_dir)
    copy_assets(slides_dir, node_modules)
    to_render = []
    for deck in decks:
        if deck.status != "ok":
            continue
        if deck.executed is None or not deck.executed.exists():
            deck.status, deck.message = "missing", f"no executed copy at {deck.executed}"
            continue
        to_render.append(deck)
    for deck, rendered in zip(to_render, _render_all(to_render, slides_dir, profile), strict=True):
        deck.deck, deck.page, deck.moved_outputs = rendered
        print(f"  {deck.deck}  ({deck.moved_outputs} long output(s) moved to sub-slides)")
    (slides_dir / "decks.json").write_text(_manifest(decks, profile))
    (slides_dir / "index.html").write_text(index_page(decks, results_markdown, profile, ""))
    (build_dir / "index.html").write_text(index_page(decks, results_markdown, profile, "slides/"))
    return decks


def _render_all(decks: list[Deck], slides_dir: Path, profile: str):
    """:func:`render` for each deck, in order; on every core when there are several, since a
    deck renders on one (10 decks: 24 s in one process on a 2-core machine)."""
    arguments = ([deck.executed for deck in decks], repeat(slides_dir),
                 [deck.name for deck in decks], repeat(profile))
    processes = min(os.cpu_count() or 1, len(decks))
    if processes < 2:
        return list(map(render, *arguments))
    with ProcessPoolExecutor(processes) as pool:
        return list(pool.map(render, *arguments))
