"""Hostile copies of the data sets: each is refused with a clear error before anything large is
held, wherever it lies (cache, mirror, download), and good copies pass, checked only once."""

import dataclasses
import io
import tracemalloc
import zipfile

import numpy as np
import pandas as pd
import pytest

from course_utils.data import (
    DataIntegrityError,
    cache_dir,
    clean_jena,
    file_checks,
    imdb_checks,
    jena_csv,
    load_imdb,
    load_imdb_word_index,
    load_jena_climate,
    load_tiny_shakespeare,
    locate,
    validate_jena_zip,
)
from course_utils.data import imdb as imdb_module
from course_utils.data.imdb_checks import validate_imdb_npz, validate_word_index
from course_utils.data.jena_csv import JenaRecord, parse_jena_csv
from course_utils.data.jena_format import FIRST_TIMESTAMP, ROWS, STEP
from course_utils.data.jena_simulation import _plan, standin_csv
from course_utils.data.jena_standin import write_jena_standin
from course_utils.data.registry import IMDB, JENA_CLIMATE, TINY_SHAKESPEARE
from course_utils.data.standins import MARKER_NAME
from course_utils.profiles import Profile

from .conftest import real_mirror
from .test_jena import ROWS_WITH_FAULTS, csv_text, line, write_zip

CSV = "jena_climate_2009_2016.csv"


@pytest.fixture
def fixture_record(monkeypatch):
    """The ten rows of test_jena's fixture taken as the whole record (length and span)."""
    record = JenaRecord(
        rows=10, first=pd.Timestamp("2009-01-01 00:10"), last=pd.Timestamp("2009-01-01 01:40")
    )
    monkeypatch.setattr(jena_csv, "RECORD", record)
    return record


def cached_jena(text):
    return write_zip(cache_dir() / JENA_CLIMATE.relative_path, text)


def mirrored(tmp_path, monkeypatch, relative_path, content: bytes):
    path = tmp_path / "mirror" / relative_path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path / "mirror"))
    return path


