"""The slides in a real browser: every generated deck and page, opened in headless Chromium.

``make test`` (its ``slides-test`` step) builds the smoke-profile decks into ``build/slides`` and
runs this file with ``COURSE_SLIDES_DIR`` set; without it the browser tests are skipped, so that
a plain ``pytest tests`` never checks decks left over from an older build. The checks:
reveal.js initialised, as many slides as the notebook's ``slideshow`` metadata asks for, speaker
notes and ``remove_input`` honoured, equations rendered by MathJax, figures embedded and decoded,
every slide within the screen, no console error, and no request to anything but local files.
Screenshots of each deck's title slide, first figure and first equation land in build/slides/.

The build's own helpers (heights, long outputs, the offline check, assets, the index, the
command) are tested without a browser in tests/test_slides_*.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils.slides.assets import ASSETS
from course_utils.slides.cells import REMOVE_CELL, REMOVE_INPUT, REMOVE_OUTPUT
from course_utils.slides.long_outputs import MOVED_OUTPUT_CLASS, move_long_outputs
from course_utils.slides.screen import SLIDE_HEIGHT, SLIDE_WIDTH

ROOT = Path(__file__).resolve().parents[1]
SLIDES_ENV_VAR = "COURSE_SLIDES_DIR"
CHROMIUM_ENV_VAR = "COURSE_CHROMIUM"
VIEWPORT = {"width": SLIDE_WIDTH, "height": SLIDE_HEIGHT}
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\s][^$]*?\$|\\\(.+?\\\)|\\\[.+?\\\]|\\begin\{", re.S)


# ---------------------------------------------------------------------------------------------
# What a notebook asks for, read from its cells (independently of the build's own code)


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def _is_solution(cell) -> bool:
    """A cell nbgrader marks as holding or checking an answer: a code solution, a written
    answer (both ``solution``) or an autograded test (``grade``). Decks leave these out."""
    marks = cell.get("metadata", {}).get("nbgrader", {})
    return bool(marks.get("solution") or marks.get("grade"))


def _shown(cell) -> bool:
    """Whether the deck shows the cell (the page shows every cell but removed ones)."""
    return REMOVE_CELL not in cell.get("metadata", {}).get("tags", []) and not _is_solution(cell)


SOLUTION_MARK = "### BEGIN SOLUTION"


def expected_slides(notebook) -> tuple[int, int]:
    """(slides, of which horizontal) that ``slideshow.slide_type`` asks for.

    Every ``slide`` starts a column and every ``subslide`` a slide below it; the first visible
    cell starts the deck whatever its type.
    """
    cells = [cell for cell in notebook.cells if _shown(cell)]
    types = [_slide_type(cell) for cell in cells]
    visible = [t for t in types if t not in ("skip", "notes")]
    if not visible:
        return 0, 0
    horizontal = types.count("slide") + (visible[0] != "slide")
    vertical = types.count("subslide") - (visible[0] == "subslide")
    return horizontal + vertical, horizontal


def expected_notes(notebook) -> int:
    return sum(_slide_type(c) == "notes" and c.cell_type == "markdown" for c in notebook.cells)


def expected_code_inputs(notebook) -> int:
    return sum(
        cell.cell_type == "code"
        and _slide_type(cell) != "skip"
        and _shown(cell)
        and REMOVE_INPUT not in cell.get("metadata", {}).get("tags", [])
        for cell in notebook.cells
    )


def has_math(notebook) -> bool:
    return any(
        cell.cell_type == "markdown" and _slide_type(cell) != "skip" and MATH.search(cell.source)
        for cell in notebook.cells
        if _shown(cell)
    )


def expected_figures(executed, *, deck: bool) -> int:
    """Images the executed notebook shows: all of them in the page (solutions included), the
    unskipped in a deck (solutions left out)."""
    count = 0
    for cell in executed.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type != "code" or REMOVE_CELL in tags or (deck and _is_solution(cell)):
            continue
        if deck and (_slide_type(cell) == "skip" or REMOVE_OUTPUT in tags):
            continue
        count += sum(
            any(key.startswith("image/") for key in output.get("data", {}))
            for output in cell.get("outputs", [])
        )
    return count


# ---------------------------------------------------------------------------------------------
# The checker: opens one deck or page in Chromium and reports what is wrong with it


@dataclass
class Report:
    path: Path
    problems: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    ready: bool = False
    slides: int = 0
    horizontal: int = 0
    notes: int = 0
    code_inputs: int = 0
    moved_outputs: int = 0
    equations: int = 0
    figures: int = 0
    text: str = ""  # the whole document's text, hidden slides included
    fit: dict[str, str] = field(default_factory=dict)
    screenshots: dict[str, Path] = field(default_factory=dict)


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("file", "data", "blob", "about"):
        return True
    return parsed.scheme in ("http", "https") and parsed.hostname in ("localhost", "127.0.0.1")


_MATH_READY = "window.MathJax && MathJax.isReady"
# MathJax works through a queue: a marker queued now runs once everything before it is typeset
_MARK_MATH = """() => {
  window.courseMathDone = false;
  MathJax.Hub.Queue(() => { window.courseMathDone = true; });
}"""


# nbconvert's handler draws a slide's equations again, a moment after every change of slide
_SLIDE_MATH_DRAWN = """(() => {
  const slide = Reveal.getCurrentSlide();
  return Array.from(slide.querySelectorAll('script[type^="math/tex"]'))
    .filter(script => !script.closest("aside.notes"))
    .every(script => {
      const drawn = document.getElementById(script.id + "-Frame");
      return drawn !== null && drawn.getBoundingClientRect().height > 4;
    });
})()"""


def _math_settled(page, report: Report, seconds: float) -> bool:
    if not _wait_for(page, _MATH_READY, seconds, report):
        return False
    page.evaluate(_MARK_MATH)
    return _wait_for(page, "window.courseMathDone", seconds, report)


_SLIDE_STATE = """() => {
  const slide = Reveal.getCurrentSlide();
  const box = slide.getBoundingClientRect();
  return {fit: slide.dataset.courseFit || "unfitted", top: box.top, bottom: box.bottom,
          left: box.left, right: box.right,
          figures: slide.querySelectorAll(".jp-OutputArea-output img").length,
          equations: Array.from(slide.querySelectorAll(".MathJax_CHTML"))
            .filter(e => e.getBoundingClientRect().height > 0).length};
}"""

_CUT_OUTPUTS = """() => Array.from(document.querySelectorAll(".jp-OutputArea-output pre"))
  .filter(pre => pre.scrollHeight > pre.clientHeight + 1)
  .filter(pre => !["auto", "scroll"].includes(getComputedStyle(pre).overflowY)).length"""

_FIGURES = """() => Array.from(document.querySelectorAll(".jp-OutputArea-output img")).map(
  img => ({embedded: img.src.startsWith("data:"),
           decoded: img.complete && img.naturalWidth > 0}))"""
_TWO_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def _wait_for(page, condition: str, seconds: float, report: Report) -> bool:
    """Wait until ``condition`` holds; give up early once a local file has failed to load."""
    deadline = time.monotonic() + seconds
    while True:
        if page.evaluate(f"() => Boolean({condition})"):
            return True
        broken = any(problem.startswith("failed to load") for problem in report.problems)
        if broken or time.monotonic() > deadline:
            page.wait_for_timeout(200)  # what was already under way finishes
            return bool(page.evaluate(f"() => Boolean({condition})"))
        page.wait_for_timeout(100)


def check(
    browser,
    path: Path,
    *,
    deck: bool,
    screenshots: Path | None = None,
    walk: bool = True,
    mathjax: bool = True,
) -> Report:
    """Open ``path`` (a deck or a page) from disk and report what a viewer would meet.

    For a deck, ``walk`` visits every slide (fit on screen, screenshots into ``screenshots``);
    ``mathjax`` says whether the page loads MathJax (every deck and notebook page does).
    """
    report = Report(path=path)
    context = browser.new_context(viewport=VIEWPORT)

    def guard(route):
        if _is_local(route.request.url):
            route.continue_()
        else:  # never let it out; note it
            report.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and report.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: report.problems.append(f"script error: {error}"))
    page.on(
        "requestfailed",
        lambda r: _is_local(r.url) and report.problems.append(f"failed to load {r.url}"),
    )
    try:
        page.goto(path.resolve().as_uri(), wait_until="load")
        if deck:
            report.ready = _wait_for(page, "window.Reveal && Reveal.isReady()", 15, report)
            if not report.ready:
                report.problems.append("reveal.js did not initialise")
                return report
        math = mathjax and _math_settled(page, report, 20)
        if mathjax and not math:
            report.problems.append("MathJax did not load or did not finish typesetting")
        report.equations = page.locator(".MathJax_CHTML").count()
        errors = page.locator(".MathJax_Error, .mjx-merror").count()
        if errors:
            report.problems.append(f"{errors} equation(s) failed to typeset")
        figures = page.evaluate(_FIGURES)
        report.figures = sum(f["decoded"] for f in figures)
        if not all(f["embedded"] for f in figures):
            report.problems.append("a figure is not embedded in the page")
        if not all(f["decoded"] for f in figures):
            report.problems.append("a figure does not decode")
        report.text = page.evaluate("document.body.textContent")
        if page.evaluate(_CUT_OUTPUTS):
            report.problems.append("an output is cut off without a scroll bar")
        if deck and walk:
            _walk_slides(page, report, screenshots, math)
    finally:
        context.close()
    report.problems += [f"request outside the build folder: {u}" for u in report.outside_requests]
    return report


def _off_screen(state: dict) -> bool:
    return (
        state["top"] < -1
        or state["bottom"] > VIEWPORT["height"] + 1
        or state["left"] < -1
        or state["right"] > VIEWPORT["width"] + 1
    )


def _walk_slides(page, report: Report, screenshots: Path | None, math: bool) -> None:
    page.evaluate("Reveal.configure({transition: 'none', backgroundTransition: 'none'})")
    report.slides = page.evaluate("Reveal.getTotalSlides()")
    report.horizontal = page.evaluate("Reveal.getHorizontalSlides().length")
    report.notes = page.locator("aside.notes").count()
    report.code_inputs = page.locator(".jp-CodeCell .jp-InputArea").count()
    report.moved_outputs = page.locator(f".{MOVED_OUTPUT_CLASS}").count()
    positions = page.evaluate(
        """() => Reveal.getSlides().map(s => {
             const at = Reveal.getIndices(s);
             return [at.h, at.v || 0, s.querySelectorAll('.fragment').length];
           })"""
    )
    name = report.path.name.removesuffix(".slides.html")
    for h, v, fragments in positions:
        # every fragment shown: the slide as it looks when the instructor has revealed it all
        page.evaluate(f"Reveal.slide({h}, {v}, {fragments - 1})")
        if math and not _wait_for(page, _SLIDE_MATH_DRAWN, 10, report):
            report.problems.append(f"slide {h}/{v}: an equation is not drawn")
        page.evaluate(_TWO_FRAMES)
        state = page.evaluate(_SLIDE_STATE)
        for _ in range(20):  # the deck fits a slide again once its equations are drawn
            if state["fit"] != "unfitted" and not _off_screen(state):
                break
            page.wait_for_timeout(100)
            state = page.evaluate(_SLIDE_STATE)
        where = f"slide {h}/{v}"
        report.fit[where] = state["fit"]
        if state["fit"] == "scrolls":
            report.problems.append(f"{where} is too tall even when shrunk: split it")
        if _off_screen(state):
            report.problems.append(f"{where} reaches outside the screen: {state}")
        if screenshots is None:
            continue
        shots = [("title", h == 0 and v == 0), ("figure", state["figures"] > 0)]
        shots.append(("equation", state["equations"] > 0))
        for kind, wanted in shots:
            if wanted and kind not in report.screenshots:
                shot = screenshots / f"{name}.{kind}.png"
                page.screenshot(path=str(shot))
                report.screenshots[kind] = shot


# ---------------------------------------------------------------------------------------------
# Fixtures: the decks of the last build, and one browser for the whole module


def _slides_dir() -> Path | None:
    value = os.environ.get(SLIDES_ENV_VAR)
    return Path(value) if value else None


def _built() -> list[dict]:
    folder = _slides_dir()
    if folder is None or not (folder / "decks.json").exists():
        return []
    return json.loads((folder / "decks.json").read_text())["decks"]


def _chromium() -> str | None:
    candidates = [os.environ.get(CHROMIUM_ENV_VAR), shutil.which("chromium")]
    candidates += [shutil.which("chromium-browser"), "/usr/bin/chromium"]
    return next((c for c in candidates if c and Path(c).exists()), None)


needs_decks = pytest.mark.skipif(
    _slides_dir() is None,
    reason=f"browser tests run in `make test` (make slides-test), which sets {SLIDES_ENV_VAR}",
)


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    if executable is None:
        pytest.fail(
            "No Chromium to test the slides with: `make test` installs Debian's `chromium` package "
            f"(make browser), or point {CHROMIUM_ENV_VAR} at a Chromium binary."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable)
        yield launched
        launched.close()


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


_DECKS = [entry for entry in _built() if entry["status"] == "ok"]


@needs_decks
def test_every_notebook_has_a_deck_and_a_page():
    folder = _slides_dir()
    assert (folder / "decks.json").exists(), f"no build in {folder}: run make slides-test"
    built = {Path(entry["notebook"]).name: entry for entry in _built()}
    notebooks = sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(built) == notebooks
    for name, entry in built.items():
        assert entry["status"] == "ok", f"{name}: {entry['status']}"
        assert (folder / entry["deck"]).exists() and (folder / entry["page"]).exists()
    index = (folder.parent / "index.html").read_text()
    for entry in built.values():
        assert f'href="slides/{entry["deck"]}"' in index
        assert f'href="slides/{entry["page"]}"' in index


@needs_decks
@pytest.mark.parametrize("entry", _DECKS, ids=[Path(e["notebook"]).stem for e in _DECKS])
def test_deck_in_chromium(browser, entry):
    folder = _slides_dir()
    source = nbformat.read(_path(entry["notebook"]), as_version=4)
    executed = nbformat.read(_path(entry["executed"]), as_version=4)
    moved = move_long_outputs(executed)[1]

    report = check(browser, folder / entry["deck"], deck=True, screenshots=folder)

    assert report.problems == []
    assert report.ready
    total, horizontal = expected_slides(source)
    assert (report.slides, report.horizontal) == (total + moved, horizontal)
    assert report.moved_outputs == moved
    assert report.notes == expected_notes(source)
    assert report.code_inputs == expected_code_inputs(source)
    if has_math(source):
        assert report.equations >= 1
    assert report.figures == expected_figures(executed, deck=True)
    assert "title" in report.screenshots
    if report.figures:
        assert "figure" in report.screenshots
    for words in _solution_words(source):  # the lecture keeps solutions off its slides
        assert words not in report.text, words


def _plain_words(markdown: str, elsewhere: str) -> str:
    """A run of four or more plain words in a written answer (after its "Answer." label) that
    no other cell of the notebook holds: text that reads the same in the rendered page as in
    the source, and that only the answer can have put there."""
    body = markdown.split("**Answer.**", 1)[-1]
    runs = re.findall(r"[A-Za-z]+(?: [A-Za-z]+){3,}", body)
    own = [run for run in runs if run not in elsewhere]
    assert own, f"no words of its own in {markdown[:80]!r}"
    return max(own, key=len)


def _solution_words(source) -> list[str]:
    """Text that only the notebook's solutions hold, as a rendered view shows it: nbgrader's
    solution marker (when a code solution has one) and a run of words of each written answer.
    Every notebook's exercises have solutions, so the list is never empty."""
    solutions = [cell for cell in source.cells if _is_solution(cell)]
    assert solutions, "a notebook without solution cells"
    elsewhere = " ".join(c.source for c in source.cells if not _is_solution(c))
    words = [_plain_words(c.source, elsewhere) for c in solutions if c.cell_type == "markdown"]
    if any(SOLUTION_MARK in c.source for c in solutions):
        words.append(SOLUTION_MARK)
    assert words, "solutions with nothing to look for"
    return words


