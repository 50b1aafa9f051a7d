"""The Jena climate zip: its content check (there is no published checksum) and reading it.

The zip's directory is checked before anything is extracted; the one CSV inside is then read
and checked in one streaming pass by :mod:`.jena_csv`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from .errors import ZIP_ERRORS, DataIntegrityError
from .jena_csv import scan_csv
from .jena_format import CSV_NAME, ZIP_NAME
from .standins import marked_as_generated

MAX_CSV_BYTES = 64 * 2**20


def validate_jena_zip(path: Path, label: str | None = None) -> None:
    """Raise ``DataIntegrityError`` unless ``path`` is the Jena climate record, as far as can be
    told without a published checksum. ``label`` names the file in messages (default: its path).

    Checked in one streaming pass, each failure an error before anything large is held:

    - the zip's directory (before anything is extracted): exactly one CSV, expanding to at most
      ``MAX_CSV_BYTES`` (64 MiB; the real CSV is about 43 MB), so a small zip that expands to
      gigabytes is refused unread;
    - the header, and in every row 15 fields, a timestamp in the file's format and 14 numbers
      that are finite and within +-``MAX_ABS_VALUE`` (100,000: far beyond any quantity the
      station records, while the sentinel -9999 of a failed wind sensor stays inside);
    - every timestamp inside the record's span, 01.01.2009 00:10:00 to 01.01.2017 00:00:00
      (a mistyped year would otherwise stretch the 10-minute grid over centuries);
    - time order, except the known faults: a row that does not move past the latest earlier
      timestamp (a repeat, or a step back) is a fault. The record has a few hundred of them
      (duplicated timestamps; their exact places are not known here, so the tolerance is
      generous): up to ``OUT_OF_ORDER_FRACTION`` of the rows (1%, about 4,200 for the record)
      or ``OUT_OF_ORDER_FLOOR`` rows, whichever is more, are accepted and repaired by
      ``clean_jena``. A file in wholesale disorder (reversed, shuffled, halves swapped, one
      timestamp throughout) has tens of thousands and is refused;
    - the row count within ``ROW_TOLERANCE`` (1%) of the real file's 420,551: a cut-off copy or
      a sample is refused, and reading stops as soon as a file has too many rows; the first
      timestamp is the record's first and the latest its last.

    A generated stand-in marked as one (``GENERATED_STANDIN.txt`` beside it) is made at any
    length: it gets every check but the last.
    """
    read_jena_zip(path, label or str(path), keep=False)


def read_jena_zip(path: Path, label: str, *, keep: bool = True) -> pd.DataFrame | None:
    """Check the zip at ``path`` as :func:`validate_jena_zip` does; its raw table if ``keep``."""
    member = _csv_member(path, label)
    try:
        with zipfile.ZipFile(path) as archive:
            return scan_csv(
                lambda: archive.open(member),
                f"{member.filename} in {label}",
                whole_record=not is_marked_standin(path),
                keep=keep,
            )
    except DataIntegrityError:
        raise
    except ZIP_ERRORS as error:
        raise _unreadable(label, error) from None


def is_marked_standin(path: Path) -> bool:
    """Whether ``path`` is the Jena zip with a generated stand-in's marker beside it (a
    download's temporary file never is: it is checked as the whole record)."""
    return path.name == ZIP_NAME and marked_as_generated(path)


def _csv_member(path: Path, label: str) -> zipfile.ZipInfo:
    """The one CSV inside the zip at ``path``, checked in the zip's directory before reading."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [
                info
                for info in archive.infolist()
                if not info.is_dir() and not info.filename.startswith("__MACOSX/")
            ]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable(label, error) from None
    csvs = [info for info in members if info.filename.lower().endswith(".csv")]
    if len(members) != 1 or len(csvs) != 1:
        names = [info.filename for info in members[:5]]
        more = f" and {len(members) - 5:,} more" if len(members) > 5 else ""
        raise DataIntegrityError(
            f"{label} should hold exactly one CSV file ({CSV_NAME}), but holds {names}{more}."
        )
    member = csvs[0]
    if member.file_size > MAX_CSV_BYTES:
        raise DataIntegrityError(
            f"{label}: its {member.filename} would expand to {member.file_size / 1e6:,.0f} MB, "
            f"says the zip's directory; the Jena climate CSV is about 43 MB, and nothing over "
            f"{MAX_CSV_BYTES / 1e6:.0f} MB is read. It is not the record."
        )
    return member


def _unreadable(label: str, error: BaseException) -> DataIntegrityError:
    return DataIntegrityError(f"{label} is not a readable zip archive ({error}).")
