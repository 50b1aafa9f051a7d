"""``python -m course_utils.slides``: see :mod:`course_utils.slides.cli`."""

import sys

from .cli import main

sys.exit(main())
