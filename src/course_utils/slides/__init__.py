"""Render the executed notebooks as offline reveal.js decks and HTML pages for instructors.

``python -m course_utils.slides [--profile full|smoke] [notebooks ...]`` (``make slides``) runs the
notebooks with the runner and writes into ``build/slides/``: each notebook's deck
(``NN_topic.slides.html``) and page (``NN_topic.html``), ``assets/`` (reveal.js, MathJax,
require.js, jQuery) and ``index.html``. One module per job:

- ``cli``: the command; calls the runner and takes its outcomes and results;
- ``build``: the whole slides folder (decks, pages, assets, ``decks.json``, start pages);
- ``render``: one executed notebook into its deck and page, checked offline;
- ``exporters``: nbconvert set up with the course's templates (``templates/``, package data);
- ``long_outputs``: long outputs moved to sub-slides so that slides fit the screen;
- ``heights``: how tall a cell stands on a slide (an estimate);
- ``screen``: the slide's size and its boxes' shares, which the templates follow too;
- ``cells``: a cell's slide type and tags;
- ``assets``: the browser files copied from ``node_modules``, and their addresses;
- ``audit``: what a page would load from outside its folder;
- ``index``: the start page;
- ``errors``: the error that stops the build.
"""

from .cli import main
from .errors import SlidesError

__all__ = ["SlidesError", "main"]
