"""About how tall a cell stands on a slide, in CSS pixels, before any browser draws it.

The estimate decides which long outputs move to a sub-slide of their own (:mod:`.long_outputs`);
the browser tests then check every slide for real. The sizes were measured on the course's decks.
"""

from __future__ import annotations

import base64
import re
import struct

from .cells import REMOVE_INPUT, REMOVE_OUTPUT, on_a_slide, tags, text
from .screen import CODE_BOX, FIGURE_BOX, SLIDE_HEIGHT, SLIDE_WIDTH

# Rough heights on a 1280 x 720 slide, in CSS pixels.
_PX = {"text": 30, "chars": 105, "heading": 62, "block": 16, "code": 22, "cell": 22}
_PX_OUTPUT = 22
_PX_EQUATION = 60


def text_lines(output) -> int:
    """Lines of text an output shows; 0 for a figure, which is sized by the style sheet."""
    kind = output.get("output_type")
    if kind == "stream":
        shown = text(output.get("text"))
    elif kind in ("execute_result", "display_data"):
        data = output.get("data", {})
        if any(key.startswith("image/") for key in data):
            return 0
        shown = text(data.get("text/plain"))  # also for HTML (a model summary, a table): as tall
    elif kind == "error":
        shown = "\n".join(output.get("traceback", []))
    else:
        return 0
    return len(shown.rstrip("\n").splitlines())


def output_lines(cell) -> int:
    """How many lines of text a code cell's outputs show."""
    return sum(text_lines(output) for output in cell.get("outputs", []))


def _png_height(data: str) -> float:
    """A PNG's height as shown: scaled down to the slide's width, at most FIGURE_BOX of it."""
    try:
        header = base64.b64decode(text(data)[:64])
        width, height = struct.unpack(">II", header[16:24])
    except (ValueError, struct.error):
        return SLIDE_HEIGHT // 2
    return min(height * min(1.0, (SLIDE_WIDTH - 80) / max(width, 1)), SLIDE_HEIGHT * FIGURE_BOX)


def _markdown_height(source: str) -> float:
    height = 0.0
    for block in re.split(r"\n\s*\n", source.strip()):
        lines = block.splitlines()
        if block.lstrip().startswith("#"):
            height += _PX["heading"]
            lines = lines[1:]
        if re.search(r"\$\$|\\\[|\\begin\{", block):
            height += _PX_EQUATION  # a displayed equation
        words = sum(len(line) for line in lines)
        height += _PX["text"] * max(len(lines), -(-words // _PX["chars"])) + _PX["block"]
    return height


def _output_height(output) -> float:
    data = output.get("data", {})
    if "image/png" in data:
        return _png_height(data["image/png"]) + _PX["block"]
    return min(text_lines(output) * _PX_OUTPUT, SLIDE_HEIGHT * CODE_BOX) + _PX["block"]


def estimated_height(cell, *, with_input: bool = True, with_output: bool = True) -> float:
    """About how tall ``cell`` stands on a slide, in CSS pixels (code and output each capped)."""
    if not on_a_slide(cell):
        return 0.0
    if cell.cell_type == "markdown":
        return _markdown_height(cell.source)
    if cell.cell_type != "code":
        return 0.0
    height = 0.0
    if with_input and REMOVE_INPUT not in tags(cell):
        lines = len(cell.source.rstrip("\n").splitlines())
        height += min(lines * _PX["code"], SLIDE_HEIGHT * CODE_BOX) + _PX["cell"]
    if with_output and REMOVE_OUTPUT not in tags(cell):
        height += sum(_output_height(output) for output in cell.get("outputs", []))
    return height
