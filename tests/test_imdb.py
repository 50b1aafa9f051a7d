"""The IMDB loader against Keras's own on a fixture, the safe npz reader, and the real mirror."""

import io
import json
import pickle
import zipfile
from unittest import mock

import numpy as np
import pytest

from course_utils.data import (
    DataIntegrityError,
    DataUnavailableError,
    decode_review,
    load_imdb,
    load_imdb_padded,
    load_imdb_word_index,
    standins_in_use,
)
from course_utils.data.safe_npz import load_npz
from course_utils.profiles import Profile

from .conftest import real_mirror


def ragged(rows):
    array = np.empty(len(rows), dtype=object)
    array[:] = rows
    return array


def write_fixture(folder, n_train=40, n_test=30, seed=0):
    """A small imdb.npz in Keras's layout: ragged object arrays of ranks from 1, labels 0/1."""
    rng = np.random.default_rng(seed)

    def reviews(count):
        return ragged([rng.integers(1, 60, rng.integers(3, 25)).tolist() for _ in range(count)])

    arrays = {
        "x_train": reviews(n_train),
        "y_train": rng.integers(0, 2, n_train),
        "x_test": reviews(n_test),
        "y_test": rng.integers(0, 2, n_test),
    }
    (folder / "imdb").mkdir(parents=True)
    np.savez(folder / "imdb" / "imdb.npz", **arrays)
    (folder / "imdb" / "imdb_word_index.json").write_text(
        json.dumps({f"w{rank}": rank for rank in range(1, 60)} | {"the": 1})
    )
    return folder / "imdb" / "imdb.npz"


@pytest.fixture
def fixture_mirror(tmp_path, monkeypatch):
    """A mirror holding the fixture, whose 40 + 30 reviews the structural check takes as IMDB's."""
    from course_utils.data import imdb_checks

    monkeypatch.setattr(imdb_checks, "REVIEWS", {"train": 40, "test": 30})
    path = write_fixture(tmp_path / "mirror")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "mirror"))
    return path


def keras_load(path, **kwargs):
    import keras.src.datasets.imdb as keras_imdb

    with mock.patch.object(keras_imdb, "get_file", return_value=str(path)):
        return keras_imdb.load_data(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"num_words": 20},
        {"num_words": 20, "skip_top": 5},
        {"maxlen": 15},
        {"seed": 7, "num_words": 30},
        {"start_char": None},
        {"start_char": None, "index_from": 0},
        {"oov_char": None, "num_words": 25},
        {"index_from": 5, "start_char": 3, "oov_char": 4, "num_words": 40},
    ],
)
def test_same_as_keras_loader(fixture_mirror, kwargs):
    (ours_x, ours_y), (ours_xt, ours_yt) = load_imdb(**kwargs)
    (keras_x, keras_y), (keras_xt, keras_yt) = keras_load(fixture_mirror, **kwargs)
    for ours, theirs in ((ours_x, keras_x), (ours_xt, keras_xt)):
        assert ours.dtype == object and len(ours) == len(theirs)
        assert [list(s) for s in ours] == [list(s) for s in theirs]
    np.testing.assert_array_equal(ours_y, keras_y)
    np.testing.assert_array_equal(ours_yt, keras_yt)


def test_maxlen_drops_long_reviews_instead_of_truncating(fixture_mirror):
    (all_x, _), _ = load_imdb()
    (short_x, _), _ = load_imdb(maxlen=15)
    assert len(short_x) < len(all_x)
    assert max(len(s) for s in short_x) < 15


def test_maxlen_that_keeps_nothing_is_a_clear_error(fixture_mirror):
    with pytest.raises(ValueError, match="increase maxlen"):
        load_imdb(maxlen=1)


def test_word_index_and_decoding(fixture_mirror):
    word_index = load_imdb_word_index()
    assert word_index["the"] == 1
    assert decode_review([0, 0, 1, 4, 2, 5], word_index) == "[START] the [OOV] w2"


def test_safe_reader_refuses_code_in_a_pickled_member(tmp_path):
    class Exploit:
        def __reduce__(self):
            import os

            return (os.system, ("echo pwned",))

    payload = io.BytesIO()
    np.lib.format.write_array_header_1_0(
        payload, {"descr": "|O", "fortran_order": False, "shape": (1,)}
    )
    pickle.dump(Exploit(), payload)
    path = tmp_path / "evil.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x_train.npy", payload.getvalue())
    with pytest.raises(pickle.UnpicklingError, match="refusing"):
        load_npz(path)


