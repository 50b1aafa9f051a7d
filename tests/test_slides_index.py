"""The instructor's start page: every notebook's deck and page, and the results table."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from course_utils.slides.index import NO_RESULTS, Deck, index_page, title_of

TABLE = "| notebook | result | value |\n| --- | --- | ---: |\n| 01 | perplexity | 238.0 |\n"


def _decks(tmp_path: Path) -> list[Deck]:
    decks = [
        Deck("01_windows", Path("notebooks/01_windows.ipynb"), "ok", title="Windows"),
        Deck("02_cell", Path("notebooks/02_cell.ipynb"), "skipped", "imdb.npz missing\nmore"),
    ]
    decks[0].deck = tmp_path / "01_windows.slides.html"
    decks[0].page = tmp_path / "01_windows.html"
    return decks


def test_the_index_lists_every_deck_and_the_results(tmp_path):
    page = index_page(_decks(tmp_path), TABLE, "smoke", "slides/")
    assert 'href="slides/01_windows.slides.html"' in page
    assert 'href="slides/01_windows.html"' in page
    assert "imdb.npz missing" in page and "<em>skipped</em>" in page
    assert "more" not in page  # the first line of the message only
    assert "<td>238.0</td>" in page or '<td style="text-align:right">238.0</td>' in page
    assert "<strong>smoke</strong>" in page and "<td>Windows</td>" in page
    assert "<td>cell</td>" in page  # no title: from the name


def test_the_index_in_the_slides_folder_links_beside_itself(tmp_path):
    decks = _decks(tmp_path)
    decks[0].moved_outputs = 2
    page = index_page(decks, TABLE, "full", "")
    assert 'href="01_windows.slides.html"' in page and "slides/" not in page.split("<table>")[1]
    assert "2 long output(s) on sub-slides" in page


def test_what_the_index_shows_is_escaped(tmp_path):
    decks = _decks(tmp_path)
    decks[1].message = "<script>alert(1)</script> & co"
    table = TABLE.replace("perplexity", "<b>perplexity</b>")
    page = index_page(decks, table, "<i>smoke</i>", "slides/")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<b>perplexity</b>" not in page and "<i>smoke</i>" not in page


def test_without_results_the_index_says_so(tmp_path):
    assert NO_RESULTS in index_page(_decks(tmp_path), "", "smoke", "")
    assert NO_RESULTS not in index_page(_decks(tmp_path), TABLE, "smoke", "")


def test_a_deck_is_titled_by_its_notebooks_first_heading(tmp_path):
    path = tmp_path / "04_lstm.ipynb"
    cells = [new_markdown_cell("Intro"), new_markdown_cell("# 04 · The LSTM cell\n\nText")]
    nbformat.write(new_notebook(cells=cells), path)
    assert title_of(path) == "The LSTM cell"
    nbformat.write(new_notebook(cells=[new_markdown_cell("no heading")]), path)
    assert title_of(path) == "lstm"
    path.write_text("{ not a notebook")  # the runner reports it: the index still lists it
    assert title_of(path) == "lstm"
    assert title_of(tmp_path / "05_gru_and_cudnn.ipynb") == "gru and cudnn"
