"""How tall the build thinks a cell stands on a slide, and the long outputs it moves because of it.

(tests/test_slides.py checks the real decks in a browser; these need none.)
"""

from __future__ import annotations

import base64
import struct
import zlib

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_utils.slides.cells import REMOVE_INPUT
from course_utils.slides.heights import estimated_height, output_lines, text_lines
from course_utils.slides.long_outputs import (
    MOVED_OUTPUT_CLASS,
    coalesce_streams,
    move_long_outputs,
)
from course_utils.slides.screen import CODE_BOX, FIGURE_BOX, SLIDE_HEIGHT
from tests.test_slides import expected_slides


def _code(source, lines=0, slide_type="-", tags=()):
    outputs = [new_output("stream", name="stdout", text="".join(f"{n}\n" for n in range(lines)))]
    metadata = {"slideshow": {"slide_type": slide_type}, "tags": list(tags)}
    return new_code_cell(source, metadata=metadata, outputs=outputs if lines else [])


def _markdown(source, slide_type="-", tags=()):
    metadata = {"slideshow": {"slide_type": slide_type}, "tags": list(tags)}
    return new_markdown_cell(source, metadata=metadata)


def _png(width: int, height: int) -> str:
    """A PNG's first bytes, as far as its size (what the estimate reads), base64-encoded."""
    header = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR"
    header += struct.pack(">II", width, height) + b"\x08\x06\x00\x00\x00"
    return base64.b64encode(header + struct.pack(">I", zlib.crc32(header[12:]))).decode()


def _figure(width, height):
    return new_output("display_data", data={"image/png": _png(width, height), "text/plain": "F"})


# ---------------------------------------------------------------------------------------------
# The estimate


def test_lines_of_text_count_and_figures_do_not():
    error = new_output("error", ename="E", evalue="v", traceback=["a", "b\nc"])
    table = new_output("execute_result", data={"text/plain": "1\n2\n", "text/html": "<table>"})
    assert text_lines(new_output("stream", name="stdout", text=["a\n", "b\n", "c\n"])) == 3
    assert text_lines(table) == 2  # an HTML table stands about as tall as its text
    assert text_lines(error) == 3
    assert text_lines(_figure(10, 10)) == 0
    cell = _code("x", lines=4)
    cell.outputs.append(error)
    assert output_lines(cell) == 7


def test_cells_off_the_slides_take_no_height():
    for cell in (
        _code("x", lines=30, slide_type="skip"),
        _markdown("said aloud", slide_type="notes"),
        _markdown("# gone", tags=["remove_cell"]),
    ):
        assert estimated_height(cell) == 0.0


def test_more_text_stands_taller_and_a_heading_adds_to_it():
    short, long = _markdown("A line."), _markdown("A line.\n\n" + "word " * 200)
    assert 0 < estimated_height(short) < estimated_height(long)
    assert estimated_height(_markdown("# Title\nA line.")) > estimated_height(short)
    assert estimated_height(_markdown("$$y = Wx$$")) > estimated_height(_markdown("y = Wx"))


def test_code_and_output_are_capped_as_their_boxes_scroll():
    box = SLIDE_HEIGHT * CODE_BOX
    huge = _code("\n".join(["x"] * 500), lines=500)
    assert estimated_height(huge, with_output=False) < box + 40
    assert estimated_height(huge, with_input=False) < box + 40
    assert estimated_height(huge) == (
        estimated_height(huge, with_output=False) + estimated_height(huge, with_input=False)
    )


def test_the_tags_take_code_or_output_away():
    cell = _code("a\nb\nc", lines=10)
    no_code = _code("a\nb\nc", lines=10, tags=["remove_input"])
    no_output = _code("a\nb\nc", lines=10, tags=["remove_output"])
    assert estimated_height(no_code) == estimated_height(cell, with_input=False)
    assert estimated_height(no_output) == estimated_height(cell, with_output=False)


def test_a_figure_is_scaled_to_the_slide_width_and_capped():
    def height(width, tall):
        cell = _code("plot()", tags=["remove_input"])
        cell.outputs = [_figure(width, tall)]
        return estimated_height(cell)

    assert height(600, 300) < height(600, 400)
    assert height(2400, 600) == height(1200, 300)  # twice as wide: shown at half the size
    assert height(600, 5000) <= SLIDE_HEIGHT * FIGURE_BOX + 20
    assert height(600, 5000) == height(600, 9000)


# ---------------------------------------------------------------------------------------------
# Long outputs on sub-slides of their own


def test_long_outputs_move_to_a_sub_slide_of_their_own():
    code = "\n".join(f"step({n})" for n in range(20))
    notebook = new_notebook(
        cells=[
            _markdown("# Title", "slide"),
            _code("print(2)", lines=5),  # short: stays
            _code(code, lines=30),  # long, under long code: moves
            _code("plot()", lines=40, tags=["remove_input"]),  # no code shown: stays
            _code("hidden()", lines=40, slide_type="skip"),  # not on a slide: stays
            _markdown("## Next", "slide"),
            _code(code, lines=12),  # long, but the slide holds it: stays
        ]
    )
    prepared, moved = move_long_outputs(notebook)
    assert moved == 1
    assert len(prepared.cells) == len(notebook.cells) + 2
    code_cell, caption, output = prepared.cells[2:5]
    assert code_cell.outputs == [] and code_cell.source == code
    assert caption.metadata.slideshow.slide_type == "subslide"
    assert MOVED_OUTPUT_CLASS in caption.source
    assert output.outputs == notebook.cells[2].outputs
    assert REMOVE_INPUT in output.metadata.tags
    assert [c.source for c in prepared.cells[5:]] == [c.source for c in notebook.cells[3:]]
    assert expected_slides(prepared) == (expected_slides(notebook)[0] + 1, 2)
    assert notebook.cells[2].outputs  # the original is left alone


def test_the_same_notebook_gives_the_same_deck():
    """The moved output's cells take their ids from the code cell, not at random."""
    notebook = new_notebook(
        cells=[_markdown("# T", "slide"), _code("\n".join(["x"] * 20), lines=30)]
    )
    first, second = move_long_outputs(notebook)[0], move_long_outputs(notebook)[0]
    assert [c.id for c in first.cells] == [c.id for c in second.cells]
    assert len({c.id for c in first.cells}) == len(first.cells)
    assert first.cells[2].id.startswith(notebook.cells[1].id)


def test_nothing_moves_when_moving_would_not_help():
    tall_figures = [_code(f"plot({n})", lines=40, tags=["remove_input"]) for n in range(3)]
    notebook = new_notebook(cells=[_markdown("# T", "slide"), *tall_figures])
    prepared, moved = move_long_outputs(notebook)
    assert moved == 0 and len(prepared.cells) == len(notebook.cells)


def test_prints_in_a_row_are_one_block():
    cell = _code("fit()", lines=0)
    cell.outputs = [new_output("stream", name="stdout", text=f"epoch {n}\n") for n in range(3)]
    cell.outputs.append(new_output("stream", name="stderr", text="warning\n"))
    coalesce_streams(cell)
    assert [o.text for o in cell.outputs] == ["epoch 0\nepoch 1\nepoch 2\n", "warning\n"]
