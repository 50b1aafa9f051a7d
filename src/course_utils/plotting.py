"""One look for every figure of the course, training curves, and a window sliding over text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib as mpl
import matplotlib.pyplot as plt

COLOURS = ("#1f5f8b", "#d1603d", "#3c8d5a", "#8a5fb0", "#c49a1a", "#5b6770")

COURSE_STYLE = {
    "figure.figsize": (7.5, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.prop_cycle": mpl.cycler(color=COLOURS),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.frameon": False,
    "font.size": 10,
}


def use_course_style() -> None:
    """Apply the course's figure style to every plot that follows."""
    mpl.rcParams.update(COURSE_STYLE)


def epoch_axis(axis, epochs: int | None = None) -> None:
    """Label the x axis "epoch" and tick whole epochs only, from 1 to ``epochs``.

    ``epochs`` defaults to the longest curve already drawn (x values counted from 1). Even a
    single epoch gets a tick of its own; matplotlib's default range around one point has none.
    """
    if epochs is None:
        epochs = max((int(max(line.get_xdata())) for line in axis.lines if len(line.get_xdata())),
                     default=1)
    axis.set_xlabel("epoch")
    axis.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True, min_n_ticks=1))
    axis.set_xlim(0.5, max(epochs, 1) + 0.5)


def plot_history(
    history: Mapping[str, Sequence[float]] | object,
    metrics: Sequence[str] = ("loss",),
    *,
    title: str | None = None,
    transform=None,
    ylabel: str | None = None,
):
    """Training and validation curves, one panel per metric, epochs counted from 1.

    ``history`` is a Keras ``History`` or its ``.history`` dict; ``transform`` maps values before
    plotting (``numpy.exp`` turns a cross-entropy into a perplexity).
    """
    curves = getattr(history, "history", history)
    epochs = max(len(values) for values in curves.values())
    figure, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 3.4), squeeze=False)
    for axis, metric in zip(axes[0], metrics, strict=True):
        for key, label, style in ((metric, "training", "-"), (f"val_{metric}", "validation", "--")):
            if key in curves:
                values = [transform(v) if transform else v for v in curves[key]]
                axis.plot(range(1, len(values) + 1), values, style, marker="o", ms=3, label=label)
        epoch_axis(axis, epochs)
        axis.set_ylabel(ylabel or metric)
        axis.legend()
    if title:
        figure.suptitle(title)
    figure.tight_layout()
    return figure


def plot_sliding_window(tokens: Sequence[str], size: int, stride: int = 1, *, max_rows: int = 8):
    """Each row is one position of a ``size``-token window over ``tokens``; the last token of the
    window, the one to predict, is drawn in a second colour. (A few lines over the course's
    usual length: one figure, drawn box by box.)"""
    if size > len(tokens):
        raise ValueError(f"a window of {size} does not fit in {len(tokens)} tokens")
    starts = list(range(0, len(tokens) - size + 1, stride))[:max_rows]
    widths = [max(len(token), 2) * 0.11 + 0.25 for token in tokens]
    lefts = [sum(widths[:i]) for i in range(len(tokens))]
    figure, axis = plt.subplots(figsize=(min(0.95 * sum(widths) + 1, 14), 0.45 * len(starts) + 0.8))
    for row, start in enumerate(starts):
        y = len(starts) - 1 - row
        for i, token in enumerate(tokens):
            inside = start <= i < start + size
            target = i == start + size - 1
            colour = COLOURS[1] if target else COLOURS[0] if inside else "white"
            axis.add_patch(
                plt.Rectangle(
                    (lefts[i], y + 0.1),
                    widths[i] - 0.05,
                    0.8,
                    color=colour,
                    alpha=0.85 if inside else 1,
                    ec="#bbbbbb",
                    lw=0.5,
                )
            )
            axis.text(
                lefts[i] + widths[i] / 2,
                y + 0.5,
                token,
                ha="center",
                va="center",
                fontsize=9,
                color="white" if inside else "#333333",
            )
        axis.text(-0.1, y + 0.5, f"position {start}", ha="right", va="center", fontsize=9)
    axis.set_xlim(-1.6, sum(widths))
    axis.set_ylim(0, len(starts))
    axis.axis("off")
    axis.set_title(f"window of {size} tokens, stride {stride}: inputs in blue, target in orange")
    figure.tight_layout()
    return figure


def plot_gate_heatmaps(
    gates: Mapping[str, Sequence[Sequence[float]]],
    words: Sequence[str],
    *,
    units: int = 16,
):
    """One heat map per gate (values 0..1): a row per unit, a column per word of the text.

    ``gates`` maps a gate's name to its ``(time, units)`` activations over ``words``.
    """
    import numpy as np

    figure, axes = plt.subplots(
        len(gates), 1, figsize=(min(0.22 * len(words) + 1.5, 16), 1.9 * len(gates)), sharex=True
    )
    axes = np.atleast_1d(axes)
    for axis, (name, values) in zip(axes, gates.items(), strict=True):
        values = np.asarray(values)
        if values.shape[0] != len(words):
            raise ValueError(f"{name}: {values.shape[0]} steps but {len(words)} words")
        image = axis.imshow(
            values[:, :units].T,
            aspect="auto",
            cmap="viridis",
            vmin=0,
            vmax=1,
            interpolation="nearest",
        )
        axis.set_ylabel(f"{name}\nunit")
        axis.grid(False)
    axes[-1].set_xticks(range(len(words)))
    axes[-1].set_xticklabels(words, rotation=90, fontsize=8)
    figure.colorbar(image, ax=list(axes), fraction=0.02, pad=0.01)
    return figure
