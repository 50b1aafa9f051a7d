"""Record the results that matter, beside the reference numbers, for the course's results table.

A notebook calls :func:`record`; each call writes ``<results dir>/<notebook>.json`` and ``make run``
gathers those files into one table. Figures computed on a generated stand-in are refused. Every
file is written whole or not at all (:func:`write_atomically`).
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from .checkout import repository_root
from .data.standins import standins_in_use
from .profiles import active_profile

RESULTS_ENV_VAR = "COURSE_RESULTS_DIR"
_DLWP = "Deep Learning with Python, 1st ed., ch. 6"
# The book's Jena windows end one sampling step before the row its delay counts from (notebook 06).
_25H = "; its target 25 h after its window's last row, ours 24 h"


class ResultsFileError(ValueError):
    """A results file that is not what :func:`record` writes (cut short, edited, or not ours)."""


def _mode_for(path: Path) -> int:
    """The permissions ``path`` has, or those a new file gets under the current umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: into a temporary file beside it, then a
    rename, so that a reader (or an interrupted run) never sees half a file."""
    path = Path(path)
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    temporary, replaced = Path(temporary_name), False
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, _mode_for(path))
        os.replace(temporary, path)
        replaced = True
    finally:
        if not replaced:
            temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Reference:
    value: float
    unit: str
    source: str


REFERENCES: dict[str, Reference] = {
    "imdb_simplernn": Reference(
        0.846, "", f"{_DLWP}: Embedding(32)+SimpleRNN(32), best val accuracy"
    ),
    "imdb_lstm": Reference(0.893, "", f"{_DLWP}: Embedding(32)+LSTM(32), best val accuracy"),
    "imdb_lstm_reversed": Reference(
        0.877, "", f"{_DLWP}: Embedding(128)+LSTM(32) on reversed reviews, best val accuracy"
    ),
    "imdb_bidirectional_lstm": Reference(
        0.886, "", f"{_DLWP}: Bidirectional(LSTM(32)), best val accuracy"
    ),
    "jena_naive": Reference(
        0.2897, "normalised", f"{_DLWP}: naive baseline, val MAE (2.57 °C at its own std){_25H}"
    ),
    "jena_gru": Reference(0.2644, "normalised", f"{_DLWP}: GRU(32), 20 epochs, best val MAE{_25H}"),
    "jena_gru_dropout": Reference(
        0.2619, "normalised", f"{_DLWP}: GRU dropout 0.2/0.2, best val MAE{_25H}"
    ),
    "jena_stacked_gru": Reference(
        0.2633, "normalised", f"{_DLWP}: GRU(32)+GRU(64), best val MAE{_25H}"
    ),
    "jena_gru_reversed": Reference(
        0.399, "normalised", f"{_DLWP}: GRU on reversed sequences, best val MAE{_25H}"
    ),
    "jena_bidirectional_gru": Reference(
        0.2615, "normalised", f"{_DLWP}: Bidirectional(GRU(32)), 40 epochs, best val MAE{_25H}"
    ),
    "jena_conv_gru": Reference(
        0.273,
        "normalised",
        f"{_DLWP}: Conv1D+MaxPool+Conv1D+GRU (lookback 720, step 3: 240 steps), best val MAE{_25H}",
    ),
}


@dataclass(frozen=True)
class Result:
    notebook: str
    name: str
    value: float
    unit: str
    reference: float | None
    reference_unit: str
    reference_source: str
    profile: str
    recorded_at: str


_current_notebook: str | None = None


def set_notebook(notebook: str) -> None:
    """Name the notebook whose results the following :func:`record` calls belong to."""
    global _current_notebook
    _current_notebook = notebook


def current_notebook() -> str | None:
    """The notebook named by the last :func:`set_notebook` (``None`` before any)."""
    return _current_notebook


def results_dir() -> Path:
    """``COURSE_RESULTS_DIR``, else ``build/results`` in the checkout, else ``./results``."""
    if os.environ.get(RESULTS_ENV_VAR):
        return Path(os.environ[RESULTS_ENV_VAR]).expanduser()
    root = repository_root()
    return root / "build" / "results" if root else Path.cwd() / "results"


def record(
    name: str,
    value: float,
    *,
    unit: str = "",
    reference: str | float | None = None,
    reference_source: str = "",
    reference_scale: tuple[float, str, str] | None = None,
    data: tuple[str, ...] | None = None,
) -> Result | None:
    """Record ``name = value`` for the current notebook, with a reference to compare it with.

    ``reference`` is a key of :data:`REFERENCES` or a number (then say what it is in
    ``reference_source``). ``reference_scale = (factor, unit, how)`` converts a keyed
    reference into this result's unit (a normalised MAE times the training standard deviation
    of temperature gives degrees), and says how in the source. ``data`` names the data sets
    the figure depends on; left out, every data set this process loaded counts. (A timing
    depends on none: record it with :func:`record_timing`.)
    A figure that depends on a generated stand-in is not recorded.
    """
    notebook, value = _recording_notebook(), _finite(name, value)
    if _refused_as_standin(name, value, data):
        return None
    reference_value, reference_unit, reference_source = _resolve_reference(
        reference, reference_source, reference_scale, unit
    )
    result = Result(
        notebook=notebook,
        name=name,
        value=value,
        unit=unit,
        reference=reference_value,
        reference_unit=reference_unit,
        reference_source=reference_source,
        profile=active_profile().name,
        recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    _store(result, results_dir() / f"{notebook}.json")
    print(_recorded_line(result))
    return result


def _recording_notebook() -> str:
    if _current_notebook is None:
        raise RuntimeError(
            "call course_utils.setup('NN') (or results.set_notebook) before record()"
        )
    return _current_notebook


def _finite(name: str, value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} is {value}: only finite numbers can be recorded")
    return value


def _refused_as_standin(name: str, value: float, data: tuple[str, ...] | None) -> bool:
    """Whether the figure depends on a generated stand-in (``data=None``: on every data set
    loaded), saying so when it does."""
    standins = standins_in_use()
    tainted = sorted(standins if data is None else set(data) & set(standins))
    if tainted:
        print(
            f"Not recorded: {name} = {value:.4g} was computed on a generated stand-in for "
            f"{', '.join(tainted)}."
        )
    return bool(tainted)


def _resolve_reference(
    reference: str | float | None,
    source: str,
    scale: tuple[float, str, str] | None,
    unit: str,
) -> tuple[float | None, str, str]:
    """``(value, unit, source)`` of a reference given as a number (in ``unit``, as ``source``
    says) or as a key of :data:`REFERENCES`, converted by ``scale`` when given."""
    if not isinstance(reference, str):
        return (None if reference is None else float(reference)), unit, source
    if reference not in REFERENCES:
        raise KeyError(f"no reference named {reference!r}; known: {', '.join(REFERENCES)}")
    known = REFERENCES[reference]
    if scale is None:
        return known.value, known.unit, known.source
    factor, scaled_unit, how = scale
    return (
        known.value * factor,
        scaled_unit,
        f"{known.source}; {known.value:g} {known.unit} × {how}",
    )


def _store(result: Result, path: Path) -> None:
    """Put ``result`` in its notebook's file, replacing a result of the same name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = [r for r in load_results(path) if r.name != result.name]
    write_atomically(
        path, json.dumps([asdict(r) for r in [*kept, result]], indent=1, ensure_ascii=False)
    )


