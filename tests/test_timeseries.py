"""Splits, normalisation, windows and the naive baseline, checked on ramps where row i holds i."""

import numpy as np
import pytest

from course_utils.timeseries import (
    CLASSIC,
    Celsius,
    Normaliser,
    chronological_split,
    naive_baseline_mae,
    window_dataset,
    window_indices,
)

N = 200
RAMP = np.stack([np.arange(N), 1000 + np.arange(N)], axis=1).astype(np.float32)  # row i: i, 1000+i
TARGETS = 10 * np.arange(N, dtype=np.float32)  # target of row i: 10 i


def collect(dataset):
    windows, targets = zip(*[(x.numpy(), y.numpy()) for x, y in dataset], strict=True)
    return np.concatenate(windows), np.concatenate(targets)


def test_chronological_split_is_in_time_order_and_covers_every_row():
    assert chronological_split(1000) == (slice(0, 500), slice(500, 750), slice(750, 1000))
    train, val, test = chronological_split(420_768)
    assert (train.stop, val.stop, test.stop) == (210_384, 315_576, 420_768)
    assert chronological_split(10, (0.6, 0.2, 0.2)) == (slice(0, 6), slice(6, 8), slice(8, 10))


@pytest.mark.parametrize(
    "fractions", [(0.5, 0.5), (0.5, 0.3, 0.3), (1.0, 0.0, 0.0), (0.6, -0.1, 0.5)]
)
def test_chronological_split_refuses_odd_fractions(fractions):
    with pytest.raises(ValueError, match="fractions"):
        chronological_split(100, fractions)


def test_chronological_split_refuses_too_few_rows():
    with pytest.raises(ValueError, match="too few"):
        chronological_split(2)


def test_window_rows_and_targets_on_a_ramp():
    index = window_indices(N, rows=slice(10, 60), lookback=12, step=3, delay=5)
    assert index.rows()[0].tolist() == [10, 13, 16, 19]  # ends at t = 19 (inclusive)
    assert index.targets[0] == 24  # t + delay
    assert index.rows()[1].tolist() == [11, 14, 17, 20] and index.targets[1] == 25
    assert index.rows()[-1].tolist() == [45, 48, 51, 54] and index.targets[-1] == 59
    assert len(index) == 36
    np.testing.assert_array_equal(index.starts, np.arange(10, 46))
    np.testing.assert_array_equal(index.ends, index.rows()[:, -1])


def test_a_window_reaching_exactly_to_the_last_row_fits_one_more_does_not():
    kwargs = {"lookback": 12, "step": 3, "delay": 5}
    # one window: rows 0, 3, 6, 9; target 14
    assert window_indices(N, rows=slice(0, 15), **kwargs).targets.tolist() == [14]
    with pytest.raises(ValueError, match="too few for one window.*need .* = 15 rows"):
        window_indices(N, rows=slice(0, 14), **kwargs)


@pytest.mark.parametrize("stride", [1, 5, 24])
def test_no_window_straddles_a_split(stride):
    for rows in chronological_split(N):
        index = window_indices(N, rows=rows, lookback=24, step=6, delay=12, stride=stride)
        assert index.rows().min() >= rows.start and index.rows().max() < rows.stop
        assert index.targets.min() >= rows.start and index.targets.max() < rows.stop
        assert index.starts[0] == rows.start