@needs_decks
@pytest.mark.parametrize("entry", _DECKS, ids=[Path(e["notebook"]).stem for e in _DECKS])
def test_executed_page_in_chromium(browser, entry):
    source = nbformat.read(_path(entry["notebook"]), as_version=4)
    executed = nbformat.read(_path(entry["executed"]), as_version=4)
    report = check(browser, _slides_dir() / entry["page"], deck=False)
    assert report.problems == []
    for words in _solution_words(source):  # the page keeps every solution, code and written
        assert words in report.text, words
    if has_math(source):
        assert report.equations >= 1
    assert report.figures == expected_figures(executed, deck=False)


@needs_decks
def test_the_course_shows_equations_and_figures(browser):
    """The checks above would pass vacuously on decks without any: the course has both."""
    sources = [nbformat.read(_path(e["notebook"]), as_version=4) for e in _DECKS]
    executed = [nbformat.read(_path(e["executed"]), as_version=4) for e in _DECKS]
    assert any(has_math(notebook) for notebook in sources)
    assert any(expected_figures(notebook, deck=True) for notebook in executed)


@needs_decks
def test_the_speaker_view_shows_the_notes_offline(browser):
    """Pressing S opens reveal.js's speaker view: the notes beside the current and next slide."""
    with_notes = [
        (entry, notebook)
        for entry in _DECKS
        if expected_notes(notebook := nbformat.read(_path(entry["notebook"]), as_version=4))
    ]
    if not with_notes:
        pytest.skip("no notebook has speaker notes")
    entry, notebook = with_notes[0]
    context = browser.new_context(viewport=VIEWPORT)
    outside = []
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if _is_local(route.request.url)
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page = context.new_page()
    page.goto((_slides_dir() / entry["deck"]).resolve().as_uri())
    page.wait_for_function("window.Reveal && Reveal.isReady()")
    noted = page.evaluate(
        """() => { const s = Reveal.getSlides().find(s => s.querySelector('aside.notes'));
                   const at = Reveal.getIndices(s); Reveal.slide(at.h, at.v);
                   return s.querySelector('aside.notes').textContent.trim(); }"""
    )
    with page.expect_popup() as popup:
        page.keyboard.press("s")
    speaker = popup.value
    speaker.wait_for_function(
        "text => document.body.innerText.includes(text)", arg=noted[:40], timeout=10_000
    )
    context.close()
    assert outside == []


