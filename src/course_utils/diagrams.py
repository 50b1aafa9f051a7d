"""Diagrams drawn by the course: the recurrent cell of notebook 02 and its unrolled form, the
LSTM cell of notebook 04 and the GRU cell of notebook 05, each in its lecture's notation."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib import patheffects
from matplotlib.patches import Circle, FancyBboxPatch

from .plotting import COLOURS

_NEURON, _STATE, _OUTPUT = COLOURS[0], COLOURS[2], COLOURS[1]
_LINE, _TEXT, _NOTE = "#444444", "#333333", "#5b6770"


def _box(axis, x, y, label, colour, width=1.3, height=0.7):
    axis.add_patch(
        FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                       boxstyle="round,pad=0.05", fc=colour, ec="none", alpha=0.9)
    )
    axis.text(x, y, label, ha="center", va="center", color="white", fontsize=10, weight="bold")


def _arrow(axis, start, end, label=None, label_offset=(0.15, 0.0), ha="left"):
    axis.annotate("", xy=end, xytext=start,
                  arrowprops={"arrowstyle": "-|>", "color": "#444444", "lw": 1.4})
    if label:
        x = (start[0] + end[0]) / 2 + label_offset[0]
        y = (start[1] + end[1]) / 2 + label_offset[1]
        axis.text(x, y, label, fontsize=10, color="#333333", ha=ha, va="center")


def draw_rnn_cell(input_size: int = 3, state_size: int = 5, output_size: int = 4, *,
                  wiring: str = "glassner", ax=None):
    """One recurrent cell. ``wiring="glassner"``: Glassner's, as the lecture quotes it: neuron A's
    result added to the state, the sum through B (tanh) to make the new state, which enters the
    delay, and the same sum through C to make the output. ``wiring="elman"``: Elman's, which
    ``SimpleRNN`` + ``Dense`` computes: A(input) + B(state), tanh, and C reading the new state.
    Long on purpose: one picture, laid out element by element, reads best in one place."""
    if wiring not in ("glassner", "elman"):
        raise ValueError(f'wiring must be "glassner" or "elman", got {wiring!r}')
    axis = _axes(ax, (6.0, 5.2))
    left = (-0.25, 0.0)
    x_in = f"$x_t$ ({input_size} values)"
    y_out = f"$y_t$ ({output_size} values)"
    if wiring == "glassner":
        _box(axis, 3, 1.8, "A", _NEURON)
        _op(axis, 3, 3.2, "+", radius=0.3, size=14)
        _box(axis, 3, 6.3, "C", _OUTPUT)
        _box(axis, 5.3, 4.5, "B", _NEURON, width=1.1)
        _label(axis, 5.3, 4.05, "tanh", size=9, colour=_NOTE, ha="center", va="top")
        _box(axis, 8.0, 4.5, "delay", _NOTE, width=1.2)
        _arrow(axis, (3, 0.3), (3, 1.45), x_in, left, ha="right")
        _wire(axis, [(3, 2.15), (3, 2.9)])
        _wire(axis, [(3, 3.5), (3, 5.95)])
        axis.plot([3], [4.5], "o", color=_LINE, ms=5, zorder=4)
        _label(axis, 2.75, 4.5, f"$u_t$, the sum\n({state_size} values)", size=10, ha="right")
        _arrow(axis, (3, 6.65), (3, 7.7), y_out, left, ha="right")
        _wire(axis, [(3, 4.5), (4.75, 4.5)])
        _wire(axis, [(5.85, 4.5), (7.4, 4.5)])
        _label(axis, 6.6, 4.7, "$h_t$", ha="center", va="bottom")
        _label(axis, 8.0, 5.0, f"the new state\n({state_size} values)", size=9, colour=_NOTE,
               ha="center", va="bottom")
        _wire(axis, [(8.0, 4.15), (8.0, 3.2), (3.3, 3.2)])
        _label(axis, 5.3, 2.95, "$h_{t-1}$", ha="center", va="top")
        _label(axis, 8.0, 3.05, "kept for\nthe next step", size=9, colour=_NOTE, ha="center",
               va="top")
        title = "Glassner's cell"
    else:
        _box(axis, 3, 2, "A", _NEURON)
        _box(axis, 5, 2, "B", _NEURON)
        _op(axis, 4, 3.3, "+", radius=0.3, size=14)
        _box(axis, 4, 4.4, "tanh", _STATE, width=1.1)
        _box(axis, 4, 6.6, "C", _OUTPUT)
        _box(axis, 8.0, 2, "delay", _NOTE, width=1.2)
        _arrow(axis, (3, 0.4), (3, 1.6), x_in, left, ha="right")
        _arrow(axis, (3, 2.4), (3.78, 3.1))
        _arrow(axis, (5, 2.4), (4.22, 3.1))
        _arrow(axis, (4, 3.6), (4, 4.05))
        _arrow(axis, (4, 4.75), (4, 6.25), f"$h_t$, the new state\n({state_size} values)", left,
               ha="right")
        _arrow(axis, (4, 6.95), (4, 7.9), y_out, left, ha="right")
        axis.plot([4], [5.4], "o", color=_LINE, ms=5, zorder=4)
        axis.plot([4, 8.0, 8.0], [5.4, 5.4, 2.4], color=_LINE, lw=1.4)  # h_t into the delay
        _arrow(axis, (7.4, 2), (5.65, 2), "$h_{t-1}$", (-0.35, 0.25))
        _label(axis, 8.0, 1.55, "kept for\nthe next step", size=9, colour=_NOTE, ha="center",
               va="top")
        title = "Elman's cell: SimpleRNN + Dense"
    return _finish(axis, (0, 9.0), (0, 8.3), title)


def draw_unrolled_rnn(steps: int = 4, *, outputs: str = "all"):
    """The same cell copied once per time step, the state passed along; ``outputs`` is
    ``"all"`` (many-to-many: one output per step) or ``"last"`` (many-to-one)."""
    if outputs not in ("all", "last"):
        raise ValueError(f'outputs must be "all" or "last", got {outputs!r}')
    figure, axis = plt.subplots(figsize=(2.1 * steps + 1.2, 3.4))
    for t in range(steps):
        x = 1.6 + 2.1 * t
        _box(axis, x, 1.8, "cell", _NEURON, width=1.2, height=0.8)
        _arrow(axis, (x, 0.4), (x, 1.35))
        axis.text(x, 0.2, f"$x_{t + 1}$", ha="center", fontsize=11)
        if outputs == "all" or t == steps - 1:
            _arrow(axis, (x, 2.25), (x, 3.0))
            axis.text(x, 3.2, f"$y_{t + 1}$", ha="center", fontsize=11)
        _arrow(axis, (x - 1.45, 1.8), (x - 0.65, 1.8))
        axis.text(x - 1.05, 2.05, f"$h_{t}$", ha="center", fontsize=11)
    axis.set_xlim(0, 2.1 * steps + 1)
    axis.set_ylim(0, 3.6)
    axis.axis("off")
    kind = "many-to-one: one output"
    if outputs == "all":
        kind = "many-to-many: an output at every step"
    axis.set_title(f"Unrolled over {steps} steps ({kind})")
    figure.tight_layout()
    return figure


def _axes(ax, figsize):
    """The axes to draw on: ``ax`` if given, else a new figure's."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _finish(axis, xlim, ylim, title):
    axis.set_xlim(*xlim)
    axis.set_ylim(*ylim)
    axis.set_aspect("equal")
    axis.axis("off")
    axis.set_title(title)
    axis.figure.tight_layout()
    return axis.figure


