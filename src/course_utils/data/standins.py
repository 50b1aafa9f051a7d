"""Generated stand-ins for data sets that cannot be had, for the smoke profile only.

They keep the real layout (so every code path runs) and carry just enough signal for a model to
learn something, but nothing computed on them is a result: the results helper refuses to record
figures from a notebook that used one.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..profiles import Profile
from .fetch import DataUnavailableError, Validator, locate
from .registry import RemoteFile

_in_use: dict[str, str] = {}


def locate_or_standin(
    remote: RemoteFile, profile: Profile, *, validate: Validator | None = None
) -> Path | None:
    """The file's path; or ``None``, said aloud, when the smoke profile must use a stand-in.

    Only a file that cannot be had falls back; a corrupt one is an error in every profile.
    """
    try:
        return locate(remote, validate=validate)
    except DataUnavailableError as error:
        if not profile.allows_standins:
            raise
        note_standin(
            remote.dataset,
            f"the real data is not available ({str(error).splitlines()[0]}), and the smoke "
            "profile carries on without it",
        )
        return None


def note_standin(dataset: str, why: str) -> None:
    """Say, in the notebook's output, that ``dataset`` is a generated stand-in, and remember it."""
    if dataset in _in_use:
        return
    _in_use[dataset] = why
    print(
        f"NOTE: this run uses a GENERATED STAND-IN for {dataset}: {why}. Every cell runs, but "
        f"its figures are not results and are not recorded."
    )


def standins_in_use() -> dict[str, str]:
    """Data sets this process replaced with stand-ins, and why."""
    return dict(_in_use)


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


_SPEAKERS = ("KING HENRY", "QUEEN", "FIRST CITIZEN", "ROMEO", "JULIET", "MENENIUS", "GLOUCESTER")
_VERSE = (
    "thou art the lord of all my love and yet i cannot speak what heart would say "
    "the night is long and sweet the morning comes upon the hill with gentle light "
    "my good lord i pray you hear me now for i have news of war and of the king "
    "what say you then shall we go forth to meet them at the gate of rome"
).split()


def shakespeare_standin(n_chars: int = 60_000, seed: int = 0) -> str:
    """Play-shaped text: a speaker's name, a few short lines of verse, a blank line, repeat."""
    rng = np.random.default_rng(seed)
    parts: list[str] = []
    size = 0
    while size < n_chars:
        lines = [f"{rng.choice(_SPEAKERS)}:"]
        for _ in range(rng.integers(1, 5)):
            line = " ".join(rng.choice(_VERSE, rng.integers(4, 10)))
            lines.append(line[0].upper() + line[1:] + rng.choice([",", ".", ";", "!", "?"]))
        block = "\n".join(lines) + "\n\n"
        parts.append(block)
        size += len(block)
    return "".join(parts)[:n_chars]
