"""Batches of similar length hold the same words as pad_sequences' rows, with less padding, in
an order that a seed repeats; a run trained on them is kept and loaded like any other."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course_utils import results
from course_utils.kept_runs import TRAINED_ENV_VAR, fit_or_load
from course_utils.length_batches import SimilarLengthBatches, similar_length_splits

RNG = np.random.default_rng(1)
REVIEWS = [RNG.integers(1, 60, size=RNG.integers(1, 40)).astype("int32") for _ in range(300)]
LABELS = (np.array([review[-1] for review in REVIEWS]) > 30).astype("float32")


def every_batch(batches, rng_seed=0):
    rng = np.random.default_rng(rng_seed)
    return [(batches.padded(indices), batches.labels[indices], indices)
            for indices in batches.batch_order(rng)]


def test_rows_are_pad_sequences_rows_with_less_padding():
    batches = SimilarLengthBatches(REVIEWS, LABELS, maxlen=25, batch_size=16)
    full = keras.utils.pad_sequences(REVIEWS, maxlen=25)
    seen = []
    for x, y, indices in every_batch(batches):
        assert x.shape == (len(indices), batches.lengths[indices].max())
        for row, index in zip(x, indices, strict=True):
            # the same words, cut where pad_sequences cuts, zeros in front
            np.testing.assert_array_equal(row[row != 0], full[index][full[index] != 0])
            assert row[-1] == full[index][-1]
        np.testing.assert_array_equal(y, LABELS[indices])
        seen += list(indices)
    assert sorted(seen) == list(range(len(REVIEWS)))  # every review once per epoch


def test_fewer_steps_than_padding_to_maxlen():
    batches = SimilarLengthBatches(REVIEWS, LABELS, maxlen=25, batch_size=16, chunk_batches=4)
    assert batches.steps_read_padded_to_maxlen() == 300 * 25
    # sorted within chunks, each batch spans a narrow range of lengths
    assert batches.steps_read() < 0.8 * batches.steps_read_padded_to_maxlen()
    assert batches.steps_read() >= batches.lengths.sum()


def test_the_seed_repeats_the_order_and_epochs_differ():
    batches = SimilarLengthBatches(REVIEWS, LABELS, maxlen=25, batch_size=16, seed=4)
    first = [[x.tolist() for x, _ in _epoch] for _epoch in _two_epochs(batches.dataset())]
    again = [[x.tolist() for x, _ in _epoch] for _epoch in _two_epochs(batches.dataset())]
    assert first == again
    assert first[0] != first[1]
    other = SimilarLengthBatches(REVIEWS, LABELS, maxlen=25, batch_size=16, seed=5)
    assert [x.tolist() for x, _ in _two_epochs(other.dataset())[0]] != first[0]


def _two_epochs(dataset):
    return [[(x.numpy(), y.numpy()) for x, y in dataset] for _ in range(2)]


def test_unshuffled_batches_are_sorted_and_fixed():
    batches = SimilarLengthBatches(REVIEWS, LABELS, maxlen=25, batch_size=16, shuffle=False)
    longest = [batches.lengths[indices].max() for _, _, indices in every_batch(batches)]
    assert longest == sorted(longest)
    assert len(batches.dataset()) == len(batches) == 19


def test_bad_input_says_what_is_wrong():
    with pytest.raises(ValueError, match="300 reviews but 299 labels"):
        SimilarLengthBatches(REVIEWS, LABELS[:-1], maxlen=25)
    with pytest.raises(ValueError, match="review has no words"):
        SimilarLengthBatches([*REVIEWS[:3], np.array([], "int32")], LABELS[:4], maxlen=25)
    with pytest.raises(ValueError, match="at least 1"):
        SimilarLengthBatches(REVIEWS, LABELS, maxlen=0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        similar_length_splits((REVIEWS, LABELS), (REVIEWS, LABELS), maxlen=25, validation_split=1)


def test_splits_hold_out_what_validation_split_holds_out():
    splits = similar_length_splits((REVIEWS, LABELS), (REVIEWS[:50], LABELS[:50]), maxlen=25)
    assert (len(splits["train"].rows), len(splits["validation"].rows)) == (240, 60)
    np.testing.assert_array_equal(splits["validation"].rows[0], REVIEWS[240])
    assert splits["train"].shuffle and not splits["validation"].shuffle


def model():
    keras.utils.set_random_seed(3)
    net = keras.Sequential(
        [keras.Input((None,), dtype="int32"), keras.layers.Embedding(60, 4),
         keras.layers.GRU(4), keras.layers.Dense(1, activation="sigmoid")],
        name="tiny_similar",
    )
    # eagerly: tracing the GRU into a graph costs seconds and would test nothing more here
    net.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"],
                run_eagerly=True)
    return net


def test_a_run_on_similar_length_batches_is_kept_and_loaded(tmp_path, monkeypatch):
    monkeypatch.setenv(TRAINED_ENV_VAR, str(tmp_path))
    results.set_notebook("05")
    splits = similar_length_splits((REVIEWS, LABELS), (REVIEWS[:50], LABELS[:50]), maxlen=25)

    def fit(splits):
        return fit_or_load(model(), splits["train"], validation_data=splits["validation"],
                           test_data=splits["test"], label="tiny", monitor="val_acc",
                           patience=None, epochs=2, verbose=0)

    trained, where = fit(splits)
    assert not where.loaded
    loaded, where = fit(similar_length_splits((REVIEWS, LABELS), (REVIEWS[:50], LABELS[:50]),
                                              maxlen=25))
    assert where.loaded and loaded.history == trained.history and loaded.test == trained.test
    # another seed is another run
    _, where = fit(similar_length_splits((REVIEWS, LABELS), (REVIEWS[:50], LABELS[:50]),
                                         maxlen=25, seed=1))
    assert not where.loaded


def test_the_bench_times_the_mean_length_of_imdbs_batches(monkeypatch):
    from course_utils.bench.catalogue import SIMILAR_LENGTH_STEPS
    from course_utils.data import load_imdb
    from course_utils.profiles import Profile
    from tests.conftest import real_mirror

    if real_mirror() is None or not (real_mirror() / "imdb" / "imdb.npz").is_file():
        pytest.skip("needs the IMDB mirror (COURSE_DATA_DIR or ../shared/data)")
    monkeypatch.setenv("COURSE_DATA_DIR", str(real_mirror()))
    (reviews, labels), _ = load_imdb(num_words=10_000, profile=Profile("full"))
    batches = SimilarLengthBatches(reviews[:20_000], labels[:20_000], maxlen=500)
    assert round(batches.steps_read() / 20_000) == SIMILAR_LENGTH_STEPS
