"""nbconvert's exporters, set up for the course: its templates, its tags, local asset addresses.

The templates are files in ``templates/`` (shipped as package data): ``course_slides.html.j2``
extends nbconvert's reveal.js template with the style sheet ``course_slides.css.j2`` and the
fitting script ``course_fit.js.j2``; ``course_page.html.j2`` extends its lab template. What they
read from Python comes in ``resources["course"]`` (:func:`template_values`).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from nbconvert import HTMLExporter, SlidesExporter
from traitlets.config import Config

from .assets import JQUERY_URL, MATHJAX_URL, NO_MERMAID_URL, REQUIRE_URL, REVEAL_PREFIX, REVEAL_URL
from .cells import REMOVE_CELL, REMOVE_INPUT, REMOVE_OUTPUT
from .long_outputs import MOVED_OUTPUT_CLASS
from .screen import (
    CODE_BOX,
    FIGURE_BOX,
    MIN_FIT_SCALE,
    MOVED_OUTPUT_BOX,
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
)

TEMPLATES = Path(__file__).resolve().with_name("templates")


def template_values(profile: str) -> dict:
    """What the deck's templates read as ``resources.course``: the profile for the corner note,
    the boxes' heights, the moved outputs' class, reveal.js's address and the smallest scale."""
    return {
        "profile": profile,
        "code_box_px": int(SLIDE_HEIGHT * CODE_BOX),
        "figure_box_px": int(SLIDE_HEIGHT * FIGURE_BOX),
        "moved_output_box_px": int(SLIDE_HEIGHT * MOVED_OUTPUT_BOX),
        "moved_output_class": MOVED_OUTPUT_CLASS,
        "reveal_url": REVEAL_URL,
        "min_fit_scale": MIN_FIT_SCALE,
    }


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
    exporter.require_js_url = REQUIRE_URL
    exporter.mathjax_url = MATHJAX_URL
    exporter.jquery_url = JQUERY_URL
    exporter.mermaid_js_url = NO_MERMAID_URL
    exporter.mermaid_layout_elk_js_url = ""
    exporter.embed_images = True  # images in markdown cells become data: URIs
    return exporter


def slides_exporter() -> SlidesExporter:
    """The deck: reveal.js 4 from ``assets/``, 16:9, white theme, slide numbers as ``c/t``."""
    exporter = SlidesExporter(
        config=_config(slides=True),
        extra_loaders=[jinja2.FileSystemLoader(TEMPLATES)],
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
    """The executed notebook as one page, every cell with its code."""
    exporter = HTMLExporter(
        config=_config(slides=False),
        extra_loaders=[jinja2.FileSystemLoader(TEMPLATES)],
        template_file="course_page.html.j2",
    )
    return _local_urls(exporter)