def _recorded_line(result: Result) -> str:
    line = f"Recorded: {result.name} = {result.value:.4g} {result.unit}".rstrip()
    if result.reference is None:
        return line
    reference = f"{result.reference:.4g} {result.reference_unit}".rstrip()
    return f"{line} (reference: {reference}, {result.reference_source})"


def record_timing(name: str, value: float, *, unit: str = "s") -> Result | None:
    """Record a cost (seconds per epoch, characters per second): a figure that depends on no
    data set, so it is kept even when the data was a generated stand-in."""
    return record(name, value, unit=unit, data=())


def load_results(path: Path) -> list[Result]:
    """The results stored in one notebook's file (empty when there is none yet).

    A file that cannot be read as :func:`record` writes it raises :class:`ResultsFileError`,
    naming the file and what to do.
    """
    if not path.exists():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(entries, list):
            raise TypeError("it does not hold a list of results")
        return [Result(**entry) for entry in entries]
    except (OSError, ValueError, TypeError) as error:
        reason = getattr(error, "strerror", None) or (str(error).splitlines() or [""])[0]
        reason = reason or type(error).__name__
        raise ResultsFileError(
            f"{path} is not a results file this course can read ({reason}). Delete it and run "
            f"the notebook that wrote it ({path.stem}) again to record its results afresh."
        ) from None


def results_files(directory: Path) -> list[Path]:
    """The results files under ``directory`` (one per notebook), in notebook order."""
    return sorted(Path(directory).glob("*.json"))


def gather(directory: Path | None = None) -> list[Result]:
    """Every recorded result under ``directory`` (by default :func:`results_dir`), in notebook
    order (a file that cannot be read raises :class:`ResultsFileError`)."""
    return [r for path in results_files(directory or results_dir()) for r in load_results(path)]


def _number(value: float | None) -> str:
    """A value as the table shows it: 4 decimals below 10, else 1."""
    if value is None:
        return ""
    return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"


def _table_row(r: Result) -> str:
    reference = (
        f"{_number(r.reference)} {r.reference_unit}".strip() if r.reference is not None else ""
    )
    return (
        f"| {r.notebook} | {r.name} | {_number(r.value)} | {r.unit} | {reference} "
        f"| {r.reference_source} | {r.profile} |"
    )


def _wall_times_table(wall_times: dict[str, float]) -> list[str]:
    return ["| notebook | wall time |", "| --- | ---: |"] + [
        f"| {notebook} | {seconds / 60:.1f} min ({seconds:.0f} s) |"
        for notebook, seconds in wall_times.items()
    ]


def markdown_table(results: list[Result], wall_times: dict[str, float] | None = None) -> str:
    """The results table (and each notebook's wall time, when given) as Markdown."""
    lines = [
        "| notebook | result | value | unit | reference | reference source | profile |",
        "| --- | --- | ---: | --- | ---: | --- | --- |",
        *map(_table_row, results),
    ]
    if wall_times:
        lines += ["", *_wall_times_table(wall_times)]
    return "\n".join(lines) + "\n"
