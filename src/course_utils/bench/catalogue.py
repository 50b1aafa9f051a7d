"""The models the course trains, at full size: each as its notebook builds and compiles it, the
batch it trains on, and how many batches make one of its epochs.

Models come from the course's own builders (:func:`course_utils.models.sentiment_model`,
:func:`course_utils.models.forecaster`) where the notebook uses them; notebooks 01 and 10 define
their models inline, so those two are rebuilt here, cell for cell (``tests/test_bench.py`` runs
the notebook's cell and compares every layer). A run that trains the same model on data of the
same shape (the reversed reviews of 08, 05's padded LSTM, the forward and reversed GRUs of 08 and
09's hourly GRU) takes no row of its own: its notebook is listed in ``also``. Models that their
notebook feeds in batches of similar length (05, 08) are timed, in the course's configuration,
on batches of the mean length those batches have.

Batches per epoch are those of the full profile, computed from the data sets' sizes (no data is
read): ``ceil(training examples / batch size)``. ``params`` is the parameter count worked out by
hand in the comments, which the tests check against the built model.

Nothing here imports TensorFlow until a model is built, so that the command line can list and
check names at once.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..data.jena_format import FIRST_TIMESTAMP, LAST_TIMESTAMP, NUMERIC_COLUMNS, STEP
from ..data.registry import TINY_SHAKESPEARE
from ..timeseries import CLASSIC, chronological_split, window_indices
from ..windows import split_point


@dataclass(frozen=True)
class BenchModel:
    """One model of the course: where it is taught, what one batch is, how many make an epoch."""

    name: str  # the bench's name for it (--models)
    notebook: str  # the notebook that trains it, "03"
    cell: int  # the index of the notebook's code cell that builds it
    label: str  # what the notebook calls the run
    batch_size: int
    batches_per_epoch: int
    params: int  # by hand, see the comment where the model is listed
    build: Callable = field(repr=False)  # () -> a compiled keras.Model, as the notebook has it
    batch: Callable = field(repr=False)  # (rng) -> (x, y): one batch of the real shapes and dtypes
    also: tuple[str, ...] = ()  # other runs of the same model on data of the same shape
    # The notebook feeds batches of similar length (course_utils.length_batches): the course's
    # configuration times batches cut to this many steps, the mean a review takes there.
    similar_length_steps: int | None = None

    @property
    def notebooks(self) -> tuple[str, ...]:
        """Every notebook whose training this row stands for, its own first."""
        others = (run[:2] for run in self.also if run[:2] != self.notebook)
        return (self.notebook, *dict.fromkeys(others))


def batches(examples: int, batch_size: int) -> int:
    """Batches in one epoch over ``examples`` (the last one may be short, as in ``fit``)."""
    return math.ceil(examples / batch_size)


def keras_training_rows(examples: int, validation_split: float) -> int:
    """The examples ``fit(validation_split=...)`` trains on: Keras keeps the first
    ``floor(examples * (1 - validation_split))`` (keras/src/trainers/data_adapters/array_slicing.py,
    ``train_validation_split``)."""
    return int(math.floor(examples * (1.0 - validation_split)))


# ----------------------------------------------------------------------------------------------
# IMDB (notebooks 03, 04, 05, 08): 25,000 training reviews, 20% held out by validation_split=0.2,
# padded to 500 words of a 10,000-word vocabulary, batches of 128.
IMDB_REVIEWS = 25_000
MAX_FEATURES, MAXLEN, IMDB_BATCH = 10_000, 500, 128
IMDB_BATCHES = batches(keras_training_rows(IMDB_REVIEWS, 0.2), IMDB_BATCH)  # 20,000 -> 157
# Batches of similar length over the 20,000 training reviews read 4,624,000 steps in an epoch
# (SimilarLengthBatches.steps_read on the course's copy of IMDB, 2.16x fewer than 500 each):
# 231.2 a review.
SIMILAR_LENGTH_STEPS = 231
MASKING_REVIEWS = 10_000  # notebook 03's padding-and-masking runs (MASK_REVIEWS, full profile)
MASKING_BATCHES = batches(keras_training_rows(MASKING_REVIEWS, 0.2), IMDB_BATCH)  # 8,000 -> 63
# Embedding(10,000, 32) = 320,000 weights; Dense(1) after 32 features = 33.
_IMDB_EDGES = MAX_FEATURES * 32 + 33


def _imdb_batch(rng):
    """Padded reviews (int32, as pad_sequences gives them) and labels (int64, as imdb.npz)."""
    x = rng.integers(0, MAX_FEATURES, size=(IMDB_BATCH, MAXLEN), dtype=np.int32)
    return x, rng.integers(0, 2, size=IMDB_BATCH).astype(np.int64)


def _sentiment(make_layer, name, **options):
    def build():
        import keras

        from ..models import sentiment_model

        return sentiment_model(
            make_layer(keras), name, max_features=MAX_FEATURES, **{"maxlen": MAXLEN, **options}
        )

    return build


# ----------------------------------------------------------------------------------------------
# Jena (notebooks 06-09): the cleaned record is a regular 10-minute grid from FIRST_TIMESTAMP to
# LAST_TIMESTAMP (420,768 rows, 14 quantities); half of it trains; a window every 24 rows
# (stride 24), batches of 128, each training window once per epoch.
JENA_ROWS = (LAST_TIMESTAMP - FIRST_TIMESTAMP) // STEP + 1
JENA_FEATURES = len(NUMERIC_COLUMNS)
JENA_BATCH = 128
HOURLY = dict(CLASSIC, stride=24)  # 06, 07, 08, 09: 10 days, one row an hour, 24 h ahead
HALF_HOURLY = dict(CLASSIC, lookback=720, step=3, stride=24)  # 09's Conv1D + GRU windows


def jena_window(windows: dict) -> tuple[int, int]:
    """A window's shape, (steps, features): ``WINDOW`` in notebooks 06-09."""
    return windows["lookback"] // windows["step"], JENA_FEATURES


