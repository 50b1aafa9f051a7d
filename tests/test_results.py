import json

import pytest

from course_utils import results
from course_utils.data.standins import note_standin


@pytest.fixture(autouse=True)
def notebook(monkeypatch):
    monkeypatch.setattr(results, "_current_notebook", "03_imdb")


def test_record_writes_the_notebook_file_with_its_reference(capsys):
    result = results.record("best val accuracy", 0.861, reference="imdb_simplernn", data=("imdb",))
    assert result.reference == 0.846 and "SimpleRNN" in result.reference_source
    assert result.profile == "full"
    stored = json.loads((results.results_dir() / "03_imdb.json").read_text())
    assert stored[0]["value"] == 0.861 and stored[0]["notebook"] == "03_imdb"
    assert "Recorded: best val accuracy = 0.861" in capsys.readouterr().out


def test_recording_the_same_name_again_replaces_it():
    results.record("test accuracy", 0.80, data=())
    results.record("test accuracy", 0.85, data=())
    assert [r.value for r in results.gather()] == [0.85]


def test_numeric_reference_with_its_source():
    result = results.record(
        "val perplexity", 180.0, reference=420.0, reference_source="unigram", data=()
    )
    assert (result.reference, result.reference_source) == (420.0, "unigram")


def test_figures_from_a_standin_are_refused(capsys):
    note_standin("jena_climate", "not downloadable here")
    assert results.record("val MAE", 2.4, unit="°C", data=("jena_climate",)) is None
    assert results.record("anything", 1.0) is None  # no data named: every data set counts
    assert "Not recorded" in capsys.readouterr().out
    assert results.gather() == []
    assert results.record("seconds per epoch", 3.0, unit="s", data=()) is not None
    assert results.record("imdb accuracy", 0.8, data=("imdb",)) is not None


def test_unknown_reference_and_non_finite_values_are_errors():
    with pytest.raises(KeyError, match="imdb_lstm"):
        results.record("x", 1.0, reference="nope", data=())
    with pytest.raises(ValueError, match="finite"):
        results.record("x", float("nan"), data=())


def test_record_before_setup_says_what_to_do(monkeypatch):
    monkeypatch.setattr(results, "_current_notebook", None)
    with pytest.raises(RuntimeError, match="setup"):
        results.record("x", 1.0)


def test_markdown_table_lists_results_and_wall_times():
    results.record("best val accuracy", 0.861, reference="imdb_simplernn", data=())
    table = results.markdown_table(results.gather(), {"03_imdb": 125.0})
    assert "| 03_imdb | best val accuracy | 0.8610 |" in table
    assert "0.8460" in table and "2.1 min (125 s)" in table


def test_a_normalised_reference_is_converted_and_says_how():
    result = results.record(
        "GRU: best validation MAE",
        2.31,
        unit="°C",
        reference="jena_gru",
        reference_scale=(8.5, "°C", "training std of temperature 8.5 °C"),
        data=(),
    )
    assert result.reference == pytest.approx(0.2644 * 8.5)
    assert result.reference_unit == "°C"
    assert "0.2644 normalised × training std of temperature 8.5 °C" in result.reference_source


@pytest.mark.parametrize(
    "content", ['[{"notebook": "03_imdb", "na', "", "{}", "[1, 2]", '[{"name": "x"}]']
)
def test_a_corrupt_results_file_is_named_with_what_to_do(content):
    path = results.results_dir() / "03_imdb.json"
    path.parent.mkdir(parents=True)
    path.write_text(content)
    for reading in (lambda: results.load_results(path), results.gather):
        with pytest.raises(results.ResultsFileError) as caught:
            reading()
        assert str(path) in str(caught.value) and "run the notebook" in str(caught.value)
    with pytest.raises(results.ResultsFileError):  # record() does not drop what it cannot read
        results.record("test accuracy", 0.8, data=())
    assert path.read_text() == content


def test_write_atomically_leaves_the_old_file_when_the_write_fails(tmp_path, monkeypatch):
    target = tmp_path / "results.json"
    target.write_text("old")
    target.chmod(0o644)
    results.write_atomically(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert target.stat().st_mode & 0o777 == 0o644

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(results.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        results.write_atomically(target, "half")
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert [p.name for p in tmp_path.iterdir()] == ["results.json"]  # no temporary left


def test_results_files_are_one_per_notebook_in_notebook_order(tmp_path):
    for name in ("10.json", "02.json", "notes.txt"):
        (tmp_path / name).write_text("[]")
    assert [p.name for p in results.results_files(tmp_path)] == ["02.json", "10.json"]
    assert results.results_files(tmp_path / "none yet") == []
    assert results.gather(tmp_path) == []


def test_a_reference_number_keeps_the_results_unit_and_a_row_without_one_is_blank(capsys):
    result = results.record("windows per second", 12.5, unit="1/s", reference=10.0, data=())
    assert (result.reference, result.reference_unit) == (10.0, "1/s")
    assert "Recorded: windows per second = 12.5 1/s (reference: 10 1/s" in capsys.readouterr().out
    plain = results.record("words", 3.0, data=())
    assert plain.reference is None
    table = results.markdown_table([plain])
    assert "| 03_imdb | words | 3.0000 |  |  |  | full |" in table
