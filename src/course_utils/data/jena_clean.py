"""The Jena record's known faults: counting them (:func:`describe_faults`) and repairing them
(:func:`clean_jena`): -9999 wind speeds, repeated timestamps and missing 10-minute steps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import DataIntegrityError
from .jena_format import STEP, TIME_COLUMN, WIND_COLUMNS, WIND_SENTINEL


@dataclass(frozen=True)
class JenaFaults:
    """What is wrong with a raw Jena table: sentinel wind speeds, repeated and missing steps."""

    rows: int
    first: pd.Timestamp
    last: pd.Timestamp
    wind_sentinels: dict[str, int]
    duplicated_timestamps: int
    missing_steps: int

    def summary(self) -> str:
        """A few lines for a notebook's output."""
        sentinels = ", ".join(f"{count} in {name!r}" for name, count in self.wind_sentinels.items())
        return (
            f"{self.rows:,} rows from {self.first} to {self.last}\n"
            f"wind speeds of {WIND_SENTINEL} (sensor failures): {sentinels}\n"
            f"duplicated timestamps: {self.duplicated_timestamps:,}\n"
            f"missing 10-minute steps: {self.missing_steps:,}"
        )


def describe_faults(raw: pd.DataFrame) -> JenaFaults:
    """Count the faults of a raw table (``load_jena_climate(raw=True)``)."""
    index = raw.index
    grid = _grid(index)
    return JenaFaults(
        rows=len(raw),
        first=index.min(),
        last=index.max(),
        wind_sentinels={name: int((raw[name] == WIND_SENTINEL).sum()) for name in WIND_COLUMNS},
        duplicated_timestamps=int(index.duplicated().sum()),
        missing_steps=int(len(grid) - grid.isin(index).sum()),
    )


def clean_jena(raw: pd.DataFrame) -> pd.DataFrame:
    """Keep the first of duplicated timestamps, make the 10-minute grid regular, and replace
    sentinel wind speeds; gaps and sentinels are filled by interpolating in time."""
    table = raw[~raw.index.duplicated(keep="first")].sort_index()
    if table.empty:
        raise ValueError("the table has no rows to clean")
    steps = (table.index.max() - table.index.min()) // STEP + 1
    if steps > 2 * len(table) + 1_000:  # the record misses a few hundred steps of 420,768
        raise ValueError(
            f"the timestamps run from {table.index.min()} to {table.index.max()}: "
            f"{steps:,} steps of 10 minutes for {len(table):,} rows. A regular grid would be "
            f"mostly made up: is a date mistyped?"
        )
    for name in WIND_COLUMNS:
        table[name] = table[name].mask(table[name] == WIND_SENTINEL)
    grid = _grid(table.index)
    if not table.index.equals(grid):
        table = table.reindex(table.index.union(grid))
    if table.isna().to_numpy().any():
        table = table.interpolate(method="time", limit_direction="both")
    unfilled = [name for name in table.columns if table[name].isna().all()]
    if unfilled:
        raise DataIntegrityError(
            f"the columns {unfilled} hold no reading at all (only sensor-failure sentinels or "
            f"gaps), so there is nothing to fill them from: the data is not usable as it is."
        )
    table = table.reindex(grid).astype(np.float32)
    table.index.name = TIME_COLUMN
    return table


def _grid(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Every 10-minute step from the first timestamp to the last."""
    return pd.date_range(index.min().floor(STEP), index.max().ceil(STEP), freq=STEP)