def jena_batches(windows: dict) -> int:
    """Training batches per epoch: the windows ``window_dataset`` cuts from the training rows."""
    train_rows, _, _ = chronological_split(JENA_ROWS, (0.5, 0.25, 0.25))
    return batches(len(window_indices(JENA_ROWS, rows=train_rows, **windows)), JENA_BATCH)


def _jena_batch(windows):
    def batch(rng):
        x = rng.standard_normal((JENA_BATCH, *jena_window(windows)), dtype=np.float32)
        return x, rng.standard_normal(JENA_BATCH, dtype=np.float32)

    return batch


def _forecaster(make_layers, name, windows=HOURLY):
    def build():
        import keras

        from ..models import forecaster

        return forecaster(*make_layers(keras), name=name, window=jena_window(windows))

    return build


# A GRU(units) on `inputs` features (Keras 3, reset_after=True: two biases per gate):
# 3 gates x (inputs x units + units x units + 2 x units).
def _gru_params(inputs: int, units: int) -> int:
    return 3 * (inputs * units + units * units + 2 * units)


def _lstm_params(inputs: int, units: int) -> int:  # 4 gates x (inputs + units + 1) x units
    return 4 * (inputs + units + 1) * units


def _conv_params(inputs: int, filters: int, width: int) -> int:
    return width * inputs * filters + filters


# ----------------------------------------------------------------------------------------------
# Notebook 01: the next-word model. Tiny Shakespeare has 203,836 words (course_utils.windows
# .tokenize); 90% train; windows of CONTEXT + 1 = 5 words, stride 1; batches of 128.
TINY_SHAKESPEARE_WORDS = 203_836
CONTEXT, WORD_VOCABULARY, WORD_BATCH = 4, 5_000, 128
WORD_WINDOWS = split_point(TINY_SHAKESPEARE_WORDS, 0.1) - CONTEXT  # 183,448
WORD_BATCHES = batches(WORD_WINDOWS, WORD_BATCH)  # 1,434


