"""cuDNN on the TensorFlow backend: when Keras can use it, what a mask must look like, and the
measured speed-up.

Keras 3 has no ``CuDNNLSTM``/``CuDNNGRU`` layers: ``LSTM`` and ``GRU`` pick the cuDNN kernel
themselves on a GPU when their configuration allows it, as ``tf.keras`` did since TensorFlow 2.0;
what Keras 3 adds is the ``use_cudnn`` argument ("auto", True, False). The timings and the
masking outcomes measured on a GPU are kept in ``cudnn_timings.json`` beside this package, with
the hardware, versions and date; ``python -m course_utils.cudnn`` measures both anew (on a GPU
only).

One job per module: :mod:`.eligibility` (which layer configurations may use cuDNN),
:mod:`.masking` (masked batches and what each kernel does with them), :mod:`.speed` (seconds per
epoch of notebook 03's IMDB model with each layer), :mod:`.timings_file` (the recorded file and
its table), ``__main__`` (the command that measures and writes it).

Source references are to the pinned Keras: ``keras/src/layers/rnn/lstm.py`` and ``gru.py``
(``inner_loop``), ``keras/src/backend/tensorflow/rnn.py`` (``cudnn_ok``, ``lstm``, ``gru``,
``_assert_valid_mask``) and ``keras/src/trainers/trainer.py`` (the ``jit_compile`` setter).
"""

from .eligibility import cudnn_blockers
from .masking import (
    PADDINGS,
    check_masking,
    mask_picture,
    masked_batch,
    masking_outcome,
    predicted_on_gpu,
    traced_kernel,
)
from .speed import CONFIGURATIONS, JIT_COMPILE, WORKLOAD, epoch_seconds, measure
from .timings_file import (
    TIMINGS_FILE,
    format_masking,
    format_timings,
    recorded_timings,
    write_timings,
)

__all__ = [
    "CONFIGURATIONS",
    "JIT_COMPILE",
    "PADDINGS",
    "TIMINGS_FILE",
    "WORKLOAD",
    "check_masking",
    "cudnn_blockers",
    "epoch_seconds",
    "format_masking",
    "format_timings",
    "mask_picture",
    "masked_batch",
    "masking_outcome",
    "measure",
    "predicted_on_gpu",
    "recorded_timings",
    "traced_kernel",
    "write_timings",
]
