"""Render the executed notebooks as offline reveal.js decks and HTML pages for instructors.

``python -m course_utils.slides [--profile full|smoke] [notebooks ...]`` (``make slides`` calls it)
executes each notebook with the runner, then writes into ``build/slides/``:

- ``NN_topic.slides.html``: the deck (nbconvert's reveal.js template, slide structure from the
  cells' ``slideshow.slide_type``, speaker notes, ``remove_input`` cells without their code);
- ``NN_topic.html``: the executed notebook as one page;
- ``assets/``: reveal.js 4, MathJax 2, require.js and jQuery, copied from ``node_modules/``
  (``npm ci`` installs them from ``package-lock.json``), so that the folder works offline as is;
- ``index.html`` (and ``build/index.html``): every deck and page, and the latest results table.

With ``--executed DIR`` the notebooks are not run again: the executed copies in ``DIR`` are
rendered (``make test`` renders the notebooks as nbval executed them).
"""

from __future__ import annotations

import argparse
import base64
import copy
import html
import json
import os
import re
import shutil
import struct
import sys
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import mistune
import nbformat
from nbconvert import HTMLExporter, SlidesExporter
from traitlets.config import Config

from . import results, runner
from .profiles import PROFILE_ENV_VAR, Profile, ProfileError

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"
ASSETS = "assets"  # the folder beside the decks that holds every script, style sheet and font

# The logical slide size (reveal.js scales it to the screen): 16:9, as most projectors are.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
# A slide whose cells would stand taller than SLIDE_BUDGET (CSS pixels, estimated) has a text
# output of at least MOVABLE_LINES lines moved to a sub-slide of its own (see move_long_outputs).
SLIDE_BUDGET = SLIDE_HEIGHT / 0.85
MOVABLE_LINES = 6
_CAPTION_PX = 40
# A slide taller than the screen is shrunk to fit, but never below this scale; beyond that its
# content scrolls. (Code and output boxes scroll on their own before that: see _SLIDE_CSS.)
MIN_FIT_SCALE = 0.7

# Cell tags: remove_input shows a cell's output without its code; remove_output the reverse;
# remove_cell leaves the cell out of the slides and the page altogether.
REMOVE_INPUT, REMOVE_OUTPUT, REMOVE_CELL = "remove_input", "remove_output", "remove_cell"
MOVED_OUTPUT_CLASS = "course-moved-output"

