"""The Jena climate record's format: its file names, columns, timestamps, step and size.

One CSV in a zip, a row every 10 minutes from 01.01.2009 00:10:00 to 01.01.2017 00:00:00, with
the faults the real file has (repeated and missing steps, -9999 wind speeds). The checks, the
loader and the generated stand-in all take the format from here.
"""

from __future__ import annotations

import pandas as pd

ZIP_NAME = "jena_climate_2009_2016.csv.zip"
CSV_NAME = "jena_climate_2009_2016.csv"

TIME_COLUMN = "Date Time"
COLUMNS = (
    TIME_COLUMN,
    "p (mbar)",
    "T (degC)",
    "Tpot (K)",
    "Tdew (degC)",
    "rh (%)",
    "VPmax (mbar)",
    "VPact (mbar)",
    "VPdef (mbar)",
    "sh (g/kg)",
    "H2OC (mmol/mol)",
    "rho (g/m**3)",
    "wv (m/s)",
    "max. wv (m/s)",
    "wd (deg)",
)
NUMERIC_COLUMNS = COLUMNS[1:]
TEMPERATURE = "T (degC)"
WIND_COLUMNS = ("wv (m/s)", "max. wv (m/s)")
WIND_SENTINEL = -9999.0  # a wind speed the failed sensor wrote

TIMESTAMP_FORMAT = "%d.%m.%Y %H:%M:%S"
STEP = pd.Timedelta(minutes=10)
FIRST_TIMESTAMP = pd.Timestamp("2009-01-01 00:10:00")
LAST_TIMESTAMP = pd.Timestamp("2017-01-01 00:00:00")
ROWS = 420_551  # in the real file, duplicates included
REAL_STEPS = 420_768  # 10-minute steps from the first timestamp to the last


def show(stamp) -> str:
    """A timestamp as the file writes it."""
    return pd.Timestamp(stamp).strftime(TIMESTAMP_FORMAT)
