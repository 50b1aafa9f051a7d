"""The slide's size, and the share of it each box may take.

The height estimate (:mod:`.heights`), the style sheet and the fitting script
(``templates/course_slides.css.j2``, ``templates/course_fit.js.j2``) all follow these numbers, so
they are written once here.
"""

from __future__ import annotations

# The logical slide size (reveal.js scales it to the screen): 16:9, as most projectors are.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720

# Long code and long text output scroll inside their own box beyond this share of the height;
# a figure is shown at most this tall; a moved output, alone on its sub-slide, may take more.
CODE_BOX = 0.62
FIGURE_BOX = 0.8
MOVED_OUTPUT_BOX = 0.85

# A slide taller than the screen is shrunk to fit, but never below this scale; beyond that its
# content scrolls (and the browser tests fail the deck).
MIN_FIT_SCALE = 0.7
