"""Forecasting from windows of a multivariate time series: splits, normalisation, windows, baseline.

The lecture's three knobs, in rows of the series (10 minutes each for Jena):

- ``lookback``: how far back a window reaches; it holds ``lookback // step`` rows;
- ``step``: the sampling step, one row in ``step`` is kept (6 = hourly);
- ``delay``: how far ahead of the window's last row the target lies.

The window that ends at row ``t`` holds rows ``t - lookback + step, ..., t - step, t`` and its
target is ``targets[t + delay]``. The classic set-up is ``lookback=1440`` (10 days),
``step=6`` (hourly) and ``delay=144`` (24 hours after the last row of the window).
"""

from __future__ import annotations

import hashlib
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from numpy.typing import ArrayLike

from .arguments import whole_number

CLASSIC = {"lookback": 1440, "step": 6, "delay": 144}


def chronological_split(
    n_rows: int, fractions: Sequence[float] = (0.5, 0.25, 0.25)
) -> tuple[slice, slice, slice]:
    """Train, validation and test rows, in time order, in the given proportions."""
    n_rows = whole_number(n_rows, "n_rows", minimum=0)
    numbers = all(
        isinstance(f, int | float | np.integer | np.floating) and not isinstance(f, bool)
        for f in fractions
    )
    if (
        not numbers
        or len(fractions) != 3
        or min(fractions) <= 0
        or not np.isclose(sum(fractions), 1)
    ):
        raise ValueError(
            f"fractions must be three positive numbers that add up to 1 (train, validation, "
            f"test), got {tuple(fractions)}"
        )
    first = round(n_rows * fractions[0])
    second = round(n_rows * (fractions[0] + fractions[1]))
    if not 0 < first < second < n_rows:
        raise ValueError(f"{n_rows} rows are too few to split into {tuple(fractions)}")
    return slice(0, first), slice(first, second), slice(second, n_rows)


@dataclass(frozen=True, eq=False)
class Normaliser:
    """Per-column ``(x - mean) / std`` with statistics of the training rows only."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, train: ArrayLike) -> Normaliser:
        """Column means and standard deviations of ``train`` (the training rows, nothing else)."""
        values = np.asarray(train, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, None]
        if values.ndim != 2 or len(values) == 0 or values.shape[1] == 0:
            raise ValueError(
                f"the training rows must be a non-empty table (rows x columns), got shape "
                f"{values.shape}: check the split that selects them"
            )
        finite = np.isfinite(values)
        if not finite.all():
            rows, columns = np.nonzero(~finite)
            raise ValueError(
                f"the training rows hold {(~finite).sum():,} values that are NaN or infinite "
                f"(first at row {rows[0]}, column {columns[0]}; columns "
                f"{np.unique(columns).tolist()[:10]}): statistics of them would be NaN. Clean the "
                f"data first (load_jena_climate() fills gaps and sensor failures)"
            )
        std = values.std(axis=0)
        if (std == 0).any():
            raise ValueError(
                f"columns {np.flatnonzero(std == 0).tolist()} are constant over the training rows: "
                f"they cannot be normalised; drop them"
            )
        return cls(values.mean(axis=0), std)

    def transform(self, values: ArrayLike, column: int | None = None) -> np.ndarray:
        """Normalised ``values`` (float32): every column, or only ``column``'s values."""
        mean, std = (
            (self.mean, self.std) if column is None else (self.mean[column], self.std[column])
        )
        return ((np.asarray(values, dtype=np.float64) - mean) / std).astype(np.float32)

    def inverse(self, values: ArrayLike, column: int | None = None) -> np.ndarray:
        """Back to the original units: every column, or only ``column``'s values."""
        mean, std = (
            (self.mean, self.std) if column is None else (self.mean[column], self.std[column])
        )
        return np.asarray(values, dtype=np.float64) * std + mean