def test_numeric_members_load_without_pickle(tmp_path):
    np.savez(tmp_path / "plain.npz", a=np.arange(5), b=np.eye(2))
    arrays = load_npz(tmp_path / "plain.npz")
    np.testing.assert_array_equal(arrays["a"], np.arange(5))
    np.testing.assert_array_equal(arrays["b"], np.eye(2))


def test_corrupt_archive_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "mirror" / "imdb").mkdir(parents=True)
    (tmp_path / "mirror" / "imdb" / "imdb.npz").write_bytes(b"PK\x03\x04 not really a zip")
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "mirror"))
    with pytest.raises(DataIntegrityError, match="not a readable IMDB"):
        load_imdb()


def test_full_profile_never_falls_back(monkeypatch, closed_port_url):
    from course_utils.data import registry

    for name in ("IMDB", "IMDB_WORD_INDEX"):
        remote = getattr(registry, name)
        monkeypatch.setattr(
            registry, name, type(remote)(**{**vars(remote), "url": closed_port_url})
        )
    monkeypatch.setattr("course_utils.data.imdb.IMDB", registry.IMDB)
    with pytest.raises(DataUnavailableError):
        load_imdb(profile=Profile("full"))
    assert standins_in_use() == {}


def test_smoke_profile_falls_back_to_a_standin_and_says_so(monkeypatch, closed_port_url, capsys):
    from course_utils.data import imdb as imdb_module
    from course_utils.data import registry

    for name in ("IMDB", "IMDB_WORD_INDEX"):
        remote = getattr(registry, name)
        monkeypatch.setattr(
            imdb_module, name, type(remote)(**{**vars(remote), "url": closed_port_url})
        )
    (x, y), (xt, yt) = load_imdb(num_words=100, profile=Profile("smoke"))
    assert "GENERATED STAND-IN" in capsys.readouterr().out
    assert "imdb" in standins_in_use()
    assert len(x) == len(y) and len(xt) == len(yt) and set(np.unique(y)) == {0, 1}
    word_index = load_imdb_word_index(profile=Profile("smoke"))
    assert "[START]" in decode_review(x[0], word_index)


@pytest.mark.skipif(real_mirror() is None, reason="no offline data mirror on this machine")
def test_the_offline_mirror_loads(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(real_mirror()))
    (x, y), (xt, yt) = load_imdb(num_words=10_000)
    assert len(x) == len(xt) == 25_000
    assert y.mean() == yt.mean() == 0.5
    assert max(max(s) for s in x) == 9_999 and all(s[0] == 1 for s in x[:100])
    assert len(load_imdb_word_index()) > 80_000
    assert standins_in_use() == {}


def test_padded_reviews_keep_their_end_behind_leading_zeros(fixture_mirror):
    (x, y), (xt, yt) = load_imdb_padded(num_words=30, maxlen=12, limit=7)
    (raw, _), _ = load_imdb(num_words=30)
    assert x.shape == (7, 12) and xt.shape == (7, 12) and len(y) == len(yt) == 7
    for padded, review in zip(x, raw[:7], strict=True):
        kept = review[-12:]
        assert padded[12 - len(kept) :].tolist() == kept  # the end of the review is kept
        assert not padded[: 12 - len(kept)].any()  # zeros first


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: load_imdb(num_words=2.5), TypeError, "num_words must be a whole number"),
        (lambda: load_imdb(maxlen=100.0), TypeError, "maxlen must be a whole number"),
        (lambda: load_imdb(skip_top=-1), ValueError, "skip_top must be at least 0"),
        (lambda: load_imdb_padded(100, 20.0), TypeError, "maxlen must be a whole number"),
        (lambda: load_imdb_padded(0, 20), ValueError, "num_words must be at least 1"),
        (lambda: load_imdb_padded(100, 20, limit=2.5), TypeError, "limit must be a whole"),
    ],
)
def test_sizes_that_are_not_whole_numbers_are_clear_errors(fixture_mirror, call, error, message):
    with pytest.raises(error, match=message):
        call()