def test_stride_is_the_distance_between_window_starts():
    index = window_indices(N, rows=slice(0, 100), lookback=12, step=3, delay=5, stride=7)
    assert np.all(np.diff(index.starts) == 7) and index.starts[0] == 0
    assert index.targets[-1] <= 99 and index.targets[-1] + 7 > 99


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rows": slice(10, 60), "lookback": 12, "step": 3, "delay": 5},
        {"rows": slice(10, 60), "lookback": 12, "step": 3, "delay": 5, "stride": 7},
        {"rows": slice(0, 20), "lookback": 12, "step": 3, "delay": 5, "stride": 50},
        {"rows": slice(0, N), "lookback": 3, "step": 3, "delay": 0, "stride": 2},
        {"rows": slice(150, None), "lookback": 24, "step": 6, "delay": 12, "stride": 3},
        {"rows": slice(0, N), "lookback": 1, "step": 1, "delay": 1},
    ],
)
def test_the_dataset_holds_exactly_the_indexed_windows(kwargs):
    windows, targets = collect(window_dataset(RAMP, TARGETS, batch_size=16, **kwargs))
    index = window_indices(N, **kwargs)
    assert len(windows) == len(index)
    assert windows.shape[1:] == (kwargs["lookback"] // kwargs["step"], 2)
    np.testing.assert_array_equal(windows[:, :, 0], index.rows())
    np.testing.assert_array_equal(windows[:, :, 1], 1000 + index.rows())
    np.testing.assert_array_equal(targets, 10 * index.targets)


def test_batches_have_the_batch_size():
    dataset = window_dataset(RAMP, TARGETS, rows=slice(0, N), lookback=12, step=3, delay=5)
    first_windows, first_targets = next(
        iter(
            window_dataset(
                RAMP, TARGETS, rows=slice(0, N), lookback=12, step=3, delay=5, batch_size=32
            )
        )
    )
    assert first_windows.shape == (32, 4, 2) and first_targets.shape == (32,)
    assert sum(int(x.shape[0]) for x, _ in dataset) == 186


def test_reverse_flips_each_window_in_time():
    kwargs = {"rows": slice(0, 50), "lookback": 12, "step": 3, "delay": 5}
    forward, targets = collect(window_dataset(RAMP, TARGETS, **kwargs))
    backward, reversed_targets = collect(window_dataset(RAMP, TARGETS, reverse=True, **kwargs))
    np.testing.assert_array_equal(backward, forward[:, ::-1, :])
    np.testing.assert_array_equal(reversed_targets, targets)
    assert backward[0, :, 0].tolist() == [9, 6, 3, 0]  # newest row first


def test_shuffling_reorders_the_same_windows_reproducibly():
    kwargs = {"rows": slice(0, N), "lookback": 12, "step": 3, "delay": 5, "batch_size": 8}
    plain, _ = collect(window_dataset(RAMP, TARGETS, **kwargs))
    shuffled, shuffled_targets = collect(
        window_dataset(RAMP, TARGETS, shuffle=True, seed=1, **kwargs)
    )
    again, _ = collect(window_dataset(RAMP, TARGETS, shuffle=True, seed=1, **kwargs))
    assert not np.array_equal(plain, shuffled)
    np.testing.assert_array_equal(shuffled, again)
    assert sorted(map(tuple, shuffled[:, :, 0])) == sorted(map(tuple, plain[:, :, 0]))
    np.testing.assert_array_equal(shuffled_targets, 10 * (shuffled[:, -1, 0] + 5))


def keras_windows(
    data, targets, *, rows, lookback, step, delay, stride=1, batch_size, shuffle=False, seed=None
):
    """The same windows straight from ``keras.utils.timeseries_dataset_from_array``."""
    import keras

    index = window_indices(len(data), rows=rows, lookback=lookback, step=step, delay=delay,
                           stride=stride)
    first, last = index.starts[0], index.targets[-1]
    return keras.utils.timeseries_dataset_from_array(
        data[first : last + 1], targets[index.targets[0] : last + 1],
        sequence_length=lookback // step, sequence_stride=stride, sampling_rate=step,
        batch_size=batch_size, shuffle=shuffle, seed=seed,
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rows": slice(10, 190), "lookback": 12, "step": 3, "delay": 5, "batch_size": 16},
        {"rows": slice(0, N), "lookback": 12, "step": 3, "delay": 5, "stride": 2, "batch_size": 8,
         "shuffle": True, "seed": 3},
        {"rows": slice(20, 170), "lookback": 24, "step": 6, "delay": 12, "batch_size": 5,
         "shuffle": True, "seed": 0},
        {"rows": slice(0, N), "lookback": 6, "step": 2, "delay": 1, "batch_size": 32,
         "shuffle": True},  # no seed: both draw one from NumPy's global generator
    ],
)
def test_the_batches_are_keras_batches_in_keras_order_epoch_after_epoch(kwargs):
    import keras

    np.random.seed(7)
    keras.utils.set_random_seed(0)
    ours = window_dataset(RAMP, TARGETS, **kwargs)
    np.random.seed(7)
    keras.utils.set_random_seed(0)
    theirs = keras_windows(RAMP, TARGETS, **kwargs)
    epochs = []
    for _ in range(3):  # a shuffled dataset is reshuffled each epoch: the same way
        pairs = list(zip(ours, theirs, strict=True))
        for (windows, targets), (keras_windows_, keras_targets) in pairs:
            assert windows.dtype == keras_windows_.dtype and targets.dtype == keras_targets.dtype
            np.testing.assert_array_equal(windows.numpy(), keras_windows_.numpy())
            np.testing.assert_array_equal(targets.numpy(), keras_targets.numpy())
        epochs.append(np.concatenate([ours_[0].numpy()[:, 0, 0] for ours_, _ in pairs]))
    if kwargs.get("shuffle"):
        assert not np.array_equal(epochs[0], epochs[1])  # so the comparison above saw reshuffles


