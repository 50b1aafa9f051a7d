"""One executed notebook rendered into its deck and page with the course's templates."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils.slides.audit import outside_urls
from course_utils.slides.build import build
from course_utils.slides.errors import SlidesError
from course_utils.slides.exporters import template_values
from course_utils.slides.index import Deck
from course_utils.slides.render import render
from course_utils.slides.screen import CODE_BOX, MIN_FIT_SCALE, SLIDE_HEIGHT

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "src" / "course_utils" / "slides" / "templates"


def _cell(kind, source, slide_type="-", tags=()):
    metadata = {"slideshow": {"slide_type": slide_type}, "tags": list(tags)}
    make = new_markdown_cell if kind == "markdown" else new_code_cell
    return make(source, metadata=metadata)


def _executed_demo():
    png = (  # one white pixel
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
        "AAAABJRU5ErkJggg=="
    )
    figure = new_output("display_data", data={"image/png": png, "text/plain": "<Figure>"})
    cells = [
        _cell("markdown", "# 90 · A demo", "slide"),
        _cell("code", "import os", "skip"),
        _cell("markdown", "An equation: $$y = \\tanh(W x)$$", "subslide"),
        _cell("markdown", "Say it slowly.", "notes"),
        _cell("code", "secret_plotting_code()", tags=["remove_input"]),
    ]
    cells[-1].outputs = [figure]
    return new_notebook(cells=cells)


def test_render_writes_a_deck_and_a_page_that_load_only_local_files(tmp_path):
    executed = tmp_path / "90_demo.ipynb"
    nbformat.write(_executed_demo(), executed)
    deck, page, moved = render(executed, tmp_path, "90_demo", "smoke")
    deck_html, page_html = deck.read_text(), page.read_text()
    assert moved == 0
    for html_text in (deck_html, page_html):
        assert outside_urls(html_text) == []
        assert 'src="assets/requirejs/require.js"' in html_text
        assert "assets/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe" in html_text
        assert "data:image/png;base64," in html_text  # the figure is in the file
    assert '"assets/reveal.js/dist/reveal.js"' in deck_html
    assert 'href="assets/reveal.js/dist/theme/white.css"' in deck_html
    assert '<aside class="notes">' in deck_html
    assert "secret_plotting_code" not in deck_html  # remove_input: the output alone
    assert "secret_plotting_code" in page_html  # the page shows every cell with its code
    assert "profile smoke" in deck_html
    assert deck_html.count("<section") == 3  # one column: the title slide, a sub-slide below


def test_the_deck_carries_the_course_style_and_fitting_script(tmp_path):
    executed = tmp_path / "90_demo.ipynb"
    nbformat.write(_executed_demo(), executed)
    deck_html = render(executed, tmp_path, "90_demo", "full")[0].read_text()
    assert f"max-height: {int(SLIDE_HEIGHT * CODE_BOX)}px" in deck_html
    assert f"var MIN_SCALE = {MIN_FIT_SCALE};" in deck_html
    assert 'require(["assets/reveal.js/dist/reveal.js"], function (Reveal)' in deck_html
    assert "{{" not in deck_html.split("<body")[0]  # every template value filled in
    assert '<div class="course-profile">' not in deck_html  # no corner note in the full profile
    assert "import mermaid" not in deck_html  # nbconvert's mermaid import is dropped


def test_a_mermaid_diagram_stops_the_build(tmp_path):
    notebook = new_notebook(cells=[_cell("markdown", "```mermaid\ngraph LR; A-->B\n```", "slide")])
    nbformat.write(notebook, tmp_path / "90_demo.ipynb")
    with pytest.raises(SlidesError, match="mermaid"):
        render(tmp_path / "90_demo.ipynb", tmp_path, "90_demo", "full")
    drawn = _cell("code", "draw()")
    drawn.outputs = [new_output("display_data", data={"text/vnd.mermaid": "graph LR; A-->B"})]
    nbformat.write(new_notebook(cells=[drawn]), tmp_path / "91_demo.ipynb")
    with pytest.raises(SlidesError, match="mermaid"):
        render(tmp_path / "91_demo.ipynb", tmp_path, "91_demo", "full")


def test_the_templates_read_only_values_they_are_given():
    given = set(template_values("smoke"))
    for template in TEMPLATES.glob("*.j2"):
        for name in template.read_text().split("resources.course.")[1:]:
            assert name.split()[0].rstrip("}") in given, (template.name, name[:30])


def test_the_templates_are_package_data():
    """A non-editable install (pip install .) carries every template."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["course_utils.slides"]
    templates = sorted(TEMPLATES.iterdir())
    assert templates
    for template in templates:
        relative = template.relative_to(TEMPLATES.parent).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative


def test_the_build_renders_every_deck_in_order_and_stops_on_a_bad_one(tmp_path):
    """On a machine with several cores the decks render in processes of their own; the build
    is the same: each deck under its own name, in order, and a deck that cannot be built stops
    it with its reason (raised in a worker process, raised again here)."""
    good = []
    for name in ("91_one", "92_two", "93_three"):
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(_executed_demo(), path)
        good.append(Deck(name, path, "ok", title=name, executed=path))
    built = build(good, tmp_path / "build", "smoke", "", ROOT / "node_modules")
    assert [deck.deck.name for deck in built] == [f"{d.name}.slides.html" for d in good]
    assert all(deck.page.exists() for deck in built)

    bad = tmp_path / "94_bad.ipynb"
    nbformat.write(new_notebook(cells=[_cell("markdown", "```mermaid\ngraph LR; A-->B\n```",
                                              "slide")]), bad)
    with pytest.raises(SlidesError, match="94_bad has a mermaid diagram"):
        build([*good, Deck("94_bad", bad, "ok", title="bad", executed=bad)],
              tmp_path / "again", "smoke", "", ROOT / "node_modules")