def _next_word_model():
    """Notebook 01, cell 29, as written there (VOCAB_SIZE = 5,000: 4,999 words and <unk>)."""
    import keras

    VOCAB_SIZE = WORD_VOCABULARY  # noqa: N806 (the notebook's names)
    model = keras.Sequential(
        [
            keras.Input(shape=(CONTEXT,), dtype="int32", name="context"),
            keras.layers.Embedding(VOCAB_SIZE, 64, name="embedding"),
            keras.layers.Flatten(name="side_by_side"),
            keras.layers.Dense(128, activation="tanh", name="hidden"),
            keras.layers.Dense(VOCAB_SIZE, activation="softmax", name="next_word"),
        ],
        name="next_word_model",
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
        loss="sparse_categorical_crossentropy",
    )  # no jit_compile: Keras's "auto", which leaves XLA off on a CPU
    return model


def _next_word_batch(rng):
    x = rng.integers(0, WORD_VOCABULARY, size=(WORD_BATCH, CONTEXT), dtype=np.int32)
    return x, rng.integers(0, WORD_VOCABULARY, size=WORD_BATCH, dtype=np.int32)


# ----------------------------------------------------------------------------------------------
# Notebook 10: the character LSTM. Tiny Shakespeare's 1,115,394 characters (ASCII: one byte
# each), 90% train, windows of SEQ_LEN + 1 = 101 characters with stride 100: 10,038 sequences,
# batches of 64. 65 different characters in the training text, and <unk>: VOCAB = 66.
SEQ_LEN, CHAR_VOCABULARY, CHAR_BATCH, UNITS, EMBED = 100, 66, 64, 256, 64
CHAR_SEQUENCES = (split_point(TINY_SHAKESPEARE.size, 0.1) - (SEQ_LEN + 1)) // SEQ_LEN + 1
CHAR_BATCHES = batches(CHAR_SEQUENCES, CHAR_BATCH)  # 157


