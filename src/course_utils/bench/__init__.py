"""``python -m course_utils.bench`` (``make bench``): seconds per epoch of every model of the
course at full size, in the seed's plain configuration and in the course's, timed side by side
in one run, so that a speed change's effect is a number.

One job per module: :mod:`.catalogue` (the models, as their notebooks build and compile them,
one batch of each and the batches in an epoch), :mod:`.timing` (the two configurations, and
timing training batches), :mod:`.worker` (a process per configuration: TensorFlow takes thread
settings only before its first op), :mod:`.report` (the table and the JSON file), ``__main__``
(the command).
"""

from .catalogue import BY_NAME, MODELS, BenchModel, select
from .timing import CONFIGURATIONS, COURSE, SEED, seconds_per_epoch

__all__ = [
    "BY_NAME",
    "CONFIGURATIONS",
    "COURSE",
    "MODELS",
    "SEED",
    "BenchModel",
    "seconds_per_epoch",
    "select",
]
