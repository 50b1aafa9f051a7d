"""Browser files the decks load (reveal.js 4, MathJax 2, require.js, jQuery), kept beside them.

``npm ci`` installs them into the checkout's ``node_modules/`` from ``package-lock.json``;
:func:`copy_assets` copies what the decks need into ``<slides>/assets/``, so that the folder works
offline as it is. The ``*_URL`` names are where a deck finds each file, relative to the deck.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ..checkout import repository_root
from .errors import SlidesError

ASSETS = "assets"  # the folder beside the decks that holds every script, style sheet and font

# What each deck loads: (package in node_modules, files or folders).
ASSET_FILES = {
    "reveal.js": [
        "dist/reveal.css",
        "dist/reveal.js",
        "dist/reset.css",
        "dist/theme/white.css",
        "dist/theme/fonts/source-sans-pro",
        "plugin/notes/notes.js",
        "LICENSE",
    ],
    "mathjax": [
        "MathJax.js",
        "config/TeX-AMS_CHTML-full.js",
        "config/Safe.js",
        "extensions",
        "jax/input/TeX",
        "jax/output/CommonHTML",
        "jax/element/mml",
        "fonts/HTML-CSS/TeX/woff",
        "fonts/HTML-CSS/TeX/otf",
        "localization/en",
        "LICENSE",
    ],
    "requirejs": ["require.js"],
    "jquery": ["dist/jquery.min.js", "LICENSE.txt"],
}
REVEAL_PREFIX = f"{ASSETS}/reveal.js"
REVEAL_URL = f"{REVEAL_PREFIX}/dist/reveal.js"
MATHJAX_URL = f"{ASSETS}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIRE_URL = f"{ASSETS}/requirejs/require.js"
JQUERY_URL = f"{ASSETS}/jquery/dist/jquery.min.js"
# No mermaid diagram is bundled: a notebook that has one stops the build (render.check_no_mermaid).
NO_MERMAID_URL = f"{ASSETS}/mermaid-is-not-bundled.mjs"


def default_node_modules() -> Path:
    """``node_modules/`` of the checkout (of the current folder when installed elsewhere)."""
    return (repository_root() or Path.cwd()) / "node_modules"


def copy_assets(destination: Path, node_modules: Path | None = None) -> Path:
    """Copy the browser files the decks load from ``node_modules`` into ``destination/assets``."""
    node_modules = node_modules or default_node_modules()
    target = destination / ASSETS
    shutil.rmtree(target, ignore_errors=True)
    for package, members in ASSET_FILES.items():
        for member in members:
            source = node_modules / package / member
            if not source.exists():
                raise SlidesError(
                    f"{source} is missing: the slides need reveal.js, MathJax, require.js and "
                    f"jQuery from package-lock.json. Run `npm ci` in {node_modules.parent} "
                    "(make slides does it when node_modules is missing)."
                )
            copied = target / package / member
            copied.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, copied, ignore=shutil.ignore_patterns("*.map"))
            else:
                shutil.copy2(source, copied)
    return target
