"""Train a model once: a run that an earlier notebook already made with the same model, initial
weights, compile settings, data and fit settings is loaded instead of trained again.

Runs are kept under ``COURSE_TRAINED_DIR``, else ``build/trained`` in the course checkout (no
cache outside one: the model is trained). A kept run is found by a digest of everything that
decides its outcome, so any change (a layer, a seed, a review, an epoch, a version of Keras)
finds nothing and trains. Notebook 04 trains its LSTM and keeps it (``load=False``: the notebook
that teaches a model always trains it); notebook 05 loads it for its side-by-side with the GRU.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from .checkout import repository_root
from .length_batches import SimilarLengthBatches
from .results import current_notebook
from .runs import TrainingRun, fit_and_keep_best
from .timeseries import dataset_fingerprint

TRAINED_ENV_VAR = "COURSE_TRAINED_DIR"
_RUN_FILE = "run.json"
_WEIGHTS_FILE = "best.weights.h5"


@dataclass(frozen=True)
class Provenance:
    """Where a run's weights came from: trained in this notebook, or loaded from ``folder``."""

    loaded: bool
    folder: Path | None
    trained_by: str | None
    trained_on: str | None

    def __str__(self) -> str:
        folder = _shown(self.folder)
        if not self.loaded:
            kept = f", kept in {folder}" if folder else " (no cache outside a checkout)"
            return f"trained here{kept}"
        return (f"loaded from {folder}: trained by notebook {self.trained_by} "
                f"on {self.trained_on}")


def _shown(folder: Path | None) -> str | None:
    """``folder`` relative to the checkout when it lies in it (shorter on a slide)."""
    root = repository_root()
    if folder is None or root is None or not folder.is_relative_to(root):
        return None if folder is None else str(folder)
    return str(folder.relative_to(root))


def trained_dir() -> Path | None:
    """The folder that keeps trained runs, or ``None`` outside a checkout without the variable."""
    if os.environ.get(TRAINED_ENV_VAR):
        return Path(os.environ[TRAINED_ENV_VAR])
    root = repository_root()
    return root / "build" / "trained" if root else None


def fit_or_load(
    model: keras.Model,
    x: np.ndarray | SimilarLengthBatches,
    y: np.ndarray | None = None,
    *,
    label: str,
    monitor: str = "val_loss",
    patience: int | None,
    test_data: tuple[np.ndarray, np.ndarray] | SimilarLengthBatches | None = None,
    load: bool = True,
    **fit_kwargs,
) -> tuple[TrainingRun, Provenance]:
    """:func:`~course_utils.runs.fit_and_keep_best` on a compiled, untrained ``model``, or the
    same run loaded when one was kept (and ``load``). The run is kept either way. Returns the
    run and where it came from. ``x``, ``validation_data`` and ``test_data`` may be
    :class:`~course_utils.length_batches.SimilarLengthBatches` (then ``y`` is ``None``)."""
    folder_root = trained_dir()
    key = run_key(model, x, y, monitor=monitor, patience=patience, test_data=test_data,
                  fit_kwargs=fit_kwargs)
    if folder_root is not None:
        folder = folder_root / f"{model.name}-{key[:20]}"
        kept = _load(model, folder, label, monitor) if load else None
        if kept is not None:
            return kept
    if "validation_data" in fit_kwargs:
        fit_kwargs["validation_data"] = _fit_input(fit_kwargs["validation_data"])
    fit_args = (_fit_input(x),) if y is None else (x, y)
    run = fit_and_keep_best(model, *fit_args, label=label, monitor=monitor, patience=patience,
                            test_data=_fit_input(test_data), **fit_kwargs)
    if folder_root is None:
        return run, Provenance(False, None, None, None)
    _keep(run, folder, key, replace=not load)
    return run, Provenance(False, folder, None, None)