@dataclass(frozen=True, eq=False)
class WindowIndex:
    """Where windows lie: window ``i`` ends at row ``ends[i]``; its target row is ``targets[i]``."""

    ends: np.ndarray
    targets: np.ndarray
    lookback: int
    step: int

    def __len__(self) -> int:
        return len(self.ends)

    @property
    def starts(self) -> np.ndarray:
        return self.ends - self.lookback + self.step

    def rows(self) -> np.ndarray:
        """Every window's row numbers, shape ``(windows, lookback // step)`` (small cases only)."""
        return self.starts[:, None] + self.step * np.arange(self.lookback // self.step)


def _span(
    n_rows: int, rows: slice, lookback: int, step: int, delay: int, stride: int
) -> tuple[int, int, int]:
    """``(first, stop, reach)``: the bounds of ``rows``, and a window's first row to its target."""
    n_rows = whole_number(n_rows, "n_rows", minimum=0)
    knobs = {"lookback": lookback, "step": step, "delay": delay, "stride": stride}
    for name, value in knobs.items():
        whole_number(value, name)
    if not isinstance(rows, slice):
        raise TypeError(f"rows must be a slice of row numbers, e.g. slice(0, 1000), got {rows!r}")
    if stride < 1:
        raise ValueError(f"stride (rows between window starts) must be at least 1, got {stride}")
    if step < 1 or lookback < step or lookback % step:
        raise ValueError(
            f"lookback must be a positive multiple of step (a window holds lookback // step "
            f"rows), got lookback={lookback}, step={step}"
        )
    if delay < 0:
        raise ValueError(f"delay must be 0 or more rows after the window, got {delay}")
    first, stop, every = rows.indices(n_rows)
    if every != 1:
        raise ValueError(f"rows must be a contiguous slice, got {rows}")
    reach = lookback - step + delay  # from a window's first row to its target row
    if stop - first <= reach:
        raise ValueError(
            f"rows {first}..{stop - 1} ({max(stop - first, 0)} rows) are too few for one window: "
            f"a window and its target need lookback - step + delay + 1 = {reach + 1} rows. "
            f"Use a shorter lookback or delay, or more rows."
        )
    return first, stop, reach


def window_indices(
    n_rows: int, *, rows: slice, lookback: int, step: int, delay: int, stride: int = 1
) -> WindowIndex:
    """Every window whose rows and target row lie inside ``rows`` (of ``n_rows``), in time order.

    The first window starts at ``rows.start``; the next one ``stride`` rows later.
    """
    first, stop, reach = _span(n_rows, rows, lookback, step, delay, stride)
    ends = np.arange(first, stop - reach, stride) + lookback - step
    return WindowIndex(ends, ends + delay, lookback, step)


# What each dataset window_dataset made was made from (a sha256), so that a run trained on it can
# be recognised (course_utils.kept_runs): a tf.data pipeline cannot say what it holds.
_FINGERPRINTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def dataset_fingerprint(dataset) -> str | None:
    """A sha256 of the rows, targets and settings :func:`window_dataset` made ``dataset`` from;
    ``None`` for a dataset it did not make."""
    try:
        return _FINGERPRINTS.get(dataset)
    except TypeError:  # not hashable, so not one of ours
        return None


def window_dataset(
    data: ArrayLike,
    targets: ArrayLike,
    *,
    rows: slice,
    lookback: int,
    step: int,
    delay: int,
    stride: int = 1,
    batch_size: int = 256,
    shuffle: bool = False,
    seed: int | None = None,
    reverse: bool = False,
):
    """Batches of ``(window, target)``: the batches ``keras.utils.timeseries_dataset_from_array``
    makes, in its order (shuffled with ``seed`` as it shuffles), gathered a batch at a time.

    Windows are those of :func:`window_indices`: shape ``(lookback // step, features)``, target
    ``targets[end + delay]``. ``reverse`` flips every window in time (newest row first).

    Keras's function gathers one window per element in ``map`` threads of its own: for a
    training epoch of the Jena windows, half the time of a GRU(32)'s training step on one core,
    and more than the dense model's (README, "Jena windows gathered a batch at a time"). Here
    one ``tf.gather`` per batch takes its windows from one tensor of the split's rows (same
    values, same order: tests/test_timeseries.py compares the two epoch by epoch; notebook 06
    times both).
    """
    import tensorflow as tf

    data, targets = _same_rows(data, targets)
    batch_size = whole_number(batch_size, "batch_size", minimum=1)
    index = window_indices(
        len(data), rows=rows, lookback=lookback, step=step, delay=delay, stride=stride
    )
    first, last_target = int(index.starts[0]), int(index.targets[-1])
    rows_used = data[first : last_target + 1]
    order = np.arange(len(index))
    if shuffle:
        # Keras's rule: a once-only permutation of the windows by NumPy, then Dataset.shuffle's
        # buffer of 8 batches, reshuffled every epoch, both with the one seed.
        seed = np.random.randint(1e6) if seed is None else seed
        np.random.RandomState(seed).shuffle(order)
    offsets = np.arange(0, lookback, step)  # a window's rows, counted from its first
    rows_tensor = tf.constant(rows_used)
    offsets_tensor = tf.constant(offsets[::-1] if reverse else offsets)

    def windows_of(starts, batch_targets):
        return tf.gather(rows_tensor, starts[:, None] + offsets_tensor), batch_targets

    dataset = tf.data.Dataset.from_tensor_slices(
        ((index.starts - first)[order], targets[index.targets][order])
    )
    if shuffle:
        dataset = dataset.shuffle(buffer_size=batch_size * 8, seed=seed)
    dataset = dataset.batch(batch_size).map(windows_of).prefetch(1)
    digest = hashlib.sha256()
    for part in (rows_used, targets[index.targets[0] : last_target + 1]):
        digest.update(f"{part.dtype.str} {part.shape}".encode())
        digest.update(np.ascontiguousarray(part).tobytes())
    digest.update(repr((first, lookback, step, delay, stride, batch_size, shuffle, seed,
                        reverse)).encode())
    _FINGERPRINTS[dataset] = digest.hexdigest()
    return dataset


def _same_rows(data: ArrayLike, targets: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """``data`` and ``targets`` as arrays, checked to have a target for every row."""
    data, targets = np.asarray(data), np.asarray(targets)
    if len(targets) != len(data):
        raise ValueError(f"data has {len(data)} rows but targets has {len(targets)}")
    return data, targets


def naive_baseline_mae(
    data: ArrayLike,
    targets: ArrayLike,
    *,
    rows: slice,
    lookback: int,
    step: int,
    delay: int,
    column: int,
    stride: int = 1,
) -> float:
    """MAE of predicting each window's target by ``data[end, column]``, the window's last row.

    With ``delay=144`` that is "the temperature 24 hours ago"; the windows are exactly those of
    :func:`window_dataset`, and the MAE is in the units of ``targets``.
    """
    data = np.asarray(data)
    targets = np.asarray(targets)
    column = whole_number(column, "column")
    index = window_indices(
        len(data), rows=rows, lookback=lookback, step=step, delay=delay, stride=stride
    )
    predictions = data[index.ends, column].astype(np.float64)
    return float(np.mean(np.abs(targets[index.targets].astype(np.float64) - predictions)))


@dataclass(frozen=True)
class Celsius:
    """Normalised temperature errors in °C: an MAE on normalised temperatures times the training
    standard deviation of temperature. The one conversion the course uses (notebook 06)."""

    std: float
    unit: ClassVar[str] = "°C"

    def __call__(self, normalised: float) -> float:
        return float(normalised) * self.std

    @property
    def reference_scale(self) -> tuple[float, str, str]:
        """``reference_scale`` for :func:`course_utils.record`: a reference MAE on normalised
        temperatures (the book's) shown in °C the same way."""
        return self.std, self.unit, f"training std of temperature {self.std:.2f} °C"


@dataclass(frozen=True, eq=False)
class Forecast:
    """A series split in time and normalised with its training rows, ready for windows.

    Notebook 06 builds these pieces one by one; notebooks 07-09 start from :func:`prepare_forecast`.
    """

    data: np.ndarray
    column: int
    splits: dict[str, slice]
    normaliser: Normaliser

    @property
    def celsius(self) -> Celsius:
        """Normalised errors of the target in its units: times its training standard deviation."""
        return Celsius(float(self.normaliser.std[self.column]))

    def datasets(
        self,
        *,
        lookback: int,
        step: int,
        delay: int,
        stride: int,
        batch_size: int = 128,
        seed: int = 0,
        reverse: bool = False,
    ) -> dict:
        """``train`` (shuffled with ``seed``), ``validation`` and ``test`` window datasets."""
        windows = dict(
            lookback=lookback,
            step=step,
            delay=delay,
            stride=stride,
            batch_size=batch_size,
            reverse=reverse,
        )
        target = self.data[:, self.column]
        return {
            name: window_dataset(
                self.data,
                target,
                rows=rows,
                shuffle=name == "train",
                seed=seed if name == "train" else None,
                **windows,
            )
            for name, rows in self.splits.items()
        }

    def naive_mae(self, split: str, *, lookback: int, step: int, delay: int, stride: int) -> float:
        """The naive baseline's MAE on ``split``, normalised (``self.celsius`` turns it to °C)."""
        return naive_baseline_mae(
            self.data,
            self.data[:, self.column],
            rows=self.splits[split],
            column=self.column,
            lookback=lookback,
            step=step,
            delay=delay,
            stride=stride,
        )


def prepare_forecast(
    table, target: str, fractions: Sequence[float] = (0.5, 0.25, 0.25)
) -> Forecast:
    """Split ``table`` (a DataFrame, rows in time order) in time and normalise it with its
    training rows; ``target`` names the column to forecast."""
    values = table.to_numpy()
    train, validation, test = chronological_split(len(values), fractions)
    normaliser = Normaliser.fit(values[train])
    return Forecast(
        data=normaliser.transform(values),
        column=int(table.columns.get_loc(target)),
        splits={"train": train, "validation": validation, "test": test},
        normaliser=normaliser,
    )
