"""Simulated weather in the Jena climate record's format: the content of its generated stand-in.

Weather is simulated, not sampled: seasonal and daily temperature cycles, weather that persists
for hours to weeks (Ornstein-Uhlenbeck processes), pressure that leads temperature, and humidity,
vapour pressures, density and wind derived as the station derives them, plus the real file's
faults (repeated and missing steps, -9999 wind speeds). The smoke profile reads a short one
when the record cannot be had; :mod:`.jena_standin` writes one into a folder as a mirror.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from .jena_format import (
    COLUMNS,
    FIRST_TIMESTAMP,
    REAL_STEPS,
    ROWS,
    STEP,
    TIMESTAMP_FORMAT,
    WIND_SENTINEL,
)

STEPS_PER_DAY = 144
MIN_ROWS = 200
_DT = 1.0 / STEPS_PER_DAY  # days


def standin_csv(*, days: float | None = None, rows: int = ROWS, seed: int = 0) -> bytes:
    """A stand-in's CSV file (``days`` of 10-minute steps, else ``rows`` rows), faults and all."""
    table = standin_table(days=days, rows=rows, seed=seed)
    stamps = pd.DatetimeIndex(table[COLUMNS[0]]).strftime(TIMESTAMP_FORMAT).tolist()
    numbers = [table[name].to_numpy().tolist() for name in COLUMNS[1:]]
    line = "%s" + ",%.2f" * len(numbers) + "\n"  # the real file's 2 decimals everywhere
    header = ",".join(f'"{name}"' for name in COLUMNS) + "\n"
    body = "".join([line % row for row in zip(stamps, *numbers, strict=True)])
    return (header + body).encode("ascii")


def standin_table(*, days: float | None = None, rows: int = ROWS, seed: int = 0) -> pd.DataFrame:
    """The stand-in as a table: ``"Date Time"`` timestamps and the 14 rounded measurements."""
    steps, duplicates, missing = _plan(days, rows)
    rng = np.random.default_rng(seed)
    values = _simulate(steps, rng)
    stamps = FIRST_TIMESTAMP + STEP * np.arange(steps)
    order = _faulty_order(steps, duplicates, missing, rng)
    table = pd.DataFrame({name: column[order] for name, column in values.items()})
    table.insert(0, COLUMNS[0], stamps[order])
    _plant_wind_sentinels(table, rng)
    return table


