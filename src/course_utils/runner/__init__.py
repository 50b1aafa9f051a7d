"""Execute the course's notebooks headless, in turn or side by side, and print the results table.

``python -m course_utils.runner [--profile full|smoke] [--build DIR] [--jobs N] [notebooks ...]``
(``make run`` calls it with ``--jobs 2``; :func:`run` is the same from Python). Before running,
every data set a notebook declares in its metadata (``course.datasets``) is resolved; a notebook
whose data cannot be had is skipped with the data layer's own message. A notebook that cannot
run (not there, not a notebook, a failing or timed-out cell, a dead kernel) is reported as
failed, and the run goes on with the next one.

Each run keeps its records in a folder of its own, ``<build>/runs/<started>-<id>/`` (the results
files its notebooks write, and its own ``results.json`` and ``results.md``), and only at the end
replaces ``<build>/results.json`` and ``<build>/results.md``, each written whole and then renamed.
It deletes nothing, so runs that overlap (even with the same ``--build``) cannot lose each other's
results. Exit status: 0 every notebook ran; 1 a notebook failed; 2 nothing ran (a bad option, an
unknown profile, no notebooks, an unusable ``--build``); 3 none failed but some were skipped (their
data could not be had); 128 + the signal (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP) interrupted: the
kernel is stopped, what finished is in the run's folder, and the gathered files are not touched.

One job per module, each calling only those below it:

- :mod:`.command`: the command line, its usage errors, :func:`run` and :func:`main`;
- :mod:`.all_notebooks`: one run, the notebooks in turn, then its records and report;
- :mod:`.side_by_side`: the notebooks up to ``--jobs`` at a time, :mod:`.schedule` saying which
  starts when (a notebook waits for those whose kept runs it loads; some run alone);
- :mod:`.one_notebook`: one notebook, from its file to an outcome and an executed copy;
- :mod:`.data_check`: whether the data sets a notebook declares can be had;
- :mod:`.kernel`: its cells in a Jupyter kernel, and why they stopped;
- :mod:`.run_folder`: the run's folder, gathering its results, writing its records whole;
- :mod:`.report`: the tables and messages printed at the end, and the last line;
- :mod:`.outcomes`: each notebook's outcome, and the exit statuses;
- :mod:`.signals`: Ctrl-C, SIGTERM and SIGHUP; :mod:`.console`: output that survives ``| head``.
"""

from ..notebooks import declared_datasets
from .command import DEFAULT_CELL_TIMEOUT_S, main, run
from .data_check import missing_data
from .one_notebook import execute
from .outcomes import FAILED, NOTHING_RAN, OK, SKIPPED, Outcome, UsageError
from .signals import STOP_SIGNALS, Interrupted

__all__ = [
    "DEFAULT_CELL_TIMEOUT_S",
    "FAILED",
    "NOTHING_RAN",
    "OK",
    "SKIPPED",
    "STOP_SIGNALS",
    "Interrupted",
    "Outcome",
    "UsageError",
    "declared_datasets",
    "execute",
    "main",
    "missing_data",
    "run",
]
