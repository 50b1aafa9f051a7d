"""A training run as one record: its label, model, history, seconds per epoch and test score.

Notebook 01 first trains through :func:`fit_and_keep_best`; notebook 03 introduces its early
stopping and the :class:`TrainingRun` it returns. Every later notebook keeps its runs so and shows
a set of them with :func:`runs_table` and :func:`plot_runs`; verdict sentences compare two printed
figures with :func:`side`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import keras

from .plotting import epoch_axis
from .timing import EpochTimer

Scale = Callable[[float], float]


@dataclass
class TrainingRun:
    """What one ``fit`` produced. ``monitor`` names the validation metric that chose the epoch
    whose weights the model keeps; accuracies count as best when highest, anything else (a loss,
    an MAE) when lowest. ``test`` is the same metric on the test set, when it was measured."""

    label: str
    model: keras.Model
    history: dict[str, list[float]]
    seconds_per_epoch: float
    monitor: str = "val_loss"
    test: float | None = None
    epochs_run: int = field(init=False)

    def __post_init__(self) -> None:
        if self.monitor not in self.history:
            raise KeyError(
                f"{self.label}: the history has no {self.monitor!r}; it has "
                f"{', '.join(sorted(self.history))}"
            )
        self.epochs_run = len(self.history[self.monitor])

    @property
    def higher_is_better(self) -> bool:
        return "acc" in self.monitor

    @property
    def best_epoch(self) -> int:
        """The epoch (counted from 1) whose weights the model kept."""
        values = self.history[self.monitor]
        best = max(values) if self.higher_is_better else min(values)
        return values.index(best) + 1

    def best(self, metric: str | None = None) -> float:
        """``metric`` (default: the monitored one) at the best epoch."""
        return float(self.history[metric or self.monitor][self.best_epoch - 1])


def fit_and_keep_best(
    model: keras.Model,
    *fit_args,
    label: str,
    monitor: str = "val_loss",
    patience: int | None,
    test_data: tuple | object | None = None,
    **fit_kwargs,
) -> TrainingRun:
    """``model.fit(*fit_args, **fit_kwargs)`` that times every epoch, **stops early** once
    ``monitor`` has not improved for ``patience`` epochs (``None``: never), and **restores the
    weights of the best epoch**; then scores those weights on ``test_data`` (``(x, y)`` or a
    dataset) with the monitored metric. Returns the run's :class:`TrainingRun`."""
    timer = EpochTimer()
    keep_best = keras.callbacks.EarlyStopping(
        monitor=monitor,
        mode="max" if "acc" in monitor else "min",
        patience=patience if patience is not None else 10**9,
        restore_best_weights=True,
    )
    callbacks = [timer, keep_best, *fit_kwargs.pop("callbacks", [])]
    if fit_args and type(fit_args[0]).__module__.startswith("tensorflow"):
        fit_kwargs.setdefault("shuffle", False)  # a tf.data pipeline shuffles (or not) itself
    history = model.fit(*fit_args, callbacks=callbacks, **fit_kwargs)
    run = TrainingRun(label, model, dict(history.history), timer.seconds_per_epoch, monitor)
    if test_data is not None:
        run.test = _score(model, test_data, monitor.removeprefix("val_"))
    return run


def _score(model: keras.Model, test_data, metric: str) -> float:
    x, y = test_data if isinstance(test_data, tuple) else (test_data, None)
    scores = model.evaluate(x, y, batch_size=None if y is None else 512, verbose=0,
                            return_dict=True)
    return float(scores[metric])


def side(value: float, other: float, digits: int = 2) -> str:
    """Where ``value`` lies against ``other`` as the two read when printed with ``digits``
    decimals: ``"below"``, ``"above"`` or ``"level with"`` (for a printed verdict)."""
    value, other = round(value, digits), round(other, digits)
    return "below" if value < other else "above" if value > other else "level with"


def runs_table(
    runs: Sequence[TrainingRun],
    *,
    scale: Scale | None = None,
    unit: str = "",
    digits: int = 3,
    metric: str | None = None,
) -> str:
    """One row per run: parameters, seconds per epoch, best epoch, best validation and test
    scores (through ``scale`` when given, e.g. a normalised MAE to °C, labelled ``unit``).
    ``metric`` names the monitored metric in the heading (default: its Keras name)."""
    convert = scale or (lambda value: value)
    name = metric or (runs[0].monitor.removeprefix("val_") if runs else "")
    title = f"best val {name} ({unit})" if unit else f"best val {name}"
    width = max([len(run.label) for run in runs] + [5]) + 2
    value_width = max(digits + 8, len(title) + 2)
    test_width = digits + 6 if any(run.test is not None for run in runs) else 0
    lines = [
        f"{'model':<{width}}{'parameters':>11}{'s/epoch':>9}{'best epoch':>13}"
        f"{title:>{value_width}}{'test' if test_width else '':>{test_width}}"
    ]
    for run in runs:
        test = "" if run.test is None else f"{convert(run.test):.{digits}f}"
        best_epoch = f"{run.best_epoch} of {run.epochs_run}"
        lines.append(
            f"{run.label:<{width}}{run.model.count_params():>11,}{run.seconds_per_epoch:>9.1f}"
            f"{best_epoch:>13}{convert(run.best()):>{value_width}.{digits}f}{test:>{test_width}}"
        )
    return "\n".join(lines)


def plot_runs(
    runs: Sequence[TrainingRun],
    metric: str | None = None,
    *,
    scale: Scale | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    baseline: tuple[str, float] | None = None,
):
    """Each run's ``metric`` curve (default: its monitored one) per epoch in one panel, the best
    epoch marked; ``baseline = (label, value)`` adds a horizontal line."""
    import matplotlib.pyplot as plt

    convert = scale or (lambda value: value)
    figure, axis = plt.subplots()
    for run in runs:
        key = metric or run.monitor
        values = [convert(value) for value in run.history[key]]
        (line,) = axis.plot(range(1, len(values) + 1), values, marker="o", ms=3, label=run.label)
        axis.plot(run.best_epoch, values[run.best_epoch - 1], "o", ms=8, mfc="none",
                  color=line.get_color())
    if baseline is not None:
        axis.axhline(baseline[1], color="grey", ls=":", label=baseline[0])
    epoch_axis(axis)
    axis.set_ylabel(ylabel or metric or runs[0].monitor)
    if title:
        axis.set_title(title)
    axis.legend()
    figure.tight_layout()
    return figure