def test_reversed_batches_are_keras_batches_flipped_in_time():
    kwargs = {"rows": slice(0, N), "lookback": 12, "step": 3, "delay": 5, "batch_size": 8,
              "shuffle": True, "seed": 2}
    keras_batches = keras_windows(RAMP, TARGETS, **kwargs)
    for (windows, targets), (forward, keras_targets) in zip(
        window_dataset(RAMP, TARGETS, reverse=True, **kwargs), keras_batches, strict=True
    ):
        np.testing.assert_array_equal(windows.numpy(), forward.numpy()[:, ::-1])
        np.testing.assert_array_equal(targets.numpy(), keras_targets.numpy())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lookback": 10, "step": 3, "delay": 5}, "multiple of step"),
        ({"lookback": 2, "step": 3, "delay": 5}, "multiple of step"),
        ({"lookback": 12, "step": 0, "delay": 5}, "multiple of step"),
        ({"lookback": 12, "step": 3, "delay": -1}, "delay"),
        ({"lookback": 12, "step": 3, "delay": 5, "stride": 0}, "stride"),
        ({"lookback": 12, "step": 3, "delay": 5, "rows": slice(0, 100, 2)}, "contiguous"),
    ],
)
def test_nonsense_settings_are_clear_errors(kwargs, message):
    kwargs = {"rows": slice(0, 100)} | kwargs
    with pytest.raises(ValueError, match=message):
        window_indices(N, **kwargs)


def test_data_and_targets_must_have_the_same_rows():
    with pytest.raises(ValueError, match="targets"):
        window_dataset(RAMP, TARGETS[:-1], rows=slice(0, 50), lookback=12, step=3, delay=5)


def test_naive_baseline_is_the_mean_error_of_the_last_row_of_each_window():
    rng = np.random.default_rng(0)
    data = rng.normal(size=(N, 3)).astype(np.float32)
    targets = data[:, 1]
    mae = naive_baseline_mae(
        data, targets, rows=slice(50, 150), lookback=12, step=3, delay=5, column=1, stride=2
    )
    errors = []
    for start in range(50, 150, 2):
        end, target = start + 12 - 3, start + 12 - 3 + 5
        if target < 150:
            errors.append(abs(targets[target] - data[end, 1]))
    assert mae == pytest.approx(np.mean(errors), rel=1e-6)


def test_naive_baseline_uses_the_same_windows_as_the_dataset():
    kwargs = {"rows": slice(20, 180), "lookback": 24, "step": 6, "delay": 12, "stride": 5}
    windows, targets = collect(window_dataset(RAMP, TARGETS / 10, **kwargs))
    expected = np.mean(np.abs(targets - windows[:, -1, 0]))
    assert naive_baseline_mae(RAMP, TARGETS / 10, column=0, **kwargs) == pytest.approx(expected)
    assert expected == 12  # on a ramp the last row is always delay rows behind its target


