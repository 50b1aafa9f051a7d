"""The opening of every notebook: a quiet TensorFlow, the course's plot style, the run profile."""

from __future__ import annotations

import contextlib
import os
import sys

from .plotting import use_course_style
from .profiles import Profile, active_profile
from .results import set_notebook


@contextlib.contextmanager
def _stderr_silenced():
    """Send file descriptor 2 to /dev/null: TensorFlow's C++ start-up lines ignore every log
    setting, and in a notebook they would show as red noise on the first cell."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def import_tensorflow_quietly():
    """Import TensorFlow with its C++ start-up logging silenced; returns the module."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with _stderr_silenced():
        import tensorflow as tf
    tf.get_logger().setLevel("ERROR")
    return tf


def run_one_op_at_a_time(tf) -> None:
    """Have TensorFlow run one op at a time, each using every core.

    Its default also runs independent ops side by side, which on a 2-core laptop oversubscribes
    the cores; measured here, the course's recurrent models trained 1.5-1.9x faster and far more
    steadily this way. Takes effect only before TensorFlow runs its first op.
    """
    with contextlib.suppress(RuntimeError):  # TensorFlow has started: it keeps what it has
        tf.config.threading.set_inter_op_parallelism_threads(1)


INTRA_OP_THREADS_ENV_VAR = "COURSE_INTRA_OP_THREADS"


def use_the_cores_given(tf) -> None:
    """Give each op only the cores ``COURSE_INTRA_OP_THREADS`` names, when it names any: the
    runner sets it for notebooks that run side by side (``make run``), each on its share of
    the cores. Unset, TensorFlow uses every core. Takes effect only before the first op."""
    text = os.environ.get(INTRA_OP_THREADS_ENV_VAR, "").strip()
    if not text:
        return
    if not text.isdigit() or int(text) < 1:
        raise ValueError(
            f"{INTRA_OP_THREADS_ENV_VAR}={text!r} is not a number of cores (1 or more): unset it "
            f"to let TensorFlow use every core."
        )
    with contextlib.suppress(RuntimeError):  # TensorFlow has started: it keeps what it has
        tf.config.threading.set_intra_op_parallelism_threads(int(text))


def gpu_available() -> bool:
    """Whether TensorFlow sees a GPU."""
    return bool(import_tensorflow_quietly().config.list_physical_devices("GPU"))


def describe_device() -> str:
    """``"GPU: <name>"`` for the first visible GPU, else ``"CPU: <n> cores (no GPU visible)"``."""
    tf = import_tensorflow_quietly()
    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return f"GPU: {details.get('device_name', gpus[0].name)}"
    return f"CPU: {os.cpu_count()} cores (no GPU visible)"


def setup(notebook: str) -> Profile:
    """Prepare a notebook: quiet TensorFlow running one op at a time (on the cores the runner
    gives it, when it gives any), the course's plot style, results recorded under ``notebook``.

    Prints the profile, versions and device in one line and returns the active profile.
    """
    profile = active_profile()
    tf = import_tensorflow_quietly()
    run_one_op_at_a_time(tf)
    use_the_cores_given(tf)
    import keras

    use_course_style()
    set_notebook(notebook)
    print(
        f"Notebook {notebook} | profile: {profile.name} | TensorFlow {tf.__version__}, "
        f"Keras {keras.__version__} | {describe_device()}"
    )
    return profile
