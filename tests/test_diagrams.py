import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from course_utils.diagrams import draw_rnn_cell, draw_unrolled_rnn  # noqa: E402


def texts(figure):
    return [t.get_text() for t in figure.axes[0].texts]


def test_cell_shows_the_three_neurons_the_addition_and_the_delay():
    labels = texts(draw_rnn_cell(input_size=3, state_size=5, output_size=4))
    for label in ("A", "B", "C", "+", "tanh", "delay"):
        assert label in labels
    assert "$x_t$ (3 values)" in labels and "$y_t$ (4 values)" in labels
    assert any("5 values" in label for label in labels)


@pytest.mark.parametrize(("outputs", "expected"), [("all", 5), ("last", 1)])
def test_unrolled_form_has_a_cell_per_step_and_the_asked_outputs(outputs, expected):
    labels = texts(draw_unrolled_rnn(steps=5, outputs=outputs))
    assert labels.count("cell") == 5
    assert sum(label.startswith("$y_") for label in labels) == expected
    assert "$h_0$" in labels and "$x_5$" in labels


def test_unknown_output_kind_is_an_error():
    with pytest.raises(ValueError, match="last"):
        draw_unrolled_rnn(outputs="some")