def test_the_normaliser_uses_training_rows_only():
    data = np.concatenate([np.full((50, 2), [1.0, 10.0]), np.full((50, 2), [100.0, 50.0])])
    data[::2] += [1.0, -2.0]  # some spread within the training rows
    train, _, _ = chronological_split(len(data), (0.5, 0.25, 0.25))
    normaliser = Normaliser.fit(data[train])
    np.testing.assert_allclose(normaliser.mean, [1.5, 9.0])
    np.testing.assert_allclose(normaliser.std, [0.5, 1.0])
    normalised = normaliser.transform(data)
    assert normalised.dtype == np.float32
    np.testing.assert_allclose(normalised[train].mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(normalised[train].std(axis=0), 1, atol=1e-6)
    np.testing.assert_allclose(normaliser.inverse(normalised), data, rtol=1e-6)
    np.testing.assert_allclose(normaliser.inverse(normalised[:, 1], column=1), data[:, 1])
    np.testing.assert_allclose(normaliser.transform(data[:, 0], column=0), normalised[:, 0])


def test_a_constant_training_column_cannot_be_normalised():
    with pytest.raises(ValueError, match=r"columns \[1\] are constant"):
        Normaliser.fit(np.stack([np.arange(5.0), np.ones(5)], axis=1))


def test_celsius_multiplies_by_the_training_std():
    assert Celsius(8.85)(0.2897) == pytest.approx(2.5638, abs=1e-4)


def test_a_book_reference_in_celsius_is_scaled_like_our_mae():
    celsius = Celsius(8.854)
    factor, unit, how = celsius.reference_scale
    assert factor * 0.2897 == pytest.approx(celsius(0.2897))
    assert unit == "°C" == celsius.unit and how == "training std of temperature 8.85 °C"


def test_the_classic_set_up():
    assert CLASSIC == {"lookback": 1440, "step": 6, "delay": 144}
    index = window_indices(3000, rows=slice(0, 3000), **CLASSIC)
    assert index.rows().shape[1] == 240  # 10 days, hourly
    assert index.rows()[0, -1] == 1434 and index.targets[0] == 1434 + 144
    assert len(window_indices(420_768, rows=slice(210_384, 315_576), **CLASSIC)) == 103_614


def test_prepare_forecast_splits_normalises_with_training_rows_and_builds_datasets():
    import pandas as pd

    from course_utils.timeseries import prepare_forecast

    rows = 400
    table = pd.DataFrame(
        {"a": np.arange(rows, dtype=float), "T (degC)": np.arange(rows, dtype=float) * 2.0}
    )
    forecast = prepare_forecast(table, "T (degC)")
    assert forecast.column == 1
    assert forecast.splits["train"] == slice(0, 200)
    train_t = table["T (degC)"].to_numpy()[:200]
    assert forecast.celsius.std == pytest.approx(train_t.std())
    assert forecast.data[:200, 1].mean() == pytest.approx(0, abs=1e-6)  # training rows only
    windows = dict(lookback=20, step=5, delay=3, stride=4)
    sets = forecast.datasets(batch_size=8, **windows)
    assert set(sets) == {"train", "validation", "test"}
    x, y = next(iter(sets["validation"]))
    assert x.shape[1:] == (4, 2)
    # first validation window ends at row 200 + 15; its target is 3 rows later, in °C
    assert forecast.normaliser.inverse(y.numpy()[0], column=1) == pytest.approx(2.0 * (215 + 3))
    # the naive baseline in °C: the target 3 rows on is always 6 °C warmer on this ramp
    assert forecast.celsius(forecast.naive_mae("test", **windows)) == pytest.approx(6.0, rel=1e-5)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lookback": 12.0}, "lookback must be a whole number"),
        ({"step": 3.0}, "step must be a whole number"),
        ({"delay": 5.5}, "delay must be a whole number"),
        ({"stride": 1.5}, "stride must be a whole number"),
        ({"rows": (0, 100)}, "rows must be a slice"),
    ],
)
def test_settings_that_are_not_whole_numbers_are_clear_errors(kwargs, message):
    kwargs = {"rows": slice(0, 100), "lookback": 12, "step": 3, "delay": 5} | kwargs
    with pytest.raises(TypeError, match=message):
        window_indices(N, **kwargs)
    with pytest.raises(TypeError, match=message):
        window_dataset(RAMP, TARGETS, **kwargs)


@pytest.mark.parametrize(
    ("batch_size", "error"), [(0, ValueError), (-4, ValueError), (8.0, TypeError)]
)
def test_batch_sizes_must_be_whole_and_positive(batch_size, error):
    with pytest.raises(error, match="batch_size must be"):
        window_dataset(
            RAMP, TARGETS, rows=slice(0, 50), lookback=12, step=3, delay=5, batch_size=batch_size
        )


def test_chronological_split_wants_a_whole_number_of_rows():
    with pytest.raises(TypeError, match="n_rows must be a whole number"):
        chronological_split(100.0)


@pytest.mark.parametrize(
    ("train", "message"),
    [
        (np.empty((0, 3)), r"non-empty table .* got shape \(0, 3\)"),
        (np.empty(0), r"non-empty table .* got shape \(0, 1\)"),
        (np.float64(3.0), r"non-empty table .* got shape \(\)"),
        (np.array([[1.0, 2.0], [np.nan, 3.0], [2.0, 4.0]]), r"1 values that are NaN or infinite"),
        (np.array([[1.0, np.inf], [2.0, 3.0], [2.0, -np.inf]]), r"2 values .* columns \[1\]"),
    ],
)
def test_the_normaliser_refuses_empty_or_non_finite_training_rows(train, message):
    with pytest.raises(ValueError, match=message):
        Normaliser.fit(train)


def test_the_naive_baseline_wants_a_whole_column_number():
    with pytest.raises(TypeError, match="column must be a whole number"):
        naive_baseline_mae(
            RAMP, TARGETS, rows=slice(0, 50), lookback=12, step=3, delay=5, column=0.0
        )


@pytest.mark.parametrize("fractions", [(0.5, 0.25, "0.25"), (True, 0.5, 0.5), (0.5, None, 0.5)])
def test_fractions_that_are_not_numbers_are_clear_errors(fractions):
    with pytest.raises(ValueError, match="three positive numbers"):
        chronological_split(100, fractions)
