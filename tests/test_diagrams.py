import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_utils.diagrams import (  # noqa: E402
    draw_gru_cell,
    draw_lstm_cell,
    draw_rnn_cell,
    draw_unrolled_rnn,
)


def texts(figure):
    return [t.get_text() for t in figure.axes[0].texts]


def test_cell_shows_the_three_neurons_the_addition_and_the_delay():
    for wiring in ("glassner", "elman"):
        labels = texts(draw_rnn_cell(input_size=3, state_size=5, output_size=4, wiring=wiring))
        for label in ("A", "B", "C", "+", "tanh", "delay", "$h_{t-1}$"):
            assert label in labels, (wiring, label)
        assert "$x_t$ (3 values)" in labels and "$y_t$ (4 values)" in labels
        assert any("5 values" in label for label in labels)
    plt.close("all")


def centre_of(axis, label):
    (text,) = [t for t in axis.texts if t.get_text() == label]
    return text.get_position()


def test_glassners_cell_feeds_the_sum_to_both_b_and_c():
    """The lecture's wiring: A's result is added to the delayed state; the sum goes through B
    into the delay, and the same sum through C to the output (Elman's C reads B's side)."""
    glassner = draw_rnn_cell(wiring="glassner")
    labels = texts(glassner)
    assert any(label.startswith("$u_t$, the sum") for label in labels)
    assert glassner.axes[0].get_title() == "Glassner's cell"
    axis = glassner.axes[0]
    (plus_x, plus_y), (c_x, c_y) = centre_of(axis, "+"), centre_of(axis, "C")
    (b_x, b_y), (a_x, a_y) = centre_of(axis, "B"), centre_of(axis, "A")
    assert a_x == plus_x == c_x and a_y < plus_y < b_y < c_y  # A, the sum, C in one column
    assert b_x > plus_x  # B branches off the sum, between the addition and C
    elman = draw_rnn_cell(wiring="elman")
    assert "SimpleRNN" in elman.axes[0].get_title()
    assert "tanh" in texts(elman)
    with pytest.raises(ValueError, match="elman"):
        draw_rnn_cell(wiring="jordan")
    plt.close("all")


@pytest.mark.parametrize(("outputs", "expected"), [("all", 5), ("last", 1)])
def test_unrolled_form_has_a_cell_per_step_and_the_asked_outputs(outputs, expected):
    labels = texts(draw_unrolled_rnn(steps=5, outputs=outputs))
    assert labels.count("cell") == 5
    assert sum(label.startswith("$y_") for label in labels) == expected
    assert "$h_0$" in labels and "$x_5$" in labels


def test_unknown_output_kind_is_an_error():
    with pytest.raises(ValueError, match="last"):
        draw_unrolled_rnn(outputs="some")


LSTM_SYMBOLS = ("$x_t$", "$h_{t-1}$", "$h_t$", "$C_{t-1}$", "$C_t$",
                "$f_t$", "$i_t$", "$\\tilde{C}_t$", "$o_t$")  # notebook 04's equations
GRU_SYMBOLS = ("$x_t$", "$h_{t-1}$", "$h_t$", "$z_t$", "$r_t$", "$\\tilde h_t$",
               "$1 - z_t$")  # notebook 05's (the lecture's) equations


def test_lstm_cell_names_every_symbol_of_the_lectures_equations():
    labels = texts(draw_lstm_cell())
    for symbol in LSTM_SYMBOLS:
        assert symbol in labels, symbol
    for gate in ("forget gate", "input gate", "candidate", "output gate"):
        assert gate in labels
    # what each element-wise operation makes, where it acts
    assert "$f_t * C_{t-1}$" in labels and "$i_t * \\tilde{C}_t$" in labels
    assert labels.count("×") == 3 and labels.count("+") == 1  # forget, write, output; one sum


def test_gru_cell_marks_the_lectures_z_and_keras_1_minus_z():
    labels = texts(draw_gru_cell())
    for symbol in GRU_SYMBOLS:
        assert symbol in labels, symbol
    for gate in ("reset gate", "update gate", "candidate"):
        assert gate in labels
    assert "(Keras's $1 - z$)" in labels  # beside the lecture's z_t
    assert "(Keras's $z$)" in labels  # beside the lecture's 1 - z_t
    assert "$(1 - z_t) * h_{t-1}$" in labels and "$z_t * \\tilde h_t$" in labels
    assert "lecture" in draw_gru_cell().axes[0].get_title()


@pytest.mark.parametrize("draw", [draw_lstm_cell, draw_gru_cell, draw_rnn_cell])
def test_gated_cells_draw_headless_into_a_given_axes(draw, tmp_path):
    figure, axis = plt.subplots()
    assert draw(ax=axis) is figure
    assert axis.texts and not axis.axison
    figure.savefig(tmp_path / "cell.png")
    assert (tmp_path / "cell.png").stat().st_size > 10_000
    plt.close("all")
