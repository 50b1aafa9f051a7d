"""A generated stand-in for Tiny Shakespeare (smoke profile only): play-shaped text."""

from __future__ import annotations

import numpy as np

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
