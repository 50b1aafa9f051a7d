import numpy as np
import pytest

from course_utils.windows import (
    Vocabulary,
    next_token_pairs,
    random_partition,
    sequential_partition,
    sliding_windows,
    split_point,
    split_then_window,
    tokenize,
)

DUNE = "Thou shalt not make a machine in the likeness of a human mind"


def test_tokenize_lowercases_and_drops_punctuation():
    assert tokenize("Thou shalt NOT, make... thou'rt!") == [
        "thou",
        "shalt",
        "not",
        "make",
        "thou'rt",
    ]
    assert len(tokenize(DUNE)) == 13


def test_overlapping_windows_step_one_token():
    windows = sliding_windows(np.arange(6), 3)
    np.testing.assert_array_equal(windows, [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]])


def test_side_by_side_windows_drop_the_short_tail():
    windows = sliding_windows(tokenize(DUNE), 4, stride=4)
    assert windows.tolist() == [
        ["thou", "shalt", "not", "make"],
        ["a", "machine", "in", "the"],
        ["likeness", "of", "a", "human"],
    ]
    assert sliding_windows(np.arange(10), 4, stride=4).tolist() == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_window_as_long_as_the_text_is_one_window():
    assert sliding_windows(np.arange(5), 5).tolist() == [[0, 1, 2, 3, 4]]


@pytest.mark.parametrize(
    ("size", "stride", "message"),
    [
        (14, 1, "does not fit in a sequence of 13"),
        (0, 1, "at least 1"),
        (3, 0, "stride"),
        (3, -2, "stride"),
    ],
)
def test_nonsense_sizes_are_clear_errors(size, stride, message):
    with pytest.raises(ValueError, match=message):
        sliding_windows(tokenize(DUNE), size, stride)


def test_next_token_pairs_split_each_window_into_context_and_target():
    inputs, targets = next_token_pairs(tokenize(DUNE), context=2)
    assert inputs[0].tolist() == ["thou", "shalt"] and targets[0] == "not"
    assert inputs[-1].tolist() == ["a", "human"] and targets[-1] == "mind"
    assert len(inputs) == 13 - 2


def test_split_then_window_never_crosses_the_cut():
    sequence = np.arange(100)
    train, validation = split_then_window(sequence, 5, validation_fraction=0.2)
    assert train.max() < 80 <= validation.min()
    assert len(train) == 80 - 5 + 1 and len(validation) == 20 - 5 + 1
    with pytest.raises(ValueError, match="between 0 and 1"):
        split_then_window(sequence, 5, validation_fraction=1.0)


def test_sequential_partition_rows_continue_across_batches():
    batches = sequential_partition(np.arange(35), steps=5, batch_size=2)
    (x0, y0), (x1, _) = batches[0], batches[1]
    np.testing.assert_array_equal(x0, [[0, 1, 2, 3, 4], [17, 18, 19, 20, 21]])
    np.testing.assert_array_equal(y0, x0 + 1)
    np.testing.assert_array_equal(x1[:, 0], x0[:, -1] + 1)  # each row carries on
    assert len(batches) == 17 // 5


def test_random_partition_uses_each_subsequence_once_without_overlap():
    rng = np.random.default_rng(0)
    batches = random_partition(np.arange(200), steps=5, batch_size=4, rng=rng)
    rows = np.concatenate([x for x, _ in batches])
    assert all(np.all(np.diff(row) == 1) for row in rows)  # each row is contiguous
    starts = sorted(rows[:, 0])
    assert np.all(np.diff(starts) >= 5)  # no two rows overlap
    assert all(np.array_equal(y, x + 1) for x, y in batches)
    assert any(x[0, 0] > x[1, 0] for x, _ in batches)  # the order is shuffled


def test_random_partition_too_short_for_a_batch_is_a_clear_error():
    with pytest.raises(ValueError, match="fewer than one batch"):
        random_partition(np.arange(20), steps=5, batch_size=8, rng=np.random.default_rng(0))


def test_vocabulary_keeps_the_most_frequent_and_maps_the_rest_to_unk():
    vocabulary = Vocabulary.from_tokens("a a a b b c d".split(), size=3)
    assert vocabulary.tokens == ("<unk>", "a", "b")
    np.testing.assert_array_equal(vocabulary.encode(["a", "c", "b"]), [1, 0, 2])
    assert vocabulary.decode([2, 0]) == ["b", "<unk>"]
    with pytest.raises(ValueError):
        Vocabulary.from_tokens(["a"], size=1)


def test_split_point_is_where_split_then_window_cuts():
    sequence = np.arange(1_003)
    cut = split_point(len(sequence), 0.1)
    assert cut == 903
    train, validation = split_then_window(sequence, 4, validation_fraction=0.1, stride=4)
    assert train.max() < cut <= validation.min()
    assert validation[0, 0] == cut
    with pytest.raises(ValueError, match="strictly between 0 and 1"):
        split_point(10, 0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sliding_windows(np.arange(10), 2.5), r"window size must be a whole number .*2\.5"),
        (lambda: sliding_windows(np.arange(10), 3.0), r"whole number .*got 3\.0 \(float\): use 3"),
        (lambda: sliding_windows(np.arange(10), 3, stride=1.5), "stride must be a whole number"),
        (lambda: sliding_windows(np.arange(10), True), "window size must be a whole number"),
        (lambda: sliding_windows(np.arange(10), "3"), "window size must be a whole number"),
        (lambda: next_token_pairs(np.arange(10), context=2.0), "context must be a whole number"),
        (lambda: split_then_window(np.arange(10), 2.0, validation_fraction=0.3), "whole number"),
        (lambda: split_point(10.0, 0.2), "length must be a whole number"),
        (lambda: split_point(10, "0.2"), "validation_fraction must be a number"),
        (lambda: split_point(10, float("nan")), "strictly between 0 and 1"),
        (lambda: sequential_partition(np.arange(50), 5.0, 2), "steps must be a whole number"),
        (lambda: sequential_partition(np.arange(50), 5, 2.0), "batch_size must be a whole"),
        (lambda: sequential_partition(np.arange(50), 5, 2, offset=1.0), "offset must be a whole"),
        (lambda: sequential_partition(np.arange(50), 5, 2, offset=-3), "offset must be at least 0"),
        (lambda: random_partition(np.arange(50), 5.0, 2, RNG()), "steps must be a whole number"),
        (lambda: random_partition(np.arange(50), 5, 2.5, RNG()), "batch_size must be a whole"),
        (lambda: Vocabulary.from_tokens(["a", "b"], 3.0), "vocabulary size must be a whole"),
    ],
)
def test_sizes_that_are_not_whole_numbers_are_clear_errors(call, message):
    expected = TypeError if "whole" in message or "a number" in message else ValueError
    with pytest.raises(expected, match=message):
        call()


@pytest.mark.parametrize("batch_size", [0, -1])
def test_batch_sizes_below_one_are_clear_errors_not_a_division_by_zero(batch_size):
    with pytest.raises(ValueError, match=f"batch_size must be at least 1, got {batch_size}"):
        sequential_partition(np.arange(50), 5, batch_size)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        random_partition(np.arange(50), 5, batch_size, RNG())


def test_numpy_integers_are_whole_numbers_too():
    windows = sliding_windows(np.arange(6), np.int64(3), stride=np.int32(3))
    assert windows.tolist() == [[0, 1, 2], [3, 4, 5]] and windows.dtype == np.arange(1).dtype
    assert len(sequential_partition(np.arange(50), np.int64(5), np.int64(2))) == 4


def RNG():  # noqa: N802 - reads like the type it builds
    return np.random.default_rng(0)
