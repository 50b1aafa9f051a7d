"""A generated stand-in for the IMDB reviews (smoke profile only): sentiment words by label."""

from __future__ import annotations

import numpy as np

_NEUTRAL = (
    "the a and of to is in it this that was as with for but film movie on his not you are have "
    "be one all at by an who they from so like her just about out has what some there if story "
    "can more when time very even she only would up no see which my really had me than were "
    "much get been well other do because how will most into also first people then its could "
    "scene way any made them think characters after make too character being watch two films "
    "many know seen plot acting never did life where over show little off ever does end here "
    "why man still director real say these scenes"
).split()
_POSITIVE = "great best love excellent wonderful beautiful perfect brilliant superb enjoyed".split()
_NEGATIVE = "bad worst awful boring waste terrible poor stupid horrible dull".split()


def imdb_standin_word_index() -> dict[str, int]:
    """word -> rank for the stand-in reviews (neutral words first, in a Zipf-like order)."""
    return {word: rank for rank, word in enumerate(_NEUTRAL + _POSITIVE + _NEGATIVE, start=1)}


def imdb_standin(n_train: int = 1000, n_test: int = 1000, seed: int = 0) -> dict[str, np.ndarray]:
    """Reviews in the raw ``imdb.npz`` layout (ranks from 1): sentiment words planted by label."""
    word_index = imdb_standin_word_index()
    neutral_p = 1.0 / np.arange(1, len(_NEUTRAL) + 1)
    neutral_p /= neutral_p.sum()
    rng = np.random.default_rng(seed)

    def reviews(count: int) -> tuple[np.ndarray, np.ndarray]:
        labels = np.tile([0, 1], count // 2 + 1)[:count]
        sequences = np.empty(count, dtype=object)
        for i, label in enumerate(labels):
            length = int(np.clip(rng.lognormal(5.2, 0.6), 10, 1500))
            ranks = rng.choice(len(_NEUTRAL), size=length, p=neutral_p) + 1
            flavour = _POSITIVE if label else _NEGATIVE
            spots = rng.random(length) < 0.04
            ranks[spots] = [word_index[w] for w in rng.choice(flavour, spots.sum())]
            sequences[i] = ranks.tolist()
        return sequences, labels.astype(np.int64)

    x_train, y_train = reviews(n_train)
    x_test, y_test = reviews(n_test)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
