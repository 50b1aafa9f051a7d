"""The browser files copied beside the decks from node_modules (no browser, no npm needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_utils.checkout import repository_root
from course_utils.slides.assets import (
    ASSET_FILES,
    ASSETS,
    JQUERY_URL,
    MATHJAX_URL,
    REQUIRE_URL,
    REVEAL_URL,
    copy_assets,
    default_node_modules,
)
from course_utils.slides.errors import SlidesError


def _node_modules(root: Path) -> Path:
    """A node_modules with every file the decks need (folders hold a file and a source map)."""
    node_modules = root / "node_modules"
    for package, members in ASSET_FILES.items():
        for member in members:
            path = node_modules / package / member
            if "." in path.name or path.name == "LICENSE":  # a file: dist/reveal.js, LICENSE
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(f"{package} {member}")
            else:  # a folder: extensions, fonts/HTML-CSS/TeX/woff
                path.mkdir(parents=True, exist_ok=True)
                (path / "part.js").write_text("part")
                (path / "part.js.map").write_text("map")
    return node_modules


def test_the_assets_are_copied_beside_the_decks(tmp_path):
    node_modules = _node_modules(tmp_path)
    slides = tmp_path / "slides"
    (slides / ASSETS / "stale").mkdir(parents=True)
    target = copy_assets(slides, node_modules)
    assert target == slides / ASSETS
    assert not (target / "stale").exists()  # an earlier build's leftovers go
    for url in (REVEAL_URL, REQUIRE_URL, JQUERY_URL, MATHJAX_URL.split("?")[0]):
        assert (slides / url).is_file(), url
    assert (target / "mathjax" / "extensions" / "part.js").exists()
    assert not list(target.rglob("*.map"))  # source maps stay behind
    assert (target / "reveal.js" / "LICENSE").read_text() == "reveal.js LICENSE"


def test_missing_node_modules_say_what_to_run(tmp_path):
    with pytest.raises(SlidesError, match="npm ci"):
        copy_assets(tmp_path, node_modules=tmp_path / "node_modules")


def test_one_missing_file_is_named(tmp_path):
    node_modules = _node_modules(tmp_path)
    (node_modules / "jquery" / "dist" / "jquery.min.js").unlink()
    with pytest.raises(SlidesError, match="jquery.min.js is missing"):
        copy_assets(tmp_path / "slides", node_modules)


def test_node_modules_come_from_the_checkout(monkeypatch, tmp_path):
    assert default_node_modules() == repository_root() / "node_modules"
    monkeypatch.setattr("course_utils.slides.assets.repository_root", lambda: None)
    monkeypatch.chdir(tmp_path)  # installed elsewhere: the folder it is run from
    assert default_node_modules() == tmp_path / "node_modules"
