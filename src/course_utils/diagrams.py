"""Diagrams drawn by the course: the recurrent cell of notebook 02 and its unrolled form."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, FancyBboxPatch

from .plotting import COLOURS

_NEURON, _STATE, _OUTPUT = COLOURS[0], COLOURS[2], COLOURS[1]


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


def draw_rnn_cell(input_size: int = 3, state_size: int = 5, output_size: int = 4):
    """The cell as Glassner draws it: neurons A (input) and B (state) added, the activation,
    the delay that holds the state for the next step, and neuron C making the output."""
    figure, axis = plt.subplots(figsize=(6.4, 5.6))
    _box(axis, 3, 2, "A", _NEURON)
    _box(axis, 5, 2, "B", _NEURON)
    axis.add_patch(Circle((4, 3.3), 0.3, fc="white", ec="#444444", lw=1.4))
    axis.text(4, 3.3, "+", ha="center", va="center", fontsize=14)
    _box(axis, 4, 4.4, "tanh", _STATE, width=1.1)
    _box(axis, 4, 6.6, "C", _OUTPUT)
    _box(axis, 7.6, 2, "delay", "#5b6770", width=1.2)
    left = (-0.25, 0.0)
    _arrow(axis, (3, 0.4), (3, 1.6), f"$x_t$ ({input_size} values)", left, ha="right")
    _arrow(axis, (3, 2.4), (3.78, 3.1))
    _arrow(axis, (5, 2.4), (4.22, 3.1))
    _arrow(axis, (4, 3.6), (4, 4.05))
    _arrow(axis, (4, 4.75), (4, 6.25), f"$h_t$ (the state, {state_size} values)", left, ha="right")
    _arrow(axis, (4, 6.95), (4, 7.9), f"$y_t$ ({output_size} values)", left, ha="right")
    axis.plot([4, 7.6, 7.6], [5.4, 5.4, 2.4], color="#444444", lw=1.4)  # h_t into the delay
    _arrow(axis, (7.0, 2), (5.65, 2), "$h_{t-1}$", (-0.35, 0.25))
    axis.text(7.8, 3.9, "kept for the next step", fontsize=9, color="#333333", rotation=90,
              va="center")
    axis.set_xlim(0, 8.6)
    axis.set_ylim(0, 8.2)
    axis.set_aspect("equal")
    axis.axis("off")
    axis.set_title("One recurrent cell")
    figure.tight_layout()
    return figure


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