def _wire(axis, points, *, arrow=True, colour=_LINE, lw=1.4, over=False):
    """A wire through ``points``, with an arrowhead at the last one; ``over`` clears a gap
    where it crosses another wire."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    effects = [patheffects.withStroke(linewidth=lw + 5, foreground="white")] if over else None
    axis.plot(xs, ys, color=colour, lw=lw, solid_capstyle="butt", path_effects=effects,
              zorder=3 if over else 2)
    if arrow:  # the head only, on the last 0.1 of the wire
        (x0, y0), (x1, y1) = points[-2], points[-1]
        length = max(abs(x1 - x0), abs(y1 - y0))
        tail = (x1 - (x1 - x0) * 0.1 / length, y1 - (y1 - y0) * 0.1 / length)
        axis.annotate("", xy=points[-1], xytext=tail, zorder=4,
                      arrowprops={"arrowstyle": "-|>", "color": colour, "lw": lw,
                                  "shrinkA": 0, "shrinkB": 0, "mutation_scale": 12})


def _op(axis, x, y, symbol, radius=0.28, size=12):
    """An element-wise operation: a white circle with its symbol."""
    axis.add_patch(Circle((x, y), radius, fc="white", ec=_LINE, lw=1.4, zorder=5))
    axis.text(x, y, symbol, ha="center", va="center", fontsize=size, zorder=6)


def _pointwise_tanh(axis, x, y):
    """tanh applied number by number (no weights): an outlined box, not a layer."""
    axis.add_patch(FancyBboxPatch((x - 0.42, y - 0.22), 0.84, 0.44, boxstyle="round,pad=0.05",
                                  fc="white", ec=_LINE, lw=1.2, zorder=5))
    axis.text(x, y, "tanh", ha="center", va="center", fontsize=9, zorder=6)


def _layer(axis, x, y, label, colour):
    """A layer with weights (a dense layer and its activation): a filled box."""
    width = 0.9 if label == "tanh" else 0.7
    axis.add_patch(FancyBboxPatch((x - width / 2, y - 0.3), width, 0.6, boxstyle="round,pad=0.05",
                                  fc=colour, ec="none", alpha=0.9, zorder=5))
    axis.text(x, y, label, ha="center", va="center", color="white", fontsize=11, weight="bold",
              zorder=6)


def _label(axis, x, y, text, *, size=11, colour=_TEXT, ha="left", va="center", **kwargs):
    axis.text(x, y, text, fontsize=size, color=colour, ha=ha, va=va, zorder=6, **kwargs)


_SIGMA, _CELL = "$\\sigma$", COLOURS[4]


def draw_lstm_cell(ax=None):
    """The LSTM cell in notebook 04's notation: the cell state $C$ along the top, the forget,
    input and output gates and the candidate each drawn where its equation acts on it.
    Long on purpose: one picture, laid out element by element, reads best in one place."""
    axis = _axes(ax, (8.4, 5.6))
    top, gates, bus = 6.6, 2.9, 1.4
    x_f, x_i, x_c, x_o, x_tanh = 3.2, 4.8, 6.2, 8.0, 9.6
    # the cell state: C_{t-1} -> forget (x) -> write (+) -> C_t
    _wire(axis, [(0.4, top), (x_f - 0.28, top)], colour=_CELL, lw=2.6)
    _wire(axis, [(x_f + 0.28, top), (x_c - 0.28, top)], colour=_CELL, lw=2.6)
    _wire(axis, [(x_c + 0.28, top), (11.6, top)], colour=_CELL, lw=2.6)
    _label(axis, 0.4, top + 0.35, "$C_{t-1}$", ha="left", va="bottom")
    _label(axis, 11.6, top + 0.35, "$C_t$", ha="right", va="bottom")
    _label(axis, 0.4, top - 0.35, "the cell state", size=9, colour=_NOTE, va="top")
    _op(axis, x_f, top, "×")
    _op(axis, x_c, top, "+")
    _label(axis, (x_f + x_c) / 2, top + 0.3, "$f_t * C_{t-1}$", size=9, colour=_NOTE,
           ha="center", va="bottom")
    # h_{t-1} and x_t side by side, into every gate
    _wire(axis, [(0.4, bus), (x_o, bus)], arrow=False)
    _label(axis, 0.4, bus + 0.3, "$h_{t-1}$", va="bottom")
    _wire(axis, [(1.9, 0.2), (1.9, bus)], arrow=False)
    axis.plot([1.9], [bus], "o", color=_LINE, ms=4, zorder=4)
    _label(axis, 2.05, 0.35, "$x_t$")
    _label(axis, 2.05, bus - 0.3, "$[h_{t-1}, x_t]$", size=9, colour=_NOTE, va="top")
    for x, name, label, colour in ((x_f, "forget gate", _SIGMA, _NEURON),
                                   (x_i, "input gate", _SIGMA, _NEURON),
                                   (x_c, "candidate", "tanh", _STATE),
                                   (x_o, "output gate", _SIGMA, _NEURON)):
        _wire(axis, [(x, bus), (x, gates - 0.36)])
        _layer(axis, x, gates, label, colour)
        _label(axis, x, gates - 0.5, name, size=8, colour=_NOTE, ha="center", va="top",
               bbox={"fc": "white", "ec": "none", "pad": 0.5})
    # forget: f_t multiplies the old cell state
    _wire(axis, [(x_f, gates + 0.36), (x_f, top - 0.28)])
    _label(axis, x_f + 0.12, 4.7, "$f_t$")
    # input gate times candidate, added to the cell state
    write = 4.6
    _wire(axis, [(x_i, gates + 0.36), (x_i, write), (x_c - 0.28, write)])
    _label(axis, x_i + 0.12, 3.9, "$i_t$")
    _wire(axis, [(x_c, gates + 0.36), (x_c, write - 0.28)])
    _label(axis, x_c + 0.12, 3.75, "$\\tilde{C}_t$")
    _op(axis, x_c, write, "×")
    _wire(axis, [(x_c, write + 0.28), (x_c, top - 0.28)])
    _label(axis, x_c + 0.12, 5.55, "$i_t * \\tilde{C}_t$", size=9, colour=_NOTE)
    # output: o_t times tanh(C_t) is h_t
    out = 4.0
    _wire(axis, [(x_tanh, top), (x_tanh, 5.4 + 0.27)])
    axis.plot([x_tanh], [top], "o", color=_CELL, ms=5, zorder=4)
    _pointwise_tanh(axis, x_tanh, 5.4)
    _wire(axis, [(x_tanh, 5.4 - 0.27), (x_tanh, out + 0.28)])
    _wire(axis, [(x_o, gates + 0.36), (x_o, out), (x_tanh - 0.28, out)])
    _label(axis, x_o + 0.12, 3.5, "$o_t$")
    _op(axis, x_tanh, out, "×")
    _wire(axis, [(x_tanh, out - 0.28), (x_tanh, bus), (11.6, bus)])
    _label(axis, 11.6, bus + 0.3, "$h_t$", ha="right", va="bottom")
    _label(axis, 11.6, bus - 0.3, "output, and the next\nstep's $h_{t-1}$", size=9,
           colour=_NOTE, ha="right", va="top")
    return _finish(axis, (0, 12), (-0.2, 7.6), "An LSTM cell")


def draw_gru_cell(ax=None):
    """The GRU cell in notebook 05's (the lecture's) notation: the state $h$ along the top,
    $h_t = (1 - z_t) * h_{t-1} + z_t * \\tilde h_t$, with the update gate's Keras reading marked
    (the lecture's $z_t$ is Keras's $1 - z$). Long on purpose: one picture, laid out element by
    element, reads best in one place."""
    axis = _axes(ax, (8.4, 5.6))
    top, gates, bus, x_line = 7.3, 2.9, 1.4, 0.75
    x_branch, x_in, x_r, x_z, x_down, x_h = 1.0, 1.9, 3.0, 5.0, 6.6, 7.8
    # the state: h_{t-1} -> keep (1 - z) of it (x) -> add z of the candidate (+) -> h_t
    _wire(axis, [(0.4, top), (x_z - 0.28, top)], colour=_CELL, lw=2.6)
    _wire(axis, [(x_z + 0.28, top), (x_h - 0.28, top)], colour=_CELL, lw=2.6)
    _wire(axis, [(x_h + 0.28, top), (10.8, top)], colour=_CELL, lw=2.6)
    _label(axis, 0.4, top + 0.35, "$h_{t-1}$", va="bottom")
    _label(axis, x_branch + 0.2, top - 0.35, "the state", size=9, colour=_NOTE, va="top")
    _label(axis, 10.8, top + 0.35, "$h_t$", ha="right", va="bottom")
    _label(axis, 10.8, top - 0.35, "output, and the next\nstep's $h_{t-1}$", size=9,
           colour=_NOTE, ha="right", va="top")
    _op(axis, x_z, top, "×")
    _op(axis, x_h, top, "+")
    _label(axis, (x_z + x_h) / 2, top + 0.3, "$(1 - z_t) * h_{t-1}$", size=9, colour=_NOTE,
           ha="center", va="bottom")
    # h_{t-1} and x_t side by side, into both gates; x_t alone also into the candidate
    _wire(axis, [(x_branch, top), (x_branch, bus), (x_z, bus)], arrow=False)
    axis.plot([x_branch], [top], "o", color=_CELL, ms=5, zorder=4)
    _wire(axis, [(x_in, 0.1), (x_in, bus)], arrow=False)
    _wire(axis, [(x_in, x_line), (x_h, x_line), (x_h, gates - 0.36)])
    axis.plot([x_in, x_in], [bus, x_line], "o", color=_LINE, ms=4, zorder=4)
    _label(axis, x_in + 0.15, 0.2, "$x_t$")
    _label(axis, x_in + 0.15, bus - 0.1, "$[h_{t-1}, x_t]$", size=9, colour=_NOTE, va="top")
    for x, name, label, colour in ((x_r, "reset gate", _SIGMA, _NEURON),
                                   (x_z, "update gate", _SIGMA, _NEURON),
                                   (x_h, "candidate", "tanh", _STATE)):
        if x != x_h:  # the gates read [h_{t-1}, x_t]; the candidate's wires come below
            _wire(axis, [(x, bus), (x, gates - 0.36)])
        _layer(axis, x, gates, label, colour)
        _label(axis, x, gates - 0.5, name, size=8, colour=_NOTE, ha="center", va="top",
               bbox={"fc": "white", "ec": "none", "pad": 0.5})
    # reset: r_t times h_{t-1} is what the candidate sees of the old state
    reset = 4.3
    _wire(axis, [(x_branch, reset), (x_r - 0.28, reset)])
    axis.plot([x_branch], [reset], "o", color=_LINE, ms=4, zorder=4)
    _wire(axis, [(x_r, gates + 0.36), (x_r, reset - 0.28)])
    _label(axis, x_r + 0.12, 3.7, "$r_t$")
    _op(axis, x_r, reset, "×")
    # update gate: z_t up through 1 - z to the old state, and across to the candidate
    mix, one_minus = 5.1, 6.2
    _wire(axis, [(x_z, gates + 0.36), (x_z, one_minus - 0.3)])
    _label(axis, x_z - 0.12, 3.85, "$z_t$", ha="right")
    _label(axis, x_z - 0.12, 3.45, "(Keras's $1 - z$)", size=8, colour=_NOTE, ha="right")
    _op(axis, x_z, one_minus, "1 −", radius=0.3, size=9)
    _wire(axis, [(x_z, one_minus + 0.3), (x_z, top - 0.28)])
    _label(axis, x_z - 0.42, 6.45, "$1 - z_t$", ha="right", size=10)
    _label(axis, x_z - 0.42, 6.05, "(Keras's $z$)", size=8, colour=_NOTE, ha="right")
    axis.plot([x_z], [mix], "o", color=_LINE, ms=4, zorder=4)
    _wire(axis, [(x_z, mix), (x_h - 0.28, mix)])
    # the candidate reads r_t * h_{t-1} and x_t; z_t of it is added to the state
    _wire(axis, [(x_r + 0.28, reset), (x_down, reset), (x_down, gates),
                 (x_h - 0.45, gates)], over=True)
    _label(axis, x_down + 0.1, 3.55, "$r_t * h_{t-1}$", size=9, colour=_NOTE)
    _wire(axis, [(x_h, gates + 0.36), (x_h, mix - 0.28)])
    _label(axis, x_h + 0.12, 4.2, "$\\tilde h_t$")
    _op(axis, x_h, mix, "×")
    _wire(axis, [(x_h, mix + 0.28), (x_h, top - 0.28)])
    _label(axis, x_h + 0.12, 6.2, "$z_t * \\tilde h_t$", size=9, colour=_NOTE)
    return _finish(axis, (0, 11.2), (-0.2, 8.3), "A GRU cell, in the lecture's notation")