def _char_lstm():
    """Notebook 10, cell 11, as written there: ``language_model((None, None))``, compiled."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(batch_shape=(None, None), dtype="int32", name="characters"),
            keras.layers.Embedding(CHAR_VOCABULARY, EMBED, name="embedding"),
            keras.layers.LSTM(UNITS, return_sequences=True, stateful=False, name="lstm"),
            keras.layers.Dense(CHAR_VOCABULARY, name="next_character"),  # scores (logits)
        ],
        name="char_lstm",
    )
    model.compile(
        optimizer=keras.optimizers.Adam(6e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        jit_compile=True,
    )
    return model


def _char_batch(rng):
    x = rng.integers(0, CHAR_VOCABULARY, size=(CHAR_BATCH, SEQ_LEN), dtype=np.int32)
    return x, rng.integers(0, CHAR_VOCABULARY, size=(CHAR_BATCH, SEQ_LEN), dtype=np.int32)


# ----------------------------------------------------------------------------------------------
_HOURLY_BATCHES = jena_batches(HOURLY)  # 8,701 windows -> 68
_FLAT = 240 * JENA_FEATURES  # a flattened hourly window: 3,360 numbers

MODELS: tuple[BenchModel, ...] = (
    BenchModel(
        "next_word", "01", 29, "next-word model", WORD_BATCH, WORD_BATCHES,
        # Embedding 5,000 x 64 + Dense(128) on 4 x 64 + Dense(5,000) on 128
        params=WORD_VOCABULARY * 64 + (CONTEXT * 64 + 1) * 128 + (128 + 1) * WORD_VOCABULARY,
        build=_next_word_model, batch=_next_word_batch,
    ),
    BenchModel(
        "simple_rnn", "03", 15, "SimpleRNN(32)", IMDB_BATCH, IMDB_BATCHES,
        params=_IMDB_EDGES + (32 + 32 + 1) * 32,  # 322,113
        build=_sentiment(lambda k: k.layers.SimpleRNN(32, name="simple_rnn"), "imdb_simple_rnn"),
        batch=_imdb_batch,
        also=("03 padding and masking, mask_zero=False (8,000 reviews: 63 batches an epoch)",),
    ),
    BenchModel(
        "bag_of_embeddings", "03", 23, "bag of embeddings", IMDB_BATCH, IMDB_BATCHES,
        params=_IMDB_EDGES,  # the average has no weights
        build=_sentiment(
            lambda k: k.layers.GlobalAveragePooling1D(name="average"), "imdb_bag_of_embeddings",
            mask_zero=True,
        ),
        batch=_imdb_batch,
    ),
    BenchModel(
        "simple_rnn_masked", "03", 30, "SimpleRNN(32), mask_zero=True", IMDB_BATCH,
        MASKING_BATCHES,
        params=_IMDB_EDGES + (32 + 32 + 1) * 32,
        build=_sentiment(
            lambda k: k.layers.SimpleRNN(32, name="simple_rnn"), "pre_padding_mask_true",
            mask_zero=True,
        ),
        batch=_imdb_batch,
        also=("03 padding and masking, post-padded and mask_zero=True",),
    ),
    BenchModel(
        "lstm", "04", 39, "LSTM(32)", IMDB_BATCH, IMDB_BATCHES,
        params=_IMDB_EDGES + _lstm_params(32, 32),  # 328,353
        build=_sentiment(lambda k: k.layers.LSTM(32, name="lstm"), "imdb_lstm"),
        batch=_imdb_batch,
        also=("05 LSTM, padded to 500 (loaded from 04's kept run when it matches)",),
    ),
    BenchModel(
        "lstm_similar_lengths", "05", 16, "LSTM, similar lengths", IMDB_BATCH, IMDB_BATCHES,
        params=_IMDB_EDGES + _lstm_params(32, 32),
        build=_sentiment(lambda k: k.layers.LSTM(32, name="lstm"), "imdb_lstm_similar_lengths",
                         maxlen=None, jit_compile=False),
        batch=_imdb_batch, similar_length_steps=SIMILAR_LENGTH_STEPS,
        also=("08 LSTM, reversed reviews",),
    ),
    BenchModel(
        "gru", "05", 21, "GRU, similar lengths", IMDB_BATCH, IMDB_BATCHES,
        params=_IMDB_EDGES + _gru_params(32, 32),  # 326,369
        build=_sentiment(lambda k: k.layers.GRU(32, name="gru"), "imdb_gru", maxlen=None,
                         jit_compile=False),
        batch=_imdb_batch, similar_length_steps=SIMILAR_LENGTH_STEPS,
    ),
    BenchModel(
        "bidirectional_lstm", "08", 19, "Bidirectional(LSTM(32))", IMDB_BATCH, IMDB_BATCHES,
        params=MAX_FEATURES * 32 + 2 * _lstm_params(32, 32) + 65,  # 336,705
        build=_sentiment(
            lambda k: k.layers.Bidirectional(k.layers.LSTM(32), name="bilstm"),
            "bidirectional_lstm", maxlen=None, jit_compile=False,
        ),
        batch=_imdb_batch, similar_length_steps=SIMILAR_LENGTH_STEPS,
    ),
    BenchModel(
        "jena_dense", "06", 23, "dense", JENA_BATCH, _HOURLY_BATCHES,
        params=(_FLAT + 1) * 32 + 33,  # 107,585
        build=_forecaster(
            lambda k: [k.layers.Flatten(), k.layers.Dense(32, activation="relu")], "dense"
        ),
        batch=_jena_batch(HOURLY),
    ),
    BenchModel(
        "jena_gru", "06", 27, "GRU(32)", JENA_BATCH, _HOURLY_BATCHES,
        params=_gru_params(JENA_FEATURES, 32) + 33,  # 4,641
        build=_forecaster(lambda k: [k.layers.GRU(32, name="gru")], "gru"),
        batch=_jena_batch(HOURLY),
        also=("08 GRU, forward (06's run, loaded)", "08 GRU, reversed",
              "09 GRU(32), hourly (06's run, loaded)"),
    ),
    BenchModel(
        "jena_gru_dropout", "06", 38, "GRU(32), dropout 0.2/0.2", JENA_BATCH, _HOURLY_BATCHES,
        params=_gru_params(JENA_FEATURES, 32) + 33,
        build=_forecaster(
            lambda k: [k.layers.GRU(32, dropout=0.2, recurrent_dropout=0.2, name="gru")],
            "gru_dropout",
        ),
        batch=_jena_batch(HOURLY),
    ),
    BenchModel(
        "jena_gru_single", "07", 11, "one GRU(32)", JENA_BATCH, _HOURLY_BATCHES,
        params=_gru_params(JENA_FEATURES, 32) + 33,
        build=_forecaster(
            lambda k: [k.layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, name="gru_1")],
            "single_gru",
        ),
        batch=_jena_batch(HOURLY),
    ),
    BenchModel(
        "jena_stacked_gru", "07", 6, "GRU(32) + GRU(64)", JENA_BATCH, _HOURLY_BATCHES,
        params=_gru_params(JENA_FEATURES, 32) + _gru_params(32, 64) + 65,  # 23,489
        build=_forecaster(
            lambda k: [
                k.layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True,
                             name="gru_1"),
                k.layers.GRU(64, activation="relu", dropout=0.1, recurrent_dropout=0.5,
                             name="gru_2"),
            ],
            "stacked_gru",
        ),
        batch=_jena_batch(HOURLY),
    ),
    BenchModel(
        "jena_bidirectional_gru", "08", 6, "Bidirectional(GRU(32))", JENA_BATCH,
        _HOURLY_BATCHES,
        params=2 * _gru_params(JENA_FEATURES, 32) + 65,  # 9,281
        build=_forecaster(
            lambda k: [k.layers.Bidirectional(k.layers.GRU(32), name="bigru")],
            "bidirectional_gru",
        ),
        batch=_jena_batch(HOURLY),
    ),
    BenchModel(
        "jena_conv1d", "09", 8, "Conv1D only", JENA_BATCH, _HOURLY_BATCHES,
        params=_conv_params(JENA_FEATURES, 32, 5) + 2 * _conv_params(32, 32, 5) + 33,  # 12,609
        build=_forecaster(
            lambda k: [
                k.layers.Conv1D(32, 5, activation="relu"), k.layers.MaxPooling1D(3),
                k.layers.Conv1D(32, 5, activation="relu"), k.layers.MaxPooling1D(3),
                k.layers.Conv1D(32, 5, activation="relu"), k.layers.GlobalMaxPooling1D(),
            ],
            "conv1d_only",
        ),
        batch=_jena_batch(HOURLY),
    ),
    BenchModel(
        "jena_conv1d_gru", "09", 10, "Conv1D + GRU, half-hourly", JENA_BATCH,
        jena_batches(HALF_HOURLY),  # 8,731 windows -> 69
        params=_conv_params(JENA_FEATURES, 32, 5) + _conv_params(32, 32, 5)
        + _gru_params(32, 32) + 33,  # 13,793
        build=_forecaster(
            lambda k: [  # conv_gru_layers() of cell 10, trained in cell 11
                k.layers.Conv1D(32, 5, activation="relu", name="conv_1"),
                k.layers.MaxPooling1D(3, name="pool"),
                k.layers.Conv1D(32, 5, activation="relu", name="conv_2"),
                k.layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, name="gru"),
            ],
            "conv1d_gru", HALF_HOURLY,
        ),
        batch=_jena_batch(HALF_HOURLY),
    ),
    BenchModel(
        "char_lstm", "10", 11, "char LSTM", CHAR_BATCH, CHAR_BATCHES,
        # Embedding 66 x 64 + LSTM(256) on 64 + Dense(66) on 256
        params=CHAR_VOCABULARY * EMBED + _lstm_params(EMBED, UNITS) + (UNITS + 1) * CHAR_VOCABULARY,
        build=_char_lstm, batch=_char_batch,
    ),
)

BY_NAME: dict[str, BenchModel] = {model.name: model for model in MODELS}


def select(names: list[str] | None) -> list[BenchModel]:
    """The models named, in the order given (every model when ``names`` is empty or None);
    a ``KeyError`` whose message lists the known names for a name that is none of them."""
    if not names:
        return list(MODELS)
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise KeyError(
            f"unknown model{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}; "
            f"the models are: {', '.join(BY_NAME)}"
        )
    return [BY_NAME[name] for name in dict.fromkeys(names)]