def peak_mib(action) -> float:
    """Run ``action`` (which must raise DataIntegrityError); return Python's peak MiB meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(DataIntegrityError) as caught:
            action()
        return tracemalloc.get_traced_memory()[1] / 2**20, str(caught.value)
    finally:
        tracemalloc.stop()


# --- Jena: the length, span and order of the record -------------------------------------------


def test_a_ten_row_file_kept_in_the_cache_is_not_the_record():
    path = cached_jena(csv_text())
    with pytest.raises(DataIntegrityError) as caught:
        load_jena_climate(profile=Profile("smoke"))  # refused in every profile, no stand-in
    message = str(caught.value)
    assert f"{CSV} in {path} has 10 data rows, but the Jena climate record has 420,551" in message
    assert "within 1% is accepted" in message and "delete it and run again" in message


def test_the_same_file_in_a_mirror_is_refused_with_the_mirror_named(tmp_path, monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(CSV, csv_text())
    path = mirrored(tmp_path, monkeypatch, JENA_CLIMATE.relative_path, buffer.getvalue())
    with pytest.raises(DataIntegrityError, match=f"{path}.*data mirror COURSE_DATA_DIR="):
        load_jena_climate()


@pytest.mark.parametrize(
    ("stamp", "row"),
    [("01.01.2999 00:00:00", 3), ("31.12.2008 23:50:00", 1), ("01.01.2017 00:10:00", 10)],
)
def test_a_timestamp_outside_the_span_is_refused_before_the_grid_is_built(stamp, row):
    rows = list(ROWS_WITH_FAULTS)
    rows[row - 1] = stamp + rows[row - 1][len(stamp) :]
    cached_jena(csv_text(rows))
    peak, message = peak_mib(load_jena_climate)
    assert f"data row {row} (line {row + 1}) has the timestamp '{stamp}'" in message
    assert "outside the record's span 01.01.2009 00:10:00 to 01.01.2017 00:00:00" in message
    assert peak < 50  # the 2999 typo used to build a 52-million-row table (8 GB)


@pytest.mark.parametrize("cell", ["inf", "-inf", "Infinity", "1e400", "nan", "NaN", "1e39"])
def test_a_cell_that_is_not_a_finite_reading_is_refused(cell, fixture_record):
    rows = list(ROWS_WITH_FAULTS)
    rows[5] = rows[5].replace(",996.50,-8.80,", f",996.50,{cell},")
    path = write_zip(cache_dir() / JENA_CLIMATE.relative_path, csv_text(rows))
    with pytest.raises(DataIntegrityError, match=r"data row 6 \(line 7\) has .* in 'T \(degC\)'"):
        validate_jena_zip(path)
    with pytest.raises(DataIntegrityError, match="T \\(degC\\)"):
        load_jena_climate()


def test_a_small_zip_that_expands_past_the_limit_is_refused_unread(tmp_path, fixture_record):
    path = tmp_path / "bomb.zip"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(CSV, "w", force_zip64=True) as member,
    ):
        member.write(csv_text().encode())
        for _ in range(70):
            member.write(b"\n" * 2**20)  # 70 MB of blank lines compress to almost nothing
    assert path.stat().st_size < 1_000_000
    peak, message = peak_mib(lambda: validate_jena_zip(path))
    assert f"its {CSV} would expand to 73 MB, says the zip's directory" in message
    assert "nothing over 67 MB is read" in message
    assert peak < 5


def test_a_zip_whose_member_is_stored_with_an_unknown_method_is_a_clear_error(tmp_path):
    path = write_zip(tmp_path / "odd.zip", csv_text())
    data = bytearray(path.read_bytes())
    for offset in (8, data.rindex(b"PK\x01\x02") + 10):  # local header and directory entry
        data[offset : offset + 2] = (99).to_bytes(2, "little")  # 99: AES encryption
    path.write_bytes(bytes(data))
    with pytest.raises(DataIntegrityError, match="is not a readable zip archive"):
        validate_jena_zip(path)


def ordered_text(order, days=10):
    """A stand-in of ``days`` days whose data rows are put in ``order`` (a function of them)."""
    header, *rows = standin_csv(days=days, seed=4).decode().splitlines()
    return "\n".join([header, *order(rows)]) + "\n"


@pytest.mark.parametrize(
    "order",
    [
        lambda rows: rows[::-1],
        lambda rows: rows[len(rows) // 2 :] + rows[: len(rows) // 2],
        lambda rows: [rows[i] for i in np.random.default_rng(0).permutation(len(rows))],
        lambda rows: [rows[0]] * len(rows),
    ],
    ids=["reversed", "halves swapped", "shuffled", "one timestamp"],
)
def test_rows_in_wholesale_disorder_are_refused(order):
    text = ordered_text(order).encode()
    with pytest.raises(DataIntegrityError, match="is not in time order: .* do not move past"):
        parse_jena_csv(lambda: io.BytesIO(text), "fixture")


def test_a_few_repeated_or_swapped_rows_are_the_known_faults_and_pass():
    def few_faults(rows):
        rows = list(rows)
        rows[100], rows[101] = rows[101], rows[100]
        return rows[:500] + rows[490:500] + rows[500:]  # ten rows written twice

    text = ordered_text(few_faults).encode()  # 1,449 rows: 14 faults accepted, 11 to 14 here
    raw = parse_jena_csv(lambda: io.BytesIO(text), "fixture")
    assert clean_jena(raw).index.is_monotonic_increasing


def test_a_file_too_long_for_the_record_stops_being_read_early(monkeypatch):
    monkeypatch.setattr(jena_csv, "RECORD", JenaRecord(rows=300))
    monkeypatch.setattr(jena_csv, "_BLOCK_LINES", 100)
    text = standin_csv(days=30, seed=1)  # 4,300 rows
    blocks = []
    original = jena_csv._parse_block
    monkeypatch.setattr(jena_csv, "_parse_block", lambda *args: blocks.append(1) or original(*args))
    with pytest.raises(DataIntegrityError, match="more than 303 data rows.*Reading stopped"):
        jena_csv.scan_csv(lambda: io.BytesIO(text), "fixture", whole_record=True, keep=True)
    assert len(blocks) == 4


def test_a_whole_record_starts_and_ends_where_the_record_does(monkeypatch, fixture_record):
    record = JenaRecord(rows=9, first=fixture_record.first, last=fixture_record.last)
    monkeypatch.setattr(jena_csv, "RECORD", record)
    rows = [line("00:20:00"), *ROWS_WITH_FAULTS[2:]]  # starts at 00:20: 9 rows
    text = csv_text(rows).encode()
    with pytest.raises(DataIntegrityError, match="runs from 01.01.2009 00:20:00 to 01.01.2009"):
        jena_csv.scan_csv(lambda: io.BytesIO(text), "fixture", whole_record=True, keep=False)


def test_a_standin_passes_the_whole_record_checks_when_it_is_the_record(tmp_path, monkeypatch):
    """At full size the stand-in spans exactly the record (``_plan`` says so, and make data
    checks it); here a small one is held to the same checks, scaled to its length."""
    steps, _, _ = _plan(None, 3000)
    last = FIRST_TIMESTAMP + STEP * (steps - 1)
    monkeypatch.setattr(jena_csv, "RECORD", JenaRecord(rows=3000, last=last))
    path = write_zip(tmp_path / "x.zip", standin_csv(rows=3000, seed=2).decode())
    validate_jena_zip(path)
    assert _plan(None, ROWS)[0] == 420_768  # and the full-size one ends on 01.01.2017 00:00


def test_a_marked_standin_of_any_length_passes_but_not_unmarked(tmp_path, monkeypatch):
    path = write_jena_standin(tmp_path / "mirror", rows=700, seed=3)
    validate_jena_zip(path)
    (path.parent / MARKER_NAME).unlink()
    with pytest.raises(DataIntegrityError, match="has 700 data rows"):
        validate_jena_zip(path)


def test_a_standin_longer_than_the_record_is_refused():
    with pytest.raises(ValueError, match="at most the record's 420,768 steps"):
        _plan(3000, ROWS)


def test_a_cut_off_jena_download_names_the_download_not_a_deleted_file(file_server):
    folder, base = file_server
    whole = write_zip(folder / JENA_CLIMATE.name, csv_text())
    whole.write_bytes(whole.read_bytes()[:-30])  # the end of the zip is missing
    remote = type(JENA_CLIMATE)(**{**vars(JENA_CLIMATE), "url": f"{base}/{JENA_CLIMATE.name}"})
    with pytest.raises(DataIntegrityError) as caught:
        locate(remote)
    message = str(caught.value)
    assert message.startswith(f"The download of {JENA_CLIMATE.relative_path} from {base}")
    assert "nothing was saved: the downloaded file is not a readable zip archive" in message
    assert ".part" not in message and "delete" not in message
    assert list((cache_dir() / "jena_climate").iterdir()) == []


# --- IMDB: re-tokenised copies are checked by their structure ---------------------------------


def npz_bytes(n_train=40, n_test=30, **replace):
    rng = np.random.default_rng(0)

    def reviews(count):
        array = np.empty(count, dtype=object)
        array[:] = [rng.integers(1, 60, 5).tolist() for _ in range(count)]
        return array

    arrays = {
        "x_train": reviews(n_train),
        "y_train": np.tile([0, 1], n_train)[:n_train],
        "x_test": reviews(n_test),
        "y_test": np.tile([0, 1], n_test)[:n_test],
    } | replace
    buffer = io.BytesIO()
    np.savez(buffer, **{key: value for key, value in arrays.items() if value is not None})
    return buffer.getvalue()


@pytest.fixture
def small_imdb(monkeypatch):
    monkeypatch.setattr(imdb_checks, "REVIEWS", {"train": 40, "test": 30})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (lambda: npz_bytes(y_test=None), r"lacks the arrays \['y_test'\]"),
        (lambda: npz_bytes(n_train=39), r"holds \(39,\) reviews and \(39,\) labels in its train"),
        (lambda: npz_bytes(y_train=np.arange(40) % 3), r"train split are \[0, 1, 2\]"),
        (lambda: npz_bytes(y_test=np.zeros(30, dtype=int)), r"test split are \[0\]"),
        (lambda: npz_bytes(y_train=np.ones(40) / 2), "float64 values, not 0/1 labels"),
        (lambda: npz_bytes(x_train=np.ones(40)), "float64 values, not word-rank sequences"),
        (lambda: npz_bytes()[:2000], "not a readable IMDB .npz archive"),
        (lambda: b"", "not a readable IMDB .npz archive"),
    ],
    ids=["missing", "short", "labels 0-2", "one class", "float labels", "floats", "cut", "empty"],
)
def test_a_mirror_imdb_without_the_structure_is_refused(
    tmp_path, monkeypatch, small_imdb, content, message
):
    path = mirrored(tmp_path, monkeypatch, IMDB.relative_path, content())
    with pytest.raises(DataIntegrityError, match=message) as caught:
        load_imdb(profile=Profile("smoke"))
    assert str(path) in str(caught.value) and "data mirror" in str(caught.value)


def test_an_array_that_would_expand_too_far_is_refused_unread(tmp_path, monkeypatch, small_imdb):
    monkeypatch.setattr(imdb_checks, "MAX_MEMBER_BYTES", 500)
    path = tmp_path / "imdb.npz"
    path.write_bytes(npz_bytes())
    with pytest.raises(DataIntegrityError, match="x_train would expand to [0-9,]+ bytes"):
        validate_imdb_npz(path)


def test_reviews_that_are_not_word_ranks_are_a_data_error(tmp_path, monkeypatch, small_imdb):
    words = np.empty(40, dtype=object)
    words[:] = [["a", "b"]] * 40
    mirrored(tmp_path, monkeypatch, IMDB.relative_path, npz_bytes(x_train=words))
    with pytest.raises(DataIntegrityError, match="not a sequence of whole-number word ranks"):
        load_imdb()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2]", "holds a JSON list"),
        ("{}", "that is empty"),
        ('{"the": 0}', "rank 0"),
        ('{"the": 1.5}', "rank 1.5"),
        ('{"the": true}', "rank True"),
        ('{"the": 1', "not a readable JSON file"),
    ],
)
def test_a_word_index_that_is_not_one_is_refused(tmp_path, monkeypatch, content, message):
    mirrored(tmp_path, monkeypatch, "imdb/imdb_word_index.json", content.encode())
    with pytest.raises(DataIntegrityError, match=message):
        load_imdb_word_index()


def test_a_good_copy_is_checked_once_until_it_changes(tmp_path, monkeypatch, small_imdb):
    path = mirrored(tmp_path, monkeypatch, IMDB.relative_path, npz_bytes())
    calls = []
    spying = dataclasses.replace(
        IMDB, validate=lambda p, label: calls.append(p) or validate_imdb_npz(p, label)
    )
    monkeypatch.setattr(imdb_module, "IMDB", spying)  # the loader's registry entry
    for _ in range(3):
        load_imdb()
    assert len(calls) == 1
    path.write_bytes(npz_bytes(n_train=39))
    with pytest.raises(DataIntegrityError, match="39"):
        load_imdb()


@pytest.mark.skipif(real_mirror() is None, reason="no offline data mirror on this machine")
def test_the_real_mirror_passes_its_checks_quickly():
    import time

    mirror = real_mirror()
    started = time.perf_counter()
    validate_imdb_npz(mirror / IMDB.relative_path)
    validate_word_index(mirror / "imdb" / "imdb_word_index.json")
    assert time.perf_counter() - started < 2


# --- Tiny Shakespeare: the mirror holds it byte-identical, so the checksum applies ---------------


@pytest.mark.parametrize("content", [b"", b"First Citizen:\n" * 67])
def test_a_cut_or_empty_mirror_shakespeare_is_refused(tmp_path, monkeypatch, content):
    path = mirrored(tmp_path, monkeypatch, TINY_SHAKESPEARE.relative_path, content)
    with pytest.raises(DataIntegrityError) as caught:
        load_tiny_shakespeare(profile=Profile("smoke"))  # no stand-in for a bad file
    message = str(caught.value)
    assert f"{path} is not the published tinyshakespeare/input.txt: its sha256 is" in message
    assert f"{len(content):,} bytes, the published file 1,115,394" in message
    assert "data mirror" in message


@pytest.mark.skipif(real_mirror() is None, reason="no offline data mirror on this machine")
def test_the_real_mirror_shakespeare_passes(monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(real_mirror()))
    assert len(load_tiny_shakespeare()) == 1_115_394


# --- Jena: more of the same kind ------------------------------------------------------------


def test_windows_line_endings_and_a_byte_order_mark_are_the_same_file(fixture_record, tmp_path):
    text = "\ufeff" + csv_text().replace("\n", "\r\n")
    validate_jena_zip(write_zip(tmp_path / "crlf.zip", text))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: text.replace("996.50", "996\x0050", 1), "(not a number|not a well-formed)"),
        (lambda text: text.replace(",1.94,", "," * 5000, 1), r"row 1 \(line 2\) runs past"),
        (lambda text: "," * 10**6 + text, "the header runs past 1,000 characters"),
        (lambda text: text.encode("utf-8").decode("latin-1") + "é\n", "not UTF-8|fields"),
        (lambda text: text.replace("01.01.2009 00:20:00", " 01.01.2009 00:20:00"), "timestamp"),
    ],
    ids=["NUL", "long row", "long header", "not UTF-8", "spaced timestamp"],
)
def test_malformed_text_is_a_clear_error(fixture_record, tmp_path, edit, message):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        raw = edit(csv_text())
        archive.writestr(CSV, raw.encode("latin-1") if "é" in raw else raw)
    with pytest.raises(DataIntegrityError, match=message):
        validate_jena_zip(path)


def test_a_wind_column_without_any_reading_cannot_be_filled(fixture_record, tmp_path):
    rows = [
        row.rsplit(",", 3)[0] + ",-9999.00,-9999.00," + row.rsplit(",", 1)[1]
        for row in ROWS_WITH_FAULTS
    ]
    raw = parse_jena_csv(lambda: io.BytesIO(csv_text(rows).encode()), "fixture")
    with pytest.raises(DataIntegrityError, match=r"columns \['wv \(m/s\)', 'max. wv \(m/s\)'\]"):
        clean_jena(raw)


def test_cleaning_a_table_with_a_mistyped_date_refuses_to_build_the_grid():
    index = pd.DatetimeIndex(["2009-01-01 00:10", "2009-01-01 00:20", "2999-01-01 00:00"])
    raw = pd.DataFrame({"wv (m/s)": [1.0, 2.0, 3.0], "max. wv (m/s)": [2.0, 3.0, 4.0]}, index)
    with pytest.raises(ValueError, match="is a date mistyped"):
        clean_jena(raw)


def test_an_unreadable_cache_file_is_a_data_error(monkeypatch, closed_port_url):
    path = cache_dir() / TINY_SHAKESPEARE.relative_path
    path.parent.mkdir(parents=True)
    path.write_bytes(b"x")

    def denied(path, algorithm):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(file_checks, "file_digest", denied)
    with pytest.raises(DataIntegrityError, match="cannot be read \\(Permission denied\\)"):
        load_tiny_shakespeare()


def test_a_word_index_too_large_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(imdb_checks, "MAX_MEMBER_BYTES", 10)
    path = tmp_path / "index.json"
    path.write_text('{"the": 1, "a": 2}')
    with pytest.raises(DataIntegrityError, match="holds 18 bytes"):
        validate_word_index(path)