def run_key(model, x, y, *, monitor, patience, test_data, fit_kwargs) -> str:
    """A sha256 of all that decides a run's outcome (the label, which only names it, aside)."""
    if model.optimizer is None or model.optimizer.iterations.numpy() != 0:
        raise ValueError(
            f"{model.name}: fit_or_load needs a compiled model that has not been trained yet"
        )
    digest = hashlib.sha256()
    for part in (
        json.dumps(_without_names(json.loads(model.to_json())), sort_keys=True),
        json.dumps(_without_names(model.get_compile_config()), sort_keys=True, default=repr),
        json.dumps({"monitor": monitor, "patience": patience}, sort_keys=True),
        f"keras {keras.__version__}, numpy {np.__version__}, {keras.backend.backend()}",
    ):
        digest.update(part.encode())
    for weights in model.get_weights():
        _hash_value(digest, weights)
    settings = sorted((name, value) for name, value in fit_kwargs.items() if name != "verbose")
    for value in (x, y, test_data, settings):  # how much fit prints changes nothing
        _hash_value(digest, value)
    return digest.hexdigest()


def _fit_input(value):
    """What ``fit`` reads: batches of similar length become their ``tf.data`` pipeline."""
    return value.dataset() if isinstance(value, SimilarLengthBatches) else value


def _without_names(config):
    """A configuration less its names: Keras numbers unnamed layers and optimizers by how many
    were made before (``gru_1``, ``rmsprop_1``), which says nothing about the run."""
    if isinstance(config, dict):
        return {key: _without_names(value) for key, value in config.items() if key != "name"}
    if isinstance(config, list):
        return [_without_names(value) for value in config]
    return config


def _hash_value(digest, value) -> None:
    if isinstance(value, np.ndarray):
        digest.update(f"array {value.dtype} {value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__} {len(value)}".encode())
        for item in value:
            _hash_value(digest, item)
    elif value is None or isinstance(value, (bool, int, float, str)):
        digest.update(repr(value).encode())
    elif isinstance(value, SimilarLengthBatches):
        digest.update(f"similar-length batches {value.fingerprint()}".encode())
    elif dataset_fingerprint(value) is not None:
        digest.update(f"windows {dataset_fingerprint(value)}".encode())
    else:
        raise TypeError(
            f"fit_or_load cannot tell whether two {type(value).__name__} values are the same "
            "training data or setting; pass NumPy arrays, SimilarLengthBatches, datasets made by "
            "window_dataset, numbers or strings, or train with fit_and_keep_best"
        )


def _load(model, folder: Path, label: str, monitor: str):
    if not model.optimizer.built:  # the kept file holds the optimizer's state too
        model.optimizer.build(model.trainable_variables)
    untrained = [variable.numpy() for variable in model.variables + model.optimizer.variables]
    try:
        record = json.loads((folder / _RUN_FILE).read_text(encoding="utf-8"))
        model.load_weights(folder / _WEIGHTS_FILE)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError) as error:
        print(f"The kept run in {folder} could not be read ({error}): removed, training instead.")
        shutil.rmtree(folder, ignore_errors=True)
        # a load that failed half-way must not be what the training starts from
        for variable, value in zip(model.variables + model.optimizer.variables, untrained,
                                   strict=True):
            variable.assign(value)
        return None
    run = TrainingRun(label, model, record["history"], record["seconds_per_epoch"], monitor,
                      test=record["test"])
    return run, Provenance(True, folder, record["trained_by"], record["trained_on"])


def _keep(run: TrainingRun, folder: Path, key: str, *, replace: bool) -> None:
    """Write the run beside its final place, then rename: readers see all of it or none. An
    equal run kept before stays (two notebooks trained it at once) unless ``replace``: then the
    figures a later notebook loads are the ones this notebook printed."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        run.model.save_weights(staging / _WEIGHTS_FILE)
        record = {
            "key": key,
            "history": run.history,
            "seconds_per_epoch": run.seconds_per_epoch,
            "test": run.test,
            "trained_by": current_notebook() or "unknown",
            "trained_on": time.strftime("%Y-%m-%d %H:%M"),
        }
        (staging / _RUN_FILE).write_text(json.dumps(record, indent=1, default=float),
                                          encoding="utf-8")
        if replace and folder.is_dir():
            old = folder.with_name(f".{folder.name}-replaced-{os.getpid()}")
            os.rename(folder, old)
            shutil.rmtree(old, ignore_errors=True)
        os.rename(staging, folder)
    except OSError:
        if not folder.is_dir():
            raise
        # another notebook kept the same run first: keep theirs
    finally:
        shutil.rmtree(staging, ignore_errors=True)
