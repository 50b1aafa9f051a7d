"""The data layer's errors: each message says what is wrong and how to fix it."""

import zipfile
import zlib


class CourseDataError(RuntimeError):
    """Any problem getting a data file; the message says what is wrong and how to fix it."""


class DataUnavailableError(CourseDataError):
    """A data file could be found neither in a mirror, nor in the cache, nor by download."""


class DataIntegrityError(CourseDataError):
    """A data file exists but is not what it should be (checksum or content)."""


class DataMirrorError(CourseDataError):
    """``COURSE_DATA_DIR`` names something that is not a readable mirror."""


# What reading a damaged, encrypted or exotic zip raises (RuntimeError: a password is needed).
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)