# What each deck loads, relative to the deck: (package in node_modules, files or folders).
_ASSET_FILES = {
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
REVEAL_JS = f"{REVEAL_PREFIX}/dist/reveal.js"
MATHJAX_URL = f"{ASSETS}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
REQUIRE_JS = f"{ASSETS}/requirejs/require.js"
JQUERY_JS = f"{ASSETS}/jquery/dist/jquery.min.js"
# No mermaid diagram is bundled: a notebook that has one stops the build (see _check_no_mermaid).
NO_MERMAID = f"{ASSETS}/mermaid-is-not-bundled.mjs"


class SlidesError(RuntimeError):
    """A deck cannot be built as it must be (missing assets, a page that would load the web)."""


# ---------------------------------------------------------------------------------------------
# Assets


def copy_assets(destination: Path, node_modules: Path = NODE_MODULES) -> Path:
    """Copy the browser files the decks load from ``node_modules`` into ``destination/assets``."""
    target = destination / ASSETS
    shutil.rmtree(target, ignore_errors=True)
    for package, members in _ASSET_FILES.items():
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


# ---------------------------------------------------------------------------------------------
# Preparing a notebook for the slides


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


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
            last["text"] = _text(last["text"]) + _text(output["text"])
        else:
            merged.append(output)
    if "outputs" in cell:
        cell["outputs"] = merged


def _text_lines(output) -> int:
    """Lines of text an output shows; 0 for a figure, which is sized by the style sheet."""
    kind = output.get("output_type")
    if kind == "stream":
        text = _text(output.get("text"))
    elif kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        if any(key.startswith("image/") for key in data):
            return 0
        text = _text(data.get("text/plain"))  # also for HTML (a model summary, a table): as tall
    elif kind == "error":
        text = "\n".join(output.get("traceback", []))
    else:
        return 0
    return len(text.rstrip("\n").splitlines())


def output_lines(cell) -> int:
    """How many lines of text a code cell's outputs show."""
    return sum(_text_lines(output) for output in cell.get("outputs", []))


# Rough heights on a 1280 x 720 slide, in CSS pixels, measured on the course's decks.
_PX = {"text": 30, "chars": 105, "heading": 62, "block": 16, "code": 22, "cell": 22}
_PX_OUTPUT = 22


def _png_height(data: str) -> int:
    try:
        header = base64.b64decode(_text(data)[:64])
        width, height = struct.unpack(">II", header[16:24])
    except (ValueError, struct.error):
        return SLIDE_HEIGHT // 2
    return min(height * min(1.0, (SLIDE_WIDTH - 80) / max(width, 1)), SLIDE_HEIGHT * 0.8)


def _markdown_height(source: str) -> float:
    height = 0.0
    for block in re.split(r"\n\s*\n", source.strip()):
        lines = block.splitlines()
        if block.lstrip().startswith("#"):
            height += _PX["heading"]
            lines = lines[1:]
        if re.search(r"\$\$|\\\[|\\begin\{", block):
            height += 60  # a displayed equation
        words = sum(len(line) for line in lines)
        height += _PX["text"] * max(len(lines), -(-words // _PX["chars"])) + _PX["block"]
    return height


def _output_height(output) -> float:
    data = output.get("data", {})
    if "image/png" in data:
        return _png_height(data["image/png"]) + _PX["block"]
    return min(_text_lines(output) * _PX_OUTPUT, SLIDE_HEIGHT * 0.62) + _PX["block"]


def estimated_height(cell, *, with_input: bool = True, with_output: bool = True) -> float:
    """About how tall ``cell`` stands on a slide, in CSS pixels (code and output each capped)."""
    if slide_type(cell) in ("skip", "notes") or REMOVE_CELL in _tags(cell):
        return 0.0
    if cell.cell_type == "markdown":
        return _markdown_height(cell.source)
    if cell.cell_type != "code":
        return 0.0
    height = 0.0
    if with_input and REMOVE_INPUT not in _tags(cell):
        lines = len(cell.source.rstrip("\n").splitlines())
        height += min(lines * _PX["code"], SLIDE_HEIGHT * 0.62) + _PX["cell"]
    if with_output and REMOVE_OUTPUT not in _tags(cell):
        height += sum(_output_height(output) for output in cell.get("outputs", []))
    return height


def _movable(cell) -> bool:
    """A code cell shown with its code whose text output could stand on a slide of its own."""
    if cell.cell_type != "code" or slide_type(cell) in ("skip", "notes"):
        return False
    if _tags(cell) & {REMOVE_INPUT, REMOVE_OUTPUT, REMOVE_CELL}:
        return False
    return output_lines(cell) >= MOVABLE_LINES


def _slides_of(cells: list) -> list[list]:
    """The cells grouped as reveal.js shows them: one group per slide or sub-slide."""
    groups: list[list] = []
    for cell in cells:
        kind = "-" if REMOVE_CELL in _tags(cell) else slide_type(cell)
        starts = kind in ("slide", "subslide")
        if not groups or (starts and any(estimated_height(c) for c in groups[-1])):
            groups.append([])
        groups[-1].append(cell)
    return groups


def _split_output(cell) -> tuple:
    """The code without its output, a caption starting a sub-slide, and the output alone."""
    outputs, cell.outputs = cell.outputs, []
    caption = nbformat.v4.new_markdown_cell(
        f'<p class="{MOVED_OUTPUT_CLASS}">Output of the code on the previous slide</p>',
        metadata={"slideshow": {"slide_type": "subslide"}},
    )
    output = nbformat.v4.new_code_cell(
        cell.source,
        metadata={"slideshow": {"slide_type": "-"}, "tags": sorted(_tags(cell) | {REMOVE_INPUT})},
        outputs=outputs,
        execution_count=cell.get("execution_count"),
    )
    return cell, caption, output


def _fit(group: list) -> tuple[list, int]:
    """``group`` (one slide's cells), with outputs moved to sub-slides until each part fits."""
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

    A slide whose cells would stand taller than SLIDE_BUDGET has a long text output (a model
    summary, a training log) moved to a new sub-slide right after its code: a one-line caption,
    then the output alone (the same cell again, tagged ``remove_input``), then the rest of the
    slide. The output chosen is the one that leaves the two parts most even. Returns the copy
    and how many outputs moved.
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


def _check_no_mermaid(notebook: nbformat.NotebookNode, name: str) -> None:
    for cell in notebook.cells:
        in_output = any(
            "text/vnd.mermaid" in output.get("data", {}) for output in cell.get("outputs", [])
        )
        if in_output or (cell.cell_type == "markdown" and "```mermaid" in cell.source):
            raise SlidesError(
                f"{name} has a mermaid diagram: mermaid.js is not bundled with the offline "
                "decks; draw the diagram as an image instead."
            )


# ---------------------------------------------------------------------------------------------
# Templates: nbconvert's own, with the course's additions (written here, loaded from memory)

_SLIDE_CSS = f"""
<style type="text/css">
/* The course's slides: no prompts, the slide's whole width for code and output. */
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt {{ display: none; }}
.reveal .jp-Cell {{ padding: 2px 0; }}
.reveal .jp-Notebook, .reveal .slides {{ text-align: left; }}
/* Headings as written (the theme's capitals would turn `tf.data` into TF.DATA). */
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3 {{ text-transform: none; }}
.reveal .slides h1 {{ font-size: 1.9em; }}
.reveal .slides h2 {{ font-size: 1.35em; margin-bottom: 0.4em; }}
.reveal .jp-RenderedHTMLCommon p, .reveal .jp-RenderedHTMLCommon li {{ line-height: 1.4; }}
.reveal .jp-RenderedHTMLCommon ul, .reveal .jp-RenderedHTMLCommon ol {{ margin-top: 0.2em; }}
/* Long code and long output scroll inside their own box instead of leaving the slide. */
.reveal .jp-InputArea-editor {{ max-height: {int(SLIDE_HEIGHT * 0.62)}px; overflow-y: auto; }}
.reveal .jp-OutputArea-output pre {{
  max-height: {int(SLIDE_HEIGHT * 0.62)}px; overflow: auto; font-size: 17px; line-height: 1.3;
}}
.reveal .jp-OutputArea-output img {{ max-height: {int(SLIDE_HEIGHT * 0.8)}px; width: auto; }}
.reveal .jp-OutputArea-output.jp-RenderedImage {{ text-align: center; }}
.reveal .{MOVED_OUTPUT_CLASS} {{ color: #777; font-size: 0.8em; font-style: italic; }}
/* The last resort for a slide still too tall once shrunk: it scrolls. */
.reveal .slides section.course-scrolls {{ overflow-y: auto; top: 0 !important; }}
/* A moved output has the slide to itself. */
.reveal section:has(.{MOVED_OUTPUT_CLASS}) .jp-OutputArea-output pre {{
  max-height: {int(SLIDE_HEIGHT * 0.85)}px;
}}
.course-profile {{
  position: fixed; right: 12px; top: 8px; font: 12px sans-serif; color: #a33; z-index: 40;
}}
</style>
"""

_FIT_JS = """
<script>
// The course's additions to nbconvert's reveal.js set-up: the same Reveal object as the deck's
// (require.js hands out one instance), made global for the browser tests and the console, and
// a slide taller than the screen shrunk to fit (never below MIN_SCALE; beyond that it scrolls);
// data-course-fit on each slide says which (fits, shrunk, scrolls).
require(["REVEAL_JS"], function (Reveal) {
  var MIN_SCALE = MIN_FIT_SCALE;
  window.Reveal = Reveal;
  function fit(slide) {
    if (!slide) { return; }
    var limit = Reveal.getConfig().height;
    slide.style.zoom = "";
    slide.style.height = "";
    slide.classList.remove("course-scrolls");
    var natural = slide.scrollHeight;  // in the slide's own CSS pixels, zoom or not
    var state = "fits";
    if (natural > limit + 1) {
      var scale = Math.max(MIN_SCALE, limit / natural);
      slide.style.zoom = scale;
      state = "shrunk";
      if (natural * scale > limit + 1) {
        slide.classList.add("course-scrolls");
        slide.style.height = (limit / scale) + "px";
        state = "scrolls";
      }
    }
    slide.dataset.courseFit = state;
    Reveal.layout();
  }
  function fitCurrent() { fit(Reveal.getCurrentSlide()); }
  if (window.MathJax && MathJax.Hub) {
    // nbconvert's handler draws a slide's equations again after each change: fit again then
    MathJax.Hub.Register.MessageHook("End Rerender", fitCurrent);
    MathJax.Hub.Register.MessageHook("End Process", fitCurrent);
  }
  window.courseFitSlide = fit;
  Reveal.on("ready", fitCurrent);
  Reveal.on("slidechanged", fitCurrent);
  if (Reveal.isReady()) { fitCurrent(); }
});
</script>
""".replace("REVEAL_JS", REVEAL_JS).replace("MIN_FIT_SCALE", repr(MIN_FIT_SCALE))

_DECK_TEMPLATE = (
    """{%- extends 'index.html.j2' -%}
{#- nbconvert's reveal template; the mermaid import it makes is dropped: nothing is bundled. -#}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}
{{ super() }}"""
    + _SLIDE_CSS
    + """{%- endblock html_head_css -%}
{#- nbconvert's closing tags, with a corner note outside the slides when not in full profile -#}
{% block body_footer %}
</div>
</div>
{%- if resources.course_profile and resources.course_profile != 'full' -%}
<div class="course-profile">profile {{ resources.course_profile }}: small data, few epochs</div>
{%- endif -%}
</main>
</body>
{% endblock body_footer %}
{% block footer_js %}
{{ super() }}"""
    + _FIT_JS
    + """{% endblock footer_js %}
"""
)

_PAGE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


def _config(slides: bool) -> Config:
    """The tags act on the slides; the page shows every cell with its code and output."""
    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {REMOVE_CELL}
    config.CoalesceStreamsPreprocessor.enabled = True  # a training log as one block of text
    if slides:
        config.TagRemovePreprocessor.remove_input_tags = {REMOVE_INPUT}
        config.TagRemovePreprocessor.remove_all_outputs_tags = {REMOVE_OUTPUT}
    return config


def _local_urls(exporter: HTMLExporter) -> HTMLExporter:
    exporter.require_js_url = REQUIRE_JS
    exporter.mathjax_url = MATHJAX_URL
    exporter.jquery_url = JQUERY_JS
    exporter.mermaid_js_url = NO_MERMAID
    exporter.mermaid_layout_elk_js_url = ""
    exporter.embed_images = True  # images in markdown cells become data: URIs
    return exporter


def slides_exporter() -> SlidesExporter:
    exporter = SlidesExporter(
        config=_config(slides=True),
        extra_loaders=[jinja2.DictLoader({"course_slides.html.j2": _DECK_TEMPLATE})],
        template_file="course_slides.html.j2",
    )
    exporter.reveal_url_prefix = REVEAL_PREFIX
    exporter.reveal_theme = "white"
    exporter.reveal_transition = "slide"
    exporter.reveal_number = "c/t"
    exporter.reveal_width = str(SLIDE_WIDTH)
    exporter.reveal_height = str(SLIDE_HEIGHT)
    return _local_urls(exporter)


def page_exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        config=_config(slides=False),
        extra_loaders=[jinja2.DictLoader({"course_page.html.j2": _PAGE_TEMPLATE})],
        template_file="course_page.html.j2",
    )
    return _local_urls(exporter)


# ---------------------------------------------------------------------------------------------
# Offline check: nothing a page loads may come from outside the build folder


class _LoadedURLs(HTMLParser):
    """Collects what a page would load by itself (not the links a reader may click)."""

    LOADING = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "audio": "src",
        "video": "src",
        "source": "src",
        "embed": "src",
        "track": "src",
        "object": "data",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in self.LOADING and attributes.get(self.LOADING[tag]):
            self.urls.append(attributes[self.LOADING[tag]])
        if tag == "link" and attributes.get("href"):
            self.urls.append(attributes["href"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.urls += re.findall(r"""url\(\s*['"]?([^'")\s]+)""", data)
            self.urls += re.findall(r"""@import\s+['"]([^'"]+)""", data)


def outside_urls(page: str) -> list[str]:
    """Every address in ``page`` that a browser would load from outside the page's folder."""
    parser = _LoadedURLs()
    parser.feed(page)
    outside = []
    for url in parser.urls:
        if url.startswith(("data:", "#")):
            continue
        absolute = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith(("//", "/"))
        if absolute or url.split("?")[0].startswith("../"):
            outside.append(url)
    return outside


# ---------------------------------------------------------------------------------------------
# Rendering


@dataclass
class Deck:
    name: str  # NN_topic
    source: Path
    status: str  # "ok", or the runner's "failed"/"skipped"
    message: str = ""
    deck: Path | None = None
    page: Path | None = None
    moved_outputs: int = 0
    title: str = ""


def _title(path: Path) -> str:
    """The notebook's first heading without its number ("Language modelling with windows")."""
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        heading = (
            re.search(r"^#\s+(.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        )
        if heading:
            return re.sub(r"^\d+\s*[·.:-]\s*|^\d+\s+", "", heading.group(1)).strip()
    return path.stem[3:].replace("_", " ")


def render(executed: Path, slides_dir: Path, name: str, profile: str) -> tuple[Path, Path, int]:
    """Write ``name.slides.html`` and ``name.html`` for one executed notebook."""
    notebook = nbformat.read(executed, as_version=4)
    _check_no_mermaid(notebook, name)
    resources = {"metadata": {"name": name, "path": str(executed.parent)}}
    resources["course_profile"] = profile
    prepared, moved = move_long_outputs(notebook)
    deck_html, _ = slides_exporter().from_notebook_node(prepared, resources=dict(resources))
    page_html, _ = page_exporter().from_notebook_node(notebook, resources=dict(resources))
    written = []
    for suffix, text in ((".slides.html", deck_html), (".html", page_html)):
        outside = outside_urls(text)
        if outside:
            raise SlidesError(
                f"{name}{suffix} would load {', '.join(sorted(set(outside))[:5])} from outside "
                "the build folder; every script, style sheet and image must be local or embedded."
            )
        path = slides_dir / f"{name}{suffix}"
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written[0], written[1], moved


def _results_html(markdown_text: str) -> str:
    if not markdown_text.strip():
        return "<p>No results yet: <code>make run</code> writes them.</p>"
    to_html = mistune.create_markdown(plugins=["table"], escape=True)
    return to_html(markdown_text)


def index_page(decks: list[Deck], results_markdown: str, profile: str, prefix: str) -> str:
    """The instructor's start page: every notebook's deck and page, and the results table."""
    rows = []
    for deck in decks:
        if deck.status == "ok" and deck.deck and deck.page:
            links = (
                f'<a href="{prefix}{deck.deck.name}">slides</a> · '
                f'<a href="{prefix}{deck.page.name}">executed notebook</a>'
            )
            note = f"{deck.moved_outputs} long output(s) on sub-slides" * bool(deck.moved_outputs)
        else:
            links = f"<em>{html.escape(deck.status)}</em>"
            note = html.escape(deck.message.splitlines()[0] if deck.message else "")
        rows.append(
            f"<tr><td>{html.escape(deck.name[:2])}</td>"
            f"<td>{html.escape(deck.title or deck.name[3:])}</td>"
            f"<td>{links}</td><td>{note}</td></tr>"
        )
    built = time.strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Recurrent neural networks with Keras: slides</title>
<style>
body {{ font-family: sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; }}
table {{ border-collapse: collapse; margin: 1em 0; }}
th, td {{ border-bottom: 1px solid #ccc; padding: 0.3em 0.8em; text-align: left; }}
.keys td {{ border: none; padding: 0.1em 0.8em; }}
</style>
</head>
<body>
<h1>Recurrent neural networks with Keras</h1>
<p>Slides and executed notebooks, built {built} in the <strong>{html.escape(profile)}</strong>
profile. Everything here works offline: copy the whole <code>slides</code> folder.</p>
<table>
<tr><th>#</th><th>notebook</th><th>open</th><th></th></tr>
{chr(10).join(rows)}
</table>
<h2>In the slides</h2>
<table class="keys">
<tr><td>→ / space</td><td>next slide or fragment (↓ for a sub-slide)</td></tr>
<tr><td>S</td><td>speaker view with the notes</td></tr>
<tr><td>F</td><td>full screen</td></tr>
<tr><td>Esc</td><td>overview of all slides</td></tr>
</table>
<h2>Latest results</h2>
{_results_html(results_markdown)}
</body>
</html>
"""


def _clear_old(slides_dir: Path) -> None:
    for pattern in ("[0-9][0-9]_*.slides.html", "[0-9][0-9]_*.html", "[0-9][0-9]_*.png"):
        for old in slides_dir.glob(pattern):
            old.unlink()


def build(
    decks: list[Deck],
    executed_dir: Path,
    build_dir: Path,
    profile: str,
    results_markdown: str,
    node_modules: Path = NODE_MODULES,
) -> list[Deck]:
    """Render every executed notebook in ``decks`` and write the two index pages."""
    slides_dir = build_dir / "slides"
    slides_dir.mkdir(parents=True, exist_ok=True)
    _clear_old(slides_dir)
    copy_assets(slides_dir, node_modules)
    for deck in decks:
        if deck.status != "ok":
            continue
        executed = executed_dir / deck.source.name
        if not executed.exists():
            deck.status, deck.message = "missing", f"no executed copy at {executed}"
            continue
        deck.deck, deck.page, deck.moved_outputs = render(executed, slides_dir, deck.name, profile)
        print(f"  {deck.deck}  ({deck.moved_outputs} long output(s) moved to sub-slides)")
    manifest = [
        {
            "notebook": str(deck.source),
            "executed": str(executed_dir / deck.source.name),
            "status": deck.status,
            "deck": deck.deck.name if deck.deck else None,
            "page": deck.page.name if deck.page else None,
            "moved_outputs": deck.moved_outputs,
        }
        for deck in decks
    ]
    (slides_dir / "decks.json").write_text(
        json.dumps({"profile": profile, "decks": manifest}, indent=1)
    )
    (slides_dir / "index.html").write_text(index_page(decks, results_markdown, profile, ""))
    (build_dir / "index.html").write_text(index_page(decks, results_markdown, profile, "slides/"))
    return decks


# ---------------------------------------------------------------------------------------------
# Command line


def _results_markdown(results_dir: Path | None, build_dir: Path) -> str:
    if results_dir is not None:
        return results.markdown_table(results.gather(results_dir))
    table = build_dir / "results.md"
    if not table.exists():
        return ""
    return re.sub(r"^# .*\n+", "", table.read_text())  # the page has its own heading


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--profile", default=os.environ.get(PROFILE_ENV_VAR, "full"))
    parser.add_argument("--build", type=Path, default=Path("build"))
    parser.add_argument(
        "--executed",
        type=Path,
        help="render the executed notebooks in this folder instead of running them",
    )
    parser.add_argument(
        "--results", type=Path, help="with --executed: the folder of recorded results to show"
    )
    args = parser.parse_args(argv)
    try:
        profile = Profile(args.profile)
    except ProfileError as error:
        print(error, file=sys.stderr)
        return 2
    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        print("No notebooks to render (looked for notebooks/NN_*.ipynb).", file=sys.stderr)
        return 1
    decks = [
        Deck(name=path.stem, source=path, status="ok", title=_title(path)) for path in notebooks
    ]

    status = 0
    if args.executed is None:
        status, summary = runner.run(
            [*map(str, notebooks), "--profile", profile.name, "--build", str(args.build)]
        )
        if summary is None:  # nothing ran, or it was interrupted: the runner has said why
            return status
        outcomes = {entry["notebook"]: entry for entry in summary["notebooks"]}
        for deck in decks:
            outcome = outcomes.get(deck.name, {"status": "failed", "message": "did not run"})
            deck.status, deck.message = outcome["status"], outcome["message"]
        executed_dir = args.build / "notebooks"
    else:
        executed_dir = args.executed

    start = time.perf_counter()
    print(f"Rendering {len(decks)} notebook(s) into {args.build / 'slides'}")
    try:
        table = _results_markdown(args.results, args.build)
        build(decks, executed_dir, args.build, profile.name, table)
    except (SlidesError, results.ResultsFileError) as error:
        print(f"make slides: {error}", file=sys.stderr)
        return 1
    rendered = [deck for deck in decks if deck.deck]
    print(
        f"{len(rendered)} deck(s) in {time.perf_counter() - start:.0f} s; open "
        f"{(args.build / 'index.html').resolve()} (or copy {args.build / 'slides'} as a whole)"
    )
    for deck in decks:
        if deck.status != "ok":
            first_line = (deck.message.splitlines() or [""])[0]
            print(f"NOT RENDERED {deck.name}: {deck.status}: {first_line}")
            status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