def _plan(days: float | None, rows: int) -> tuple[int, int, int]:
    """(grid steps, duplicated rows, missing steps): the real file's span when ``rows`` is its."""
    if days is not None:
        steps = round(days * STEPS_PER_DAY)
        duplicates, missing = max(3, steps // 10_000), max(4, steps // 1_600)
    else:
        duplicates = max(3, rows // 10_000)
        missing = REAL_STEPS - rows + duplicates if rows == ROWS else max(4, rows // 1_600)
        steps = rows - duplicates + missing
    if steps - missing + duplicates < MIN_ROWS:
        raise ValueError(f"a stand-in needs at least {MIN_ROWS} rows (about 1.4 days)")
    if steps > REAL_STEPS:
        raise ValueError(
            f"a stand-in spans at most the record's {REAL_STEPS:,} steps of 10 minutes "
            f"(2009-2016: {REAL_STEPS / STEPS_PER_DAY:,.0f} days, {ROWS:,} rows)"
        )
    return steps, duplicates, missing


def _faulty_order(
    steps: int, duplicates: int, missing: int, rng: np.random.Generator
) -> np.ndarray:
    """Row numbers of the grid as written: gaps left out, some rows written twice."""
    keep = np.ones(steps, dtype=bool)
    left = missing
    while left:
        length = min(left, int(rng.choice([1, 1, 1, 1, 2, 3, 6, 18, 36, 144])))
        start = int(rng.integers(1, steps - length - 1))
        if keep[start - 1 : start + length + 1].all():  # gaps stay apart
            keep[start : start + length] = False
            left -= length
    kept = np.flatnonzero(keep)
    repeated = rng.choice(kept[1:-1], size=duplicates, replace=False)
    return np.sort(np.concatenate([kept, repeated]), kind="stable")


def _plant_wind_sentinels(table: pd.DataFrame, rng: np.random.Generator) -> None:
    """Sensor failures: ``-9999.0`` wind speeds, mostly in both columns at once."""
    count = max(2, len(table) // 30_000)
    rows = rng.choice(np.arange(1, len(table)), size=count, replace=False)
    table.loc[rows, "wv (m/s)"] = WIND_SENTINEL
    table.loc[rows[: max(1, count - 1)], "max. wv (m/s)"] = WIND_SENTINEL


def _ou(steps: int, tau_days: float, rng: np.random.Generator) -> np.ndarray:
    """A stationary Ornstein-Uhlenbeck process with unit variance and time scale ``tau_days``."""
    a = np.exp(-_DT / tau_days)
    shocks = rng.standard_normal(steps) * np.sqrt(1 - a * a)
    shocks[0] = rng.standard_normal()
    return np.fromiter(itertools.accumulate(shocks.tolist(), lambda x, e: a * x + e), float, steps)


def _lag(signal: np.ndarray, tau_days: float) -> np.ndarray:
    """``signal`` followed with a first-order lag of ``tau_days``."""
    b = np.exp(-_DT / tau_days)
    inputs = ((1 - b) * signal).tolist()
    inputs[0] = signal[0]
    return np.fromiter(itertools.accumulate(inputs, lambda y, x: b * y + x), float, len(signal))


def saturation_vapour_pressure(celsius: np.ndarray) -> np.ndarray:
    """Magnus formula over water (mbar), as the station computes VPmax."""
    return 6.1078 * np.exp(17.27 * celsius / (celsius + 237.3))


def dew_point(vapour_pressure: np.ndarray) -> np.ndarray:
    """The inverse of :func:`saturation_vapour_pressure` (degC)."""
    x = np.log(vapour_pressure / 6.1078)
    return 237.3 * x / (17.27 - x)


def _simulate(steps: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The 14 measurements on a regular grid, rounded to the file's 2 decimals.

    The random draws come in a fixed order (temperature and pressure, humidity, wind), so that
    a seed always gives the same stand-in.
    """
    calendar = _Calendar(steps)
    t, p, smooth_t, amplitude, cloud, pressure_anomaly = _temperature_and_pressure(calendar, rng)
    dew, rh = _humidity(t, smooth_t, amplitude, cloud, calendar, rng)
    vp_max = saturation_vapour_pressure(t)
    vp_act = rh / 100 * vp_max
    kelvin = t + 273.15
    columns = {
        "p (mbar)": p,
        "T (degC)": t,
        "Tpot (K)": kelvin * (1000 / p) ** 0.2857,
        "Tdew (degC)": dew_point(vp_act),
        "rh (%)": rh,
        "VPmax (mbar)": vp_max,
        "VPact (mbar)": vp_act,
        "VPdef (mbar)": vp_max - vp_act,
        "sh (g/kg)": 622 * vp_act / (p - 0.378 * vp_act),
        "H2OC (mmol/mol)": 1000 * vp_act / p,
        "rho (g/m**3)": 1e5 * ((p - vp_act) / 287.05 + vp_act / 461.5) / kelvin,
        **_wind(pressure_anomaly, calendar, rng),
    }
    return {name: np.round(values, 2) + 0.0 for name, values in columns.items()}  # no "-0.00"


class _Calendar:
    """The season and the time of day of each step."""

    def __init__(self, steps: int) -> None:
        self.steps = steps
        days = (np.arange(steps) + 1) * _DT  # since 01.01.2009 00:00
        self.season = 2 * np.pi * (days - 20) / 365.2425  # coldest around 20 January
        self.summer = 0.5 * (1 - np.cos(self.season))  # 0 in midwinter .. 1 in midsummer
        self.hour = 2 * np.pi * (days % 1 - 16.5 / 24)
        self.daily = np.cos(self.hour) - 0.3 * np.sin(2 * self.hour)  # warmest 14:10, coldest 06:50


def _temperature_and_pressure(calendar: _Calendar, rng: np.random.Generator) -> tuple:
    """Temperature and pressure driven by one air mass (pressure leads), and the cloud cover:
    ``(t, p, smooth_t, amplitude, cloud, pressure_anomaly)``."""
    steps, summer = calendar.steps, calendar.summer
    driver = _ou(steps, 2.0, rng)  # air mass: what temperature is heading for
    pressure_anomaly = -0.75 * driver + 0.66 * _ou(steps, 2.5, rng)
    cloud = 1 / (1 + np.exp(-(1.4 * _ou(steps, 1.0, rng) - 0.9 * pressure_anomaly + 0.2)))
    air_mass = _lag(driver, 0.75) / np.sqrt(2.0 / 2.75)  # temperature lags it by about 18 h
    amplitude = (1.6 + 3.2 * summer) * (1.35 - 0.7 * cloud)
    smooth_t = (
        9.4
        - 9.8 * np.cos(calendar.season)
        + (5.8 - 1.9 * summer) * air_mass
        + 1.6 * _ou(steps, 15.0, rng)
        + 0.9 * _ou(steps, 0.125, rng)
    )
    t = np.round(smooth_t + amplitude * calendar.daily + 0.05 * rng.standard_normal(steps), 2)
    p = np.round(
        989.2
        + (9.5 - 3.5 * summer) * pressure_anomaly
        + 0.5 * np.cos(2 * calendar.hour + 3.4)  # the pressure tide, highest at 10 and 22
        + 0.03 * rng.standard_normal(steps),
        2,
    )
    return t, p, smooth_t, amplitude, cloud, pressure_anomaly


def _humidity(t, smooth_t, amplitude, cloud, calendar: _Calendar, rng: np.random.Generator):
    """Dew point and relative humidity: ``(dew, rh)``; drier in summer and under clear skies."""
    depression = np.logaddexp(
        0,
        (1.5 + 4.5 * calendar.summer) * (1.3 - 0.9 * cloud) + 1.2 * _ou(calendar.steps, 1.5, rng),
    )
    dew = np.minimum(smooth_t - 0.4 * amplitude - depression, t)
    rh = np.round(
        np.clip(100 * saturation_vapour_pressure(dew) / saturation_vapour_pressure(t), 5, 100), 2
    )
    return dew, rh


def _wind(pressure_anomaly, calendar: _Calendar, rng: np.random.Generator) -> dict:
    """Wind speed, gusts and direction: stronger by day and when the pressure is low."""
    steps = calendar.steps
    wind = np.exp(0.75 + 0.4 * _ou(steps, 0.5, rng) - 0.25 * pressure_anomaly) * (
        1 + 0.2 * calendar.daily
    )
    wv = np.round(np.maximum(wind - 0.4, 0), 2)
    gust_factor = 0.5 + 0.35 * np.abs(rng.standard_normal(steps))
    gust = wv + gust_factor * wv**0.85 + 0.25 * rng.random(steps)
    direction = 215 + 75 * _ou(steps, 1.0, rng) + 40 * rng.standard_normal(steps) / (1 + wv)
    return {
        "wv (m/s)": wv,
        "max. wv (m/s)": np.maximum(np.round(gust, 2), wv),
        "wd (deg)": np.round(direction % 360, 2) % 360,
    }