def _copy_deck(entry, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of one deck and its assets folder, to break."""
    folder = _slides_dir()
    shutil.copytree(folder / ASSETS, tmp_path / ASSETS)
    deck = tmp_path / entry["deck"]
    shutil.copy2(folder / entry["deck"], deck)
    return deck, tmp_path / ASSETS


@needs_decks
def test_the_slides_folder_works_copied_elsewhere(browser, tmp_path):
    """What an instructor does: copy build/slides to a stick and open it on another machine."""
    stick = tmp_path / "stick" / "slides"
    shutil.copytree(_slides_dir(), stick, ignore=shutil.ignore_patterns("*.png"))
    for entry in _DECKS:
        report = check(browser, stick / entry["deck"], deck=True, walk=False)
        assert report.ready and report.problems == []
    assert check(browser, stick / "index.html", deck=False, mathjax=False).problems == []


@needs_decks
def test_a_deck_without_reveal_js_fails_the_check(browser, tmp_path):
    deck, assets = _copy_deck(_DECKS[0], tmp_path)
    (assets / "reveal.js" / "dist" / "reveal.js").unlink()
    report = check(browser, deck, deck=True, walk=False)
    assert not report.ready
    assert "reveal.js did not initialise" in report.problems
    assert any("failed to load" in p and p.endswith("dist/reveal.js") for p in report.problems)


@needs_decks
def test_a_deck_without_mathjax_fails_the_check(browser, tmp_path):
    deck, assets = _copy_deck(_DECKS[0], tmp_path)
    shutil.rmtree(assets / "mathjax")
    report = check(browser, deck, deck=True, walk=False)
    assert any("MathJax" in p for p in report.problems)


@needs_decks
def test_a_deck_that_loads_from_the_web_fails_the_check(browser, tmp_path):
    deck, _ = _copy_deck(_DECKS[0], tmp_path)
    text = deck.read_text()
    deck.write_text(text.replace("</body>", '<img src="https://example.invalid/x.png"></body>'))
    report = check(browser, deck, deck=True, walk=False)
    assert report.outside_requests == ["https://example.invalid/x.png"]
    assert any("outside the build folder" in p for p in report.problems)


@needs_decks
def test_a_slide_too_tall_to_fit_fails_the_check(browser, tmp_path):
    deck, _ = _copy_deck(_DECKS[0], tmp_path)
    tall = "".join(f"<p>line {n}</p>" for n in range(120))
    text = deck.read_text()
    first = text.index("<section", text.index('class="slides"'))
    deck.write_text(text[:first] + f"<section><section>{tall}</section></section>" + text[first:])
    report = check(browser, deck, deck=True)
    assert report.fit["slide 0/0"] == "scrolls"
    assert any("too tall" in p for p in report.problems)


# ---------------------------------------------------------------------------------------------
# The checker's own reading of the metadata, and how make slides-test gets its executed notebooks
# (the build's helpers are tested without a browser in tests/test_slides_*.py)


def _code(source, lines=0, slide_type="-"):
    outputs = [new_output("stream", name="stdout", text="".join(f"{n}\n" for n in range(lines)))]
    metadata = {"slideshow": {"slide_type": slide_type}}
    return new_code_cell(source, metadata=metadata, outputs=outputs if lines else [])


def _markdown(source, slide_type="-"):
    return new_markdown_cell(source, metadata={"slideshow": {"slide_type": slide_type}})


def test_expected_slides_follow_the_metadata():
    notebook = new_notebook(
        cells=[
            _code("setup()", slide_type="skip"),
            _markdown("# Title"),  # the first visible cell starts the deck whatever its type
            _markdown("notes", "notes"),
            _markdown("## A", "slide"),
            _markdown("## A.1", "subslide"),
            _code("x", slide_type="fragment"),
            _markdown("## B", "slide"),
        ]
    )
    assert expected_slides(notebook) == (4, 3)
    assert expected_notes(notebook) == 1
    assert expected_code_inputs(notebook) == 1


def test_nbval_run_is_kept_with_its_outputs():
    from tests import nbval_keep

    notebook = new_notebook(cells=[_markdown("# T"), _code("print(1)"), _code("2")])
    file = SimpleNamespace(nb=notebook, fspath="/x/01_demo.ipynb")
    printed = [new_output("stream", name="stdout", text="1\n")]
    result = [new_output("execute_result", data={"text/plain": "2"}, execution_count=9)]
    items = [
        SimpleNamespace(parent=file, cell=notebook.cells[1], test_outputs=printed),
        SimpleNamespace(parent=file, cell=notebook.cells[2], test_outputs=result),
    ]
    kept = nbval_keep.executed_notebooks(items)[Path("/x/01_demo.ipynb")]
    nbformat.validate(kept)
    assert [cell.execution_count for cell in kept.cells[1:]] == [1, 2]
    assert kept.cells[1].outputs[0].text == "1\n"
    assert kept.cells[2].outputs[0].execution_count == 2
    assert notebook.cells[1].outputs == []  # the notebook nbval compares against is untouched

    items[1].test_outputs = None  # a cell that did not run: no half-executed copy
    assert nbval_keep.executed_notebooks(items) == {}
