"""Reading a Jena climate CSV in one streaming pass, checking every row as it goes.

Rows are read in blocks of ``_BLOCK_LINES``; each block is parsed and checked (fields, timestamp
format and span, finite numbers of a sane size), then the time order and the row count are
followed across blocks. See :func:`course_utils.data.jena_zip.validate_jena_zip` for the checks
and why each number is what it is.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

import numpy as np
import pandas as pd

from .errors import DataIntegrityError
from .jena_format import (
    COLUMNS,
    FIRST_TIMESTAMP,
    LAST_TIMESTAMP,
    NUMERIC_COLUMNS,
    ROWS,
    TIME_COLUMN,
    TIMESTAMP_FORMAT,
    show,
)

ROW_TOLERANCE = 0.01
OUT_OF_ORDER_FRACTION = 0.01
OUT_OF_ORDER_FLOOR = 10
MAX_ABS_VALUE = 100_000.0
MAX_LINE_CHARS = 1_000
_BLOCK_LINES = 50_000

Opener = Callable[[], IO[bytes]]


@dataclass(frozen=True)
class JenaRecord:
    """The published record as the checks know it: its rows and the span of its timestamps."""

    rows: int = ROWS
    first: pd.Timestamp = FIRST_TIMESTAMP
    last: pd.Timestamp = LAST_TIMESTAMP

    @property
    def row_range(self) -> tuple[int, int]:
        """The fewest and most data rows accepted: within ``ROW_TOLERANCE`` of ``rows``."""
        slack = int(self.rows * ROW_TOLERANCE)
        return self.rows - slack, self.rows + slack


RECORD = JenaRecord()


def parse_jena_csv(opener: Opener, source: str) -> pd.DataFrame:
    """Parse a Jena CSV (``opener`` gives a binary stream); the file's faults are kept.

    Every check of ``validate_jena_zip`` applies except those on the length and the exact
    first and last timestamps (the smoke profile's stand-in is shorter).
    """
    return scan_csv(opener, source, whole_record=False, keep=True)


def scan_csv(opener: Opener, source: str, *, whole_record: bool, keep: bool) -> pd.DataFrame | None:
    """Check a Jena CSV block by block; the table if ``keep``. ``whole_record``: also check
    that it has the record's length, first and last timestamps."""
    record = RECORD
    order = _TimeOrder(record)
    stamp_blocks: list[np.ndarray] = []
    value_blocks: list[np.ndarray] = []
    try:
        with opener() as stream:
            for stamps, values in _checked_blocks(stream, source, record):
                order.add(stamps)
                if order.hopeless:
                    break
                if keep:
                    stamp_blocks.append(stamps)
                    value_blocks.append(values.astype(np.float32))
    except UnicodeDecodeError as error:
        raise DataIntegrityError(f"{source} is not UTF-8 text ({error}).") from None
    except csv.Error as error:  # a NUL byte, say
        raise DataIntegrityError(f"{source} is not a well-formed CSV ({error}).") from None
    order.check(source)
    if whole_record:
        _check_whole_record(order, source, record)
    if not keep:
        return None
    table = pd.DataFrame(np.concatenate(value_blocks), columns=list(NUMERIC_COLUMNS), copy=False)
    table.index = pd.DatetimeIndex(np.concatenate(stamp_blocks), name=TIME_COLUMN)
    return table


def _checked_blocks(
    stream: IO[bytes], source: str, record: JenaRecord
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The header checked, then (timestamps, numbers) of each block of data rows, checked;
    reading stops as soon as there are more rows than the record can have."""
    lines = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    _check_header(next(csv.reader([_line(lines, source, 0)]), []), source)
    numbered = itertools.takewhile(bool, (_line(lines, source, n) for n in itertools.count(1)))
    most = record.row_range[1]
    rows = 0
    while block := list(itertools.islice(numbered, _BLOCK_LINES)):
        text = "".join(block)
        if not text.strip():
            continue  # blank lines at the end
        stamps, values = _parse_block(text, source, rows, record)
        if rows + len(stamps) > most:
            raise DataIntegrityError(
                f"{source} has more than {most:,} data rows, but the Jena climate record "
                f"has {record.rows:,} (within {ROW_TOLERANCE:.0%} is accepted): it is not "
                f"the record. Reading stopped there."
            )
        rows += len(stamps)
        yield stamps, values


class _TimeOrder:
    """Follows the timestamps across blocks: the first, the latest, the rows read, and the rows
    that do not move past the latest earlier timestamp (a repeat or a step back: a fault)."""

    def __init__(self, record: JenaRecord) -> None:
        self.rows = self.faults = 0
        self.first = self.latest = self.first_fault = None
        # Past this many faults no accepted length can excuse them: reading may stop.
        self.give_up_after = max(OUT_OF_ORDER_FLOOR, record.row_range[1] * OUT_OF_ORDER_FRACTION)

    def add(self, stamps: np.ndarray) -> None:
        if not len(stamps):
            return
        start = self.latest if self.latest is not None else stamps[0]
        before = np.maximum.accumulate(np.concatenate([[start], stamps[:-1]]))
        stuck = np.flatnonzero(stamps <= before)
        stuck = stuck[(stuck > 0) | (self.rows > 0)]  # the file's first row cannot be stuck
        if stuck.size and self.first_fault is None:
            at = int(stuck[0])
            self.first_fault = (self.rows + at, stamps[at], before[at])
        self.faults += stuck.size
        if self.first is None:
            self.first = stamps[0]
        self.latest = max(before[-1], stamps[-1])
        self.rows += len(stamps)

    @property
    def hopeless(self) -> bool:
        return self.faults > self.give_up_after

    def check(self, source: str) -> None:
        """Raise unless there are rows and at most the accepted number of faults among them."""
        if self.rows == 0:
            raise DataIntegrityError(f"{source} has a header but no data rows.")
        allowed = max(OUT_OF_ORDER_FLOOR, int(self.rows * OUT_OF_ORDER_FRACTION))
        if self.faults <= allowed:
            return
        row, stamp, before = self.first_fault
        raise DataIntegrityError(
            f"{source} is not in time order: {self.faults:,} rows"
            f"{' or more' if self.hopeless else ''} do not move past the latest earlier "
            f"timestamp (the first, data row {row + 1} (line {row + 2}), has {show(stamp)} after "
            f"{show(before)}). The record's faults (repeated timestamps) account for a few "
            f"hundred, and up to {allowed:,} are accepted: this many means its rows are "
            f"shuffled or out of order."
        )


def _check_whole_record(order: _TimeOrder, source: str, record: JenaRecord) -> None:
    """The record's length (within ``ROW_TOLERANCE``), first timestamp and last."""
    if order.rows < record.row_range[0]:
        raise DataIntegrityError(
            f"{source} has {order.rows:,} data rows, but the Jena climate record has "
            f"{record.rows:,} (within {ROW_TOLERANCE:.0%} is accepted): it is cut short, or "
            f"a sample, not the whole record."
        )
    if order.first != np.datetime64(record.first) or order.latest != np.datetime64(record.last):
        raise DataIntegrityError(
            f"{source} runs from {show(order.first)} to {show(order.latest)}, but the Jena "
            f"climate record runs from {show(record.first)} to {show(record.last)}: it "
            f"is not the whole record."
        )


def _line(lines: IO[str], source: str, number: int) -> str:
    """Line ``number`` (0: the header; "" at the end), refused unread past ``MAX_LINE_CHARS``."""
    line = lines.readline(MAX_LINE_CHARS + 1)
    if len(line) > MAX_LINE_CHARS:
        where = "the header" if number == 0 else f"data row {number} (line {number + 1})"
        raise DataIntegrityError(
            f"{source}: {where} runs past {MAX_LINE_CHARS:,} characters; a Jena line has about "
            f"100 (the header about 200): it is not the Jena climate CSV."
        )
    return line


def _check_header(header: list[str], source: str) -> None:
    if tuple(header) == COLUMNS:
        return
    missing = [name for name in COLUMNS if name not in header]
    unexpected = [name for name in header if name not in COLUMNS]
    if missing or unexpected:
        problem = f"missing columns {missing}, unexpected columns {unexpected}"
    else:
        problem = f"the right columns in the wrong order or repeated: {header}"
    raise DataIntegrityError(
        f"{source} does not have the Jena climate header: {problem}. Expected exactly "
        f"{', '.join(COLUMNS)}: it is not the Jena climate CSV."
    )


# --- one block of rows -------------------------------------------------------------------------

_DTYPES = {0: str} | {column: np.float64 for column in range(1, len(COLUMNS))}


def _parse_block(
    text: str, source: str, offset: int, record: JenaRecord
) -> tuple[np.ndarray, np.ndarray]:
    """One block of data rows (``offset`` rows came before it): timestamps and numbers, checked."""
    try:
        table = pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=_DTYPES,
            keep_default_na=False,  # only an empty cell is missing; "n/a" is not a number
            na_values=[""],
            engine="c",
        )
    except ValueError as error:  # pandas' ParserError is a ValueError too
        raise _bad_cell(text, source, offset, error) from None
    if table.shape[1] != len(COLUMNS):
        raise _bad_cell(text, source, offset, None)

    def where(row: int) -> str:
        return f"{source}: data row {offset + row + 1} (line {offset + row + 2})"

    empty = table.isna().to_numpy()
    if empty.any():
        row, column = np.argwhere(empty)[0]
        raise DataIntegrityError(
            f"{where(row)} has no value for {COLUMNS[column]!r}: the file is incomplete."
        )
    stamps = _timestamps(table[0], where, record)
    return stamps, _numbers(table.iloc[:, 1:].to_numpy(dtype=np.float64), where)


def _timestamps(texts: pd.Series, where: Callable[[int], str], record: JenaRecord) -> np.ndarray:
    """The block's timestamps, each in the file's format and inside the record's span."""
    stamps = pd.to_datetime(texts, format=TIMESTAMP_FORMAT, errors="coerce").to_numpy()
    bad = np.flatnonzero(np.isnat(stamps))
    if bad.size:
        row = int(bad[0])
        raise DataIntegrityError(
            f"{where(row)} has the timestamp {texts.iloc[row]!r}, which does not read as "
            f"{TIMESTAMP_FORMAT} (day.month.year hour:minute:second)"
            f"{f'; {bad.size - 1} more rows of this block are bad too' if bad.size > 1 else ''}."
        )
    outside = np.flatnonzero(
        (stamps < np.datetime64(record.first)) | (stamps > np.datetime64(record.last))
    )
    if outside.size:
        row = int(outside[0])
        raise DataIntegrityError(
            f"{where(row)} has the timestamp {texts.iloc[row]!r}, outside the record's span "
            f"{show(record.first)} to {show(record.last)}: a mistyped date."
        )
    return stamps


def _numbers(values: np.ndarray, where: Callable[[int], str]) -> np.ndarray:
    """The block's measurements, each finite and within +-``MAX_ABS_VALUE``."""
    wrong = ~np.isfinite(values) | (np.abs(values) > MAX_ABS_VALUE)
    if wrong.any():
        row, column = np.argwhere(wrong)[0]
        value = values[row, column]
        why = (
            "which is not a finite number"
            if not np.isfinite(value)
            else f"far outside anything the station measures (at most {MAX_ABS_VALUE:,.0f} in size)"
        )
        raise DataIntegrityError(
            f"{where(row)} has {float(value)!r} in {NUMERIC_COLUMNS[column]!r}, {why}."
        )
    return values


def _bad_cell(text: str, source: str, offset: int, error: Exception | None) -> DataIntegrityError:
    """Find the first row with the wrong number of fields, or the first cell that is not a
    number, in one block, to say where the file is broken."""
    rows = [fields for fields in csv.reader(io.StringIO(text)) if fields]  # as pandas: no blanks
    for row, fields in enumerate(rows):
        if len(fields) != len(COLUMNS):
            return DataIntegrityError(
                f"{source}: data row {offset + row + 1} (line {offset + row + 2}) has "
                f"{len(fields)} fields, not {len(COLUMNS)}: it is not a well-formed Jena CSV row."
            )
    cells = pd.DataFrame([fields[1:] for fields in rows], columns=list(NUMERIC_COLUMNS))
    numbers = cells.apply(pd.to_numeric, errors="coerce")
    bad = (numbers.isna() & (cells != "")).to_numpy()
    if bad.any():
        row, column = np.argwhere(bad)[0]
        return DataIntegrityError(
            f"{source}: data row {offset + row + 1} (line {offset + row + 2}) has "
            f"{cells.iat[row, column]!r} in {NUMERIC_COLUMNS[column]!r}, which is not a number."
        )
    return DataIntegrityError(f"{source} is not a well-formed CSV ({error}).")
