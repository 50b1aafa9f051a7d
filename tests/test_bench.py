"""``python -m course_utils.bench``: its models are the notebooks' (layer for layer, parameter for
parameter, batches per epoch), its arithmetic, its command line and its JSON file. No test
asserts a timing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import nbformat
import pytest

from course_utils.bench import __main__ as command
from course_utils.bench import catalogue, report
from course_utils.bench.catalogue import BY_NAME, MODELS, select
from course_utils.bench.timing import compile_seconds, seconds_per_epoch
from course_utils.bench.worker import WorkerError

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def code_cells(notebook: str) -> dict[int, str]:
    """Code cells by their index in the notebook (the bench's ``cell``)."""
    path = next(NOTEBOOKS.glob(f"{notebook}_*.ipynb"))
    cells = nbformat.read(path, as_version=4).cells
    return {i: cell.source for i, cell in enumerate(cells) if cell.cell_type == "code"}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --- the model list against the notebooks -------------------------------------------------------


def test_every_notebook_that_trains_a_model_is_covered():
    training = {
        path.name[:2]
        for path in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")
        if any(call in source for source in code_cells(path.name[:2]).values()
               for call in ("fit_and_keep_best(", "fit_or_load("))
    }
    assert training == {"01", "03", "04", "05", "06", "07", "08", "09", "10"}
    covered = {notebook for model in MODELS for notebook in model.notebooks}
    assert training <= covered
    assert {model.notebook for model in MODELS} == training  # each has a model of its own


def test_names_are_unique_and_cells_are_code_cells():
    assert len(BY_NAME) == len(MODELS)
    for model in MODELS:
        assert model.cell in code_cells(model.notebook), model.name


# The layers between the edges, as the notebook's cell writes them (whitespace aside), and the
# names a cell's code gives them (05 builds LSTM and GRU in one loop: `layer` is GRU there).
NOTEBOOK_LAYERS = {
    "simple_rnn": 'keras.layers.SimpleRNN(32, name="simple_rnn")',
    "bag_of_embeddings": 'keras.layers.GlobalAveragePooling1D(name="average")',
    "simple_rnn_masked": 'keras.layers.SimpleRNN(32, name="simple_rnn")',
    "lstm": 'keras.layers.LSTM(32, name="lstm")',
    "lstm_similar_lengths": 'keras.layers.LSTM(32, name="lstm")',
    "gru": 'keras.layers.GRU(32, name="gru")',
    "bidirectional_lstm": 'keras.layers.Bidirectional(keras.layers.LSTM(32), name="bilstm")',
    "jena_dense": 'keras.layers.Flatten(), keras.layers.Dense(32, activation="relu")',
    "jena_gru": 'keras.layers.GRU(32, name="gru")',
    "jena_gru_dropout": 'keras.layers.GRU(32, dropout=0.2, recurrent_dropout=0.2, name="gru")',
    "jena_gru_single": 'keras.layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, name="gru_1")',
    "jena_stacked_gru": (
        'keras.layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, return_sequences=True, '
        'name="gru_1"), keras.layers.GRU(64, activation="relu", dropout=0.1, '
        'recurrent_dropout=0.5, name="gru_2")'
    ),
    "jena_bidirectional_gru": 'keras.layers.Bidirectional(keras.layers.GRU(32), name="bigru")',
    "jena_conv1d": (
        'keras.layers.Conv1D(32, 5, activation="relu"), keras.layers.MaxPooling1D(3), '
        'keras.layers.Conv1D(32, 5, activation="relu"), keras.layers.MaxPooling1D(3), '
        'keras.layers.Conv1D(32, 5, activation="relu"), keras.layers.GlobalMaxPooling1D()'
    ),
    "jena_conv1d_gru": (
        'keras.layers.Conv1D(32, 5, activation="relu", name="conv_1"), '
        'keras.layers.MaxPooling1D(3, name="pool"), '
        'keras.layers.Conv1D(32, 5, activation="relu", name="conv_2"), '
        'keras.layers.GRU(32, dropout=0.1, recurrent_dropout=0.5, name="gru"),'
    ),
}


def comparable(config):
    """A layer's configuration less its names (Keras numbers unnamed layers per session) and
    the input shape it was built for (the notebook's layer is not built yet)."""
    if isinstance(config, dict):
        return {
            key: comparable(value) for key, value in config.items()
            if key not in ("name", "build_config")
        }
    if isinstance(config, list):
        return [comparable(value) for value in config]
    return config


def middle(model):
    """The layers between the edges the builders add (Embedding ... Dense(1), ... Dense(1))."""
    layers = model.layers[:-1]
    return layers[1:] if layers and layers[0].name == "embedding" else layers


def test_notebook_inline_models_are_covered_by_the_exec_test():
    assert set(NOTEBOOK_LAYERS) | {"next_word", "char_lstm"} == set(BY_NAME)


@pytest.mark.parametrize("name", sorted(NOTEBOOK_LAYERS))
def test_layers_are_the_notebooks(name):
    import keras

    spec = BY_NAME[name]
    source = code_cells(spec.notebook)[spec.cell]
    assert flat(NOTEBOOK_LAYERS[name]) in flat(source), "the notebook's cell changed"
    theirs = eval(f"[{NOTEBOOK_LAYERS[name]}]", {"keras": keras, "layer": keras.layers.GRU})
    ours = middle(spec.build())
    assert [comparable(layer.get_config()) for layer in ours] == [
        comparable(layer.get_config()) for layer in theirs
    ]
    named = re.findall(r'name="(\w+)"', NOTEBOOK_LAYERS[name])
    assert all(n in [layer.name for layer in ours] for n in named)


def test_sentiment_models_mask_as_their_cells_do():
    for name, masked in [("simple_rnn", False), ("bag_of_embeddings", True),
                         ("simple_rnn_masked", True), ("lstm", False)]:
        assert BY_NAME[name].build().get_layer("embedding").mask_zero is masked, name
    assert "mask_zero=True" in code_cells("03")[23]
    assert "for mask_zero in (False, True)" in code_cells("03")[30]


def run_cell(notebook: str, cell: int, **names):
    """Execute a notebook's cell with the names it needs; returns its namespace."""
    import keras

    namespace = {"keras": keras, **names}
    exec(compile(code_cells(notebook)[cell], f"{notebook}[{cell}]", "exec"), namespace)
    return namespace


def same_model(ours, theirs):
    assert ours.name == theirs.name
    assert [layer.get_config() for layer in ours.layers] == [
        layer.get_config() for layer in theirs.layers
    ]
    assert ours.count_params() == theirs.count_params()
    assert type(ours.optimizer) is type(theirs.optimizer)
    keys = ("learning_rate", "momentum", "beta_1", "beta_2", "epsilon")
    for key in keys:
        assert ours.optimizer.get_config().get(key) == theirs.optimizer.get_config().get(key)
    assert repr(ours.loss) == repr(theirs.loss) or ours.loss == theirs.loss
    assert ours.jit_compile == theirs.jit_compile


def test_next_word_model_is_notebook_01s(capsys):
    spec = BY_NAME["next_word"]
    theirs = run_cell("01", spec.cell, CONTEXT=catalogue.CONTEXT,
                      VOCAB_SIZE=catalogue.WORD_VOCABULARY)["model"]
    same_model(spec.build(), theirs)
    assert "batch_size=128" in code_cells("01")[31]


def test_char_lstm_is_notebook_10s(capsys):
    spec = BY_NAME["char_lstm"]
    theirs = run_cell("10", spec.cell, VOCAB=catalogue.CHAR_VOCABULARY)
    assert (theirs["UNITS"], theirs["EMBED"]) == (catalogue.UNITS, catalogue.EMBED)
    same_model(spec.build(), theirs["model"])
    assert "SEQ_LEN = 100" in code_cells("10")[7]
    assert "batch_size=64" in code_cells("10")[13]


def test_parameter_counts_are_the_hand_computed_ones():
    # the hand computations in catalogue.py, spelled out for the ones the book prints
    assert BY_NAME["simple_rnn"].params == 322_113
    assert BY_NAME["lstm"].params == 328_353
    for spec in MODELS:
        assert spec.build().count_params() == spec.params, spec.name


def test_parameter_counts_agree_with_the_notebooks_printed_outputs():
    cells = nbformat.read(next(NOTEBOOKS.glob("07_*.ipynb")), as_version=4).cells
    printed = "".join(output.get("text", "") for output in cells[8].outputs)
    lines = re.findall(r"^(\w+) +\(.*\) +([\d,]+) parameters$", printed, flags=re.MULTILINE)
    counts = {layer: int(count.replace(",", "")) for layer, count in lines}
    stacked = BY_NAME["jena_stacked_gru"].build()
    assert counts == {layer.name: layer.count_params() for layer in stacked.layers}
    cells = nbformat.read(next(NOTEBOOKS.glob("08_*.ipynb")), as_version=4).cells
    printed = "".join(output.get("text", "") for output in cells[24].outputs)
    bilstm = BY_NAME["bidirectional_lstm"].build().get_layer("bilstm").count_params()
    assert f"parameters: {bilstm} = 2 x {bilstm // 2}" in printed


def test_batches_per_epoch():
    # IMDB: 25,000 reviews, validation_split=0.2 -> 20,000 train -> ceil(20,000 / 128)
    assert BY_NAME["lstm"].batches_per_epoch == 157
    assert BY_NAME["simple_rnn_masked"].batches_per_epoch == 63  # 8,000 of MASK_REVIEWS = 10,000
    assert "MASK_REVIEWS = PROFILE.choose(full=10_000" in code_cells("03")[30]
    # Jena: 420,768 rows, 210,384 train; a window and its target span 1,578 rows (hourly) or
    # 861 (half-hourly), one window every 24 rows -> 8,701 and 8,731 windows, in batches of 128
    assert catalogue.JENA_ROWS == 420_768
    assert BY_NAME["jena_gru"].batches_per_epoch == 68
    assert BY_NAME["jena_conv1d_gru"].batches_per_epoch == 69
    assert catalogue.jena_window(catalogue.HOURLY) == (240, 14)
    assert catalogue.jena_window(catalogue.HALF_HOURLY) == (240, 14)
    assert "dict(CLASSIC, lookback=720, step=3, stride=24)" in code_cells("09")[4]
    assert "STRIDE = 24" in code_cells("06")[13]
    # Tiny Shakespeare: 183,448 training windows of 5 words; 10,038 sequences of 101 characters
    assert BY_NAME["next_word"].batches_per_epoch == 1_434
    assert BY_NAME["char_lstm"].batches_per_epoch == 157


def test_a_batch_has_the_real_shapes_and_dtypes():
    import numpy as np

    rng = np.random.default_rng(0)
    x, y = BY_NAME["lstm"].batch(rng)
    assert (x.shape, x.dtype, y.shape, y.dtype) == ((128, 500), np.int32, (128,), np.int64)
    assert x.min() >= 0 and x.max() < 10_000
    x, y = BY_NAME["jena_conv1d_gru"].batch(rng)
    assert (x.shape, x.dtype, y.dtype) == ((128, 240, 14), np.float32, np.float32)
    x, y = BY_NAME["char_lstm"].batch(rng)
    assert x.shape == y.shape == (64, 100) and x.max() < 66
    x, y = BY_NAME["next_word"].batch(rng)
    assert (x.shape, y.shape) == ((128, 4), (128,)) and x.max() < 5_000


# --- arithmetic ---------------------------------------------------------------------------------


def test_seconds_per_epoch_is_the_median_batch_times_the_batches():
    assert seconds_per_epoch([0.3, 0.1, 0.2], 157) == pytest.approx(0.2 * 157)
    assert seconds_per_epoch([0.4, 0.1, 0.2, 0.3], 10) == pytest.approx(2.5)  # median 0.25
    assert seconds_per_epoch([5.0, 0.1, 0.1], 68) == pytest.approx(6.8)  # one slow batch: ignored
    assert compile_seconds(3.2, [0.2, 0.3, 0.2]) == pytest.approx(3.0)
    with pytest.raises(ValueError, match="no batch"):
        seconds_per_epoch([], 10)
    with pytest.raises(ValueError, match="at least 1"):
        seconds_per_epoch([0.1], 0)


def test_ratio_reads_as_faster_or_slower():
    assert report.describe_ratio(1.83) == "1.8x faster"
    assert report.describe_ratio(0.5) == "2.0x slower"
    assert report.describe_ratio(1.01) == "same"


class FakeWorker:
    """Answers as a worker would, with given batch times; `fail` makes the build fail."""

    def __init__(self, seconds, fail=False):
        self.seconds, self.fail, self.requests = list(seconds), fail, []

    def ask(self, **request):
        self.requests.append(request["op"])
        if request["op"] == "build":
            if self.fail:
                raise WorkerError("ResourceExhaustedError: out of memory")
            return {"first_batch_seconds": 2.0, "jit_compile": True, "params": 1}
        if request["op"] == "time":
            return {"batch_seconds": [self.seconds.pop(0)]}
        return {}


def test_both_configurations_take_turns_and_the_ratio_is_seed_over_course():
    workers = {"seed": FakeWorker([0.4, 0.2, 0.3]), "course": FakeWorker([0.1, 0.2, 0.1])}
    row = command._measure(BY_NAME["jena_gru"], workers, steps=3, warmup=1)
    assert workers["seed"].requests == ["build", "time", "time", "time", "drop"]
    assert row["seed"]["seconds_per_epoch"] == pytest.approx(0.3 * 68)
    assert row["course"]["seconds_per_epoch"] == pytest.approx(0.1 * 68)
    assert row["ratio"] == pytest.approx(3.0)
    assert row["course"]["compile_seconds"] == pytest.approx(1.9)
    assert row["notebooks"] == "06, 08, 09"


def test_a_failed_model_is_a_row_and_the_next_one_runs():
    workers = {"seed": FakeWorker([]), "course": FakeWorker([], fail=True)}
    row = command._measure(BY_NAME["lstm"], workers, steps=2, warmup=1)
    assert "out of memory" in row["error"] and "seed" not in row
    assert workers["seed"].requests[-1] == "drop"
    text = report.table({
        "date": "today", "machine": "here", "cpus": 2, "versions": {"tensorflow": "x",
                                                                   "keras": "y"},
        "settings": {"steps": 2, "warmup": 1}, "configurations": {}, "load_average": None,
        "models": [row],
    })
    assert "lstm" in text and "failed" in text


# --- the command line ---------------------------------------------------------------------------


def test_list_names_every_model(capsys):
    assert command.main(["--list"]) == 0
    listed = capsys.readouterr().out.split()
    assert all(model.name in listed for model in MODELS)


def test_an_unknown_model_is_refused_with_the_known_names(capsys):
    with pytest.raises(SystemExit) as stopped:
        command.main(["--models", "lstm", "transformer"])
    assert stopped.value.code == 2
    error = capsys.readouterr().err
    assert "unknown model 'transformer'" in error
    assert all(model.name in error for model in MODELS)
    with pytest.raises(KeyError):
        select(["LSTM"])


@pytest.mark.parametrize("argv, message", [
    (["--steps", "0"], "at least 1, got 0"),
    (["--steps", "three"], "not a whole number: 'three'"),
    (["--warmup", "1.5"], "not a whole number: '1.5'"),
    (["--warmup", "0"], "at least 1, got 0"),
])
def test_bad_numbers_are_refused(argv, message, capsys):
    with pytest.raises(SystemExit) as stopped:
        command.main(argv)
    assert stopped.value.code == 2
    assert message in capsys.readouterr().err


def test_a_json_path_that_is_a_folder_is_refused_before_timing(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        command.main(["--models", "jena_dense", "--json", str(tmp_path)])
    assert stopped.value.code == 2
    assert "is a folder" in capsys.readouterr().err


def test_the_json_file_is_written_whole(tmp_path):
    path = tmp_path / "bench.json"
    report.write_json({"models": [1]}, path)
    with pytest.raises(TypeError):
        report.write_json({"models": [object()]}, path)
    assert json.loads(path.read_text()) == {"models": [1]}  # the old file, untouched
    assert [p.name for p in tmp_path.iterdir()] == ["bench.json"]


def test_the_command_times_one_model_and_writes_its_json(tmp_path, capsys, monkeypatch):
    path = tmp_path / "out" / "bench.json"
    monkeypatch.setenv("COURSE_INTRA_OP_THREADS", "1")  # make run's share: both workers take it
    status = command.main(
        ["--models", "jena_dense", "--steps", "1", "--warmup", "1", "--json", str(path)]
    )
    printed = capsys.readouterr().out
    assert status == 0
    assert "seed s/epoch" in printed and "jena_dense" in printed and f"written to {path}" in printed
    written = json.loads(path.read_text())
    assert written["settings"] == {"steps": 1, "warmup": 1}
    assert written["configurations"]["course"]["inter_op_threads"] == 1
    assert written["configurations"]["seed"]["inter_op_threads"] == 0
    assert [c["intra_op_threads"] for c in written["configurations"].values()] == [1, 1]
    (row,) = written["models"]
    assert row["name"] == "jena_dense" and row["params"] == BY_NAME["jena_dense"].params
    for name, xla in [("seed", False), ("course", True)]:
        figures = row[name]
        assert len(figures["batch_seconds"]) == 1 and figures["jit_compile"] is xla
        assert figures["seconds_per_epoch"] == pytest.approx(figures["batch_seconds"][0] * 68)
    assert row["ratio"] == pytest.approx(
        row["seed"]["seconds_per_epoch"] / row["course"]["seconds_per_epoch"]
    )
    assert [p.name for p in path.parent.iterdir()] == ["bench.json"]


def test_similar_length_rows_are_built_and_fed_as_their_notebooks_do():
    from course_utils.bench.timing import COURSE, SEED, Timed

    for name in ("lstm_similar_lengths", "gru", "bidirectional_lstm"):
        spec = BY_NAME[name]
        source = flat(code_cells(spec.notebook)[spec.cell])
        assert "maxlen=None" in source and "jit_compile=False" in source, name
        assert "similar" in source.lower() or ".dataset()" in source, name
        model = spec.build()
        assert model.jit_compile is False and model.input_shape == (None, None), name
        assert spec.similar_length_steps == catalogue.SIMILAR_LENGTH_STEPS
    assert BY_NAME["lstm"].similar_length_steps is None  # notebook 04 pads to 500
    steps = {configuration.name: Timed(BY_NAME["gru"], configuration, warmup=1)._x.shape[1]
             for configuration in (SEED, COURSE)}
    assert steps == {"seed": 500, "course": catalogue.SIMILAR_LENGTH_STEPS}
